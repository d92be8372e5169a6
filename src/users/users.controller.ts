import { Body, Controller, Get, HttpCode, Patch, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { AvatarUploadInterceptor, UploadedAvatar } from './avatar-upload.interceptor';
import { AvatarService } from './avatar.service';
import { AvatarDto, AvatarUploadDto, UpdateProfileDto } from './dto/profile.dto';
import { UserDto } from './dto/user.dto';
import { ProfileService } from './profile.service';

@ApiTags('users')
@Controller('users/me')
export class UsersController {
  constructor(
    private readonly profiles: ProfileService,
    private readonly avatars: AvatarService,
  ) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'The caller’s own user' })
  @ApiEnvelope(UserDto)
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.profiles.me(user.id);
  }

  @Patch()
  @Auth()
  @ApiOperation({ summary: 'Change the caller’s name, nickname or gender' })
  @ApiEnvelope(UserDto, { errors: [ResultCode.UserExists] })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<UserDto> {
    return this.profiles.update(user.id, dto);
  }

  @Post('avatar')
  @Auth()
  @HttpCode(200)
  @UseInterceptors(AvatarUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AvatarUploadDto })
  @ApiOperation({ summary: 'Upload a new avatar (PNG, JPEG, WebP or GIF by content, at most 2 MiB: else 413 + 1002)' })
  @ApiEnvelope(AvatarDto)
  @ApiResponse({ status: 413, description: '1002: file over 2 MiB' })
  uploadAvatar(@CurrentUser() user: AuthUser, @UploadedFile() file: UploadedAvatar | undefined): Promise<AvatarDto> {
    return this.avatars.replace(user.id, file);
  }
}
