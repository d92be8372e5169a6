import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { AdminUsersService } from './admin-users.service';
import { IdParam } from '../common/id-param.dto';
import { AdminUpdateUserDto, UserListQueryDto } from './dto/admin-users.dto';
import { UserDto } from './dto/user.dto';

@ApiTags('users')
@Controller('users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Get()
  @Auth('admin')
  @ApiOperation({ summary: 'List users, newest first; q searches name, nickname, phone and email' })
  @ApiEnvelope(UserDto, { paged: true })
  list(@Query() query: UserListQueryDto): Promise<Page<UserDto>> {
    return this.adminUsers.list(query);
  }

  @Patch(':id')
  @Auth('admin')
  @ApiOperation({ summary: 'Change a user’s role or disable it; either revokes every token the user holds' })
  @ApiEnvelope(UserDto, { errors: [ResultCode.NotFound] })
  update(@CurrentUser() admin: AuthUser, @Param() { id }: IdParam, @Body() dto: AdminUpdateUserDto): Promise<UserDto> {
    return this.adminUsers.update(admin, id, dto);
  }
}
