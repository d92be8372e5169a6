import { Body, Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtension, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { errorEnvelopeSchema } from '../common/swagger/api-envelope';
import { PaymentNotificationsService } from './payment-notifications.service';

/**
 * Where Alipay and WeChat Pay post their notifications. They answer outside the envelope, in each
 * provider's own words: anything but success makes the provider send the notification again.
 */
@ApiTags('payments')
@Controller('payments')
@Public()
@ApiExtension('x-outside-envelope', true)
export class PaymentNotificationsController {
  private readonly logger = new Logger(PaymentNotificationsController.name);

  constructor(private readonly notifications: PaymentNotificationsService) {}

  @Post('alipay/notify')
  @HttpCode(200)
  @ApiOperation({
    summary: "Alipay's asynchronous notification (form-encoded, RSA2-signed)",
    description: 'Answers the plain text `success`, or `failure` so that Alipay sends it again. Not in the envelope.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/plain')
  @ApiBody({ schema: { type: 'object', additionalProperties: { type: 'string' } } })
  @ApiResponse({
    status: 200,
    description: '`success` or `failure`',
    schema: { type: 'string', enum: ['success', 'failure'] },
  })
  @ApiResponse({
    status: 413,
    description: '1002: a form over the 1 MiB body limit, refused before it is read',
    // JSON, unlike the operation's text/plain answers.
    content: { 'application/json': { schema: errorEnvelopeSchema([ResultCode.InvalidParams]) } },
  })
  async alipay(@Body() form: unknown, @Res() res: Response): Promise<void> {
    let accepted = false;
    try {
      const fields = typeof form === 'object' && form !== null ? (form as Record<string, string>) : {};
      accepted = (await this.notifications.alipay(fields)).accepted;
    } catch (error) {
      this.logger.error(`alipay notification not handled: ${(error as Error).message}`);
    }
    res
      .status(200)
      .type('text/plain')
      .send(accepted ? 'success' : 'failure');
  }

  @Post('wechat/notify')
  @ApiOperation({
    summary: 'WeChat Pay v3 notification (JSON, signed headers, AES-256-GCM resource)',
    description:
      'Answers 204, or 400 (not verified, not ours) / 500 (not handled now) with `{ code: "FAIL", message }` so that WeChat Pay sends it again. Not in the envelope.',
  })
  @ApiConsumes('application/json')
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiResponse({ status: 204, description: 'accepted' })
  @ApiResponse({
    status: 400,
    description: 'refused',
    schema: { type: 'object', properties: { code: { type: 'string', enum: ['FAIL'] }, message: { type: 'string' } } },
  })
  async wechat(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The body arrives as text (bootstrap.ts): the signature covers its exact bytes.
    const raw = typeof req.body === 'string' ? req.body : '';
    try {
      const answer = await this.notifications.wechat(req.headers, raw);
      if (answer.accepted) res.status(204).end();
      else res.status(400).json({ code: 'FAIL', message: answer.why });
    } catch (error) {
      this.logger.error(`wechat notification not handled: ${(error as Error).message}`);
      res.status(500).json({ code: 'FAIL', message: 'not handled now; send it again' });
    }
  }
}
