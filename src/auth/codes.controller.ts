import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { CodeRequestsService } from './code-requests.service';
import { CodeSentDto, EmailCodeDto, SmsCodeDto } from './dto/codes.dto';
import { RateLimit } from './rate-limit';

@ApiTags('auth')
@Controller('auth')
export class CodesController {
  constructor(private readonly codeRequests: CodeRequestsService) {}

  @Post('sms-code')
  @Public()
  @HttpCode(200)
  @RateLimit('code')
  @ApiOperation({ summary: 'Send a 6-digit code by SMS (needs a captcha; one per phone every 30 s, 10 a day)' })
  @ApiEnvelope(CodeSentDto, {
    errors: [ResultCode.CaptchaIncorrect, ResultCode.UserExists, ResultCode.NotRegistered, ResultCode.TooFrequent],
  })
  sendSms(@Body() dto: SmsCodeDto): Promise<CodeSentDto> {
    return this.codeRequests.sendSms(dto);
  }

  @Post('email-code')
  @Public()
  @HttpCode(200)
  @RateLimit('code')
  @ApiOperation({ summary: 'Send a 6-digit code by email (one per address every 30 s, 10 a day)' })
  @ApiEnvelope(CodeSentDto, { errors: [ResultCode.EmailTaken, ResultCode.NotRegistered, ResultCode.TooFrequent] })
  sendEmail(@Body() dto: EmailCodeDto): Promise<CodeSentDto> {
    return this.codeRequests.sendEmail(dto);
  }
}
