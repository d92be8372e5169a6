import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/id-param.dto';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { PageQueryDto } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import {
  ApplicationDto,
  ApplicationQueryDto,
  CreateApplicationDto,
  RejectApplicationDto,
} from './dto/merchant-application.dto';
import { MerchantApplicationsService } from './merchant-applications.service';

@ApiTags('merchants')
@Controller('merchant-applications')
export class MerchantApplicationsController {
  constructor(private readonly applications: MerchantApplicationsService) {}

  @Post()
  @Auth()
  @ApiOperation({ summary: 'Apply to run a cinema on the platform (one pending application at a time)' })
  @ApiEnvelope(ApplicationDto, { status: 201, errors: [ResultCode.AlreadyExists] })
  apply(@CurrentUser() user: AuthUser, @Body() dto: CreateApplicationDto): Promise<ApplicationDto> {
    return this.applications.apply(user, dto);
  }

  @Get('mine')
  @Auth()
  @ApiOperation({ summary: 'My applications, newest first' })
  @ApiEnvelope(ApplicationDto, { paged: true })
  mine(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<ApplicationDto>> {
    return this.applications.mine(user, query);
  }

  @Get()
  @Auth('admin')
  @ApiOperation({ summary: 'Applications by status, newest first (admin)' })
  @ApiEnvelope(ApplicationDto, { paged: true })
  list(@Query() query: ApplicationQueryDto): Promise<Page<ApplicationDto>> {
    return this.applications.list(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Auth('admin')
  @ApiOperation({ summary: 'Approve: creates the cinema, owned by the applicant, who becomes a merchant (admin)' })
  @ApiEnvelope(ApplicationDto, { errors: [ResultCode.NotFound, ResultCode.Failed] })
  approve(@Param() { id }: IdParam): Promise<ApplicationDto> {
    return this.applications.approve(id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Auth('admin')
  @ApiOperation({ summary: 'Reject with a reason told to the applicant (admin)' })
  @ApiEnvelope(ApplicationDto, { errors: [ResultCode.NotFound, ResultCode.Failed] })
  reject(@Param() { id }: IdParam, @Body() dto: RejectApplicationDto): Promise<ApplicationDto> {
    return this.applications.reject(id, dto);
  }
}
