import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { IdParam } from '../common/id-param.dto';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { VoucherDto } from './dto/voucher.dto';
import { CreateVoucherDto, UpdateVoucherDto, VoucherListQueryDto } from './dto/voucher-request.dto';
import { VouchersService } from './vouchers.service';

const { NotFound, AlreadyExists } = ResultCode;

@ApiTags('vouchers')
@Controller('vouchers')
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Post()
  @Auth('merchant', 'admin')
  @ApiOperation({
    summary: 'Create a voucher for a cinema (owner of the cinema or admin); an admin may leave out the cinema',
  })
  @ApiEnvelope(VoucherDto, { status: 201, errors: [NotFound, AlreadyExists] })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVoucherDto): Promise<VoucherDto> {
    return this.vouchers.create(user, dto);
  }

  @Get()
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: "Vouchers, newest first: an admin's all, a merchant's of the cinemas they own" })
  @ApiEnvelope(VoucherDto, { paged: true, errors: [NotFound] })
  list(@CurrentUser() user: AuthUser, @Query() query: VoucherListQueryDto): Promise<Page<VoucherDto>> {
    return this.vouchers.list(user, query);
  }

  @Get(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'One voucher with its uses; another cinema’s voucher answers 1014' })
  @ApiEnvelope(VoucherDto, { errors: [NotFound] })
  findOne(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<VoucherDto> {
    return this.vouchers.findOne(user, id);
  }

  @Patch(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Change uses allowed (not below its uses), the end of validity, or switch it off' })
  @ApiEnvelope(VoucherDto, { errors: [NotFound] })
  update(@CurrentUser() user: AuthUser, @Param() { id }: IdParam, @Body() dto: UpdateVoucherDto): Promise<VoucherDto> {
    return this.vouchers.update(user, id, dto);
  }
}
