import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Public } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { AuthService } from './auth.service';
import { AvailabilityDto, AvailabilityQueryDto, LoginDto, RegisterDto, SessionDto } from './dto/auth.dto';
import { RateLimit } from './rate-limit';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('availability')
  @Public()
  @RateLimit('lookup')
  @ApiOperation({ summary: 'Whether a name, phone or email is taken (answers only for the ones given)' })
  @ApiEnvelope(AvailabilityDto)
  availability(@Query() query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    return this.auth.availability(query);
  }

  @Post('register')
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Sign up with phone + smsCode or email + emailCode (purpose register); logs in' })
  @ApiEnvelope(SessionDto, {
    status: 201,
    errors: [ResultCode.UserExists, ResultCode.EmailTaken, ResultCode.CodeIncorrect, ResultCode.TooManyAttempts],
  })
  register(@Body() dto: RegisterDto): Promise<SessionDto> {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({
    summary: 'Log in with account (name, phone or email) + password + captcha, or phone + smsCode (purpose login)',
  })
  @ApiEnvelope(SessionDto, {
    errors: [
      ResultCode.WrongCredentials,
      ResultCode.CaptchaIncorrect,
      ResultCode.CodeIncorrect,
      ResultCode.TooManyAttempts,
      ResultCode.NotRegistered,
      ResultCode.PermissionDenied,
    ],
  })
  login(@Body() dto: LoginDto): Promise<SessionDto> {
    return this.auth.login(dto);
  }

  @Post('logout')
  @Auth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the token of this request (it answers 1007 from now on)' })
  @ApiEnvelope(null)
  logout(@CurrentUser() user: AuthUser): Promise<null> {
    return this.auth.logout(user);
  }
}
