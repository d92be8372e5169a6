import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ApiEnvelope, ApiRawAnswer } from '../common/swagger/api-envelope';
import { CaptchaDto, CaptchaQueryDto, CaptchaVerdictDto, VerifyCaptchaDto } from './dto/captcha.dto';
import { CaptchaService } from './captcha.service';
import { RateLimit } from './rate-limit';

@ApiTags('auth')
@Controller('captcha')
export class CaptchaController {
  constructor(private readonly captchas: CaptchaService) {}

  @Get()
  @Public()
  @RateLimit('captcha')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'image/svg+xml')
  @ApiOperation({
    summary: 'A new 4-character image captcha, valid 5 minutes (?format=svg: the raw SVG, id in X-Captcha-Id)',
  })
  @ApiEnvelope(CaptchaDto)
  @ApiRawAnswer({
    contentType: 'image/svg+xml',
    schema: { type: 'string', description: 'the captcha image (with ?format=svg)' },
    headers: {
      'X-Captcha-Id': {
        description: 'with ?format=svg: the id to send back with the answer',
        schema: { type: 'string', format: 'uuid' },
      },
    },
  })
  create(@Query() { format }: CaptchaQueryDto): Promise<CaptchaDto | RawResponse> {
    return this.captchas.issue(format ?? 'json');
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @RateLimit('captcha')
  @ApiOperation({ summary: 'Check an answer without using the captcha up (ignores case; 5 checks per captcha)' })
  @ApiEnvelope(CaptchaVerdictDto)
  verify(@Body() dto: VerifyCaptchaDto): Promise<CaptchaVerdictDto> {
    return this.captchas.verify(dto.captchaId, dto.code);
  }
}
