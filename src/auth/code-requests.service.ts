import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { UsersService } from '../users/users.service';
import { CaptchaService } from './captcha.service';
import { CodesService } from './codes.service';
import { CodeSentDto, EmailCodeDto, SmsCodeDto } from './dto/codes.dto';
import { CodePurpose } from './entities/verification-code.entity';
import { CodeMessage } from './senders/code-message';
import { MailSender } from '../messaging/mail.sender';
import { SMS_DRIVER, type SmsDriver } from '../messaging/sms.sender';
import { codeText } from './senders/code-message';

/** POST /auth/sms-code and /auth/email-code: who may get which code, then issue and deliver it. */
@Injectable()
export class CodeRequestsService {
  private readonly logger = new Logger(CodeRequestsService.name);

  constructor(
    private readonly captchas: CaptchaService,
    private readonly codes: CodesService,
    private readonly users: UsersService,
    private readonly mail: MailSender,
    @Inject(SMS_DRIVER) private readonly sms: SmsDriver,
  ) {}

  async sendSms(dto: SmsCodeDto): Promise<CodeSentDto> {
    await this.captchas.consume(dto.captchaId, dto.captchaCode);
    const registered = Boolean(await this.users.findByPhone(dto.phone));
    this.assertPurposeFits(dto.purpose, registered, ResultCode.UserExists);
    return this.issueAndDeliver(dto.phone, dto.purpose, (message) =>
      this.sms.send({ phone: dto.phone, code: message.code, purpose: message.purpose }),
    );
  }

  async sendEmail(dto: EmailCodeDto): Promise<CodeSentDto> {
    const registered = Boolean(await this.users.findByEmail(dto.email));
    this.assertPurposeFits(dto.purpose, registered, ResultCode.EmailTaken);
    return this.issueAndDeliver(dto.email, dto.purpose, (message) =>
      this.mail.send(
        { to: dto.email, subject: 'Your TTMS verification code', text: codeText(message) },
        `email code for ${dto.email} (${message.purpose}): ${message.code}`,
      ),
    );
  }

  private assertPurposeFits(
    purpose: CodePurpose,
    registered: boolean,
    takenCode: typeof ResultCode.UserExists | typeof ResultCode.EmailTaken,
  ) {
    if (purpose === 'register' && registered) throw new AppException(takenCode);
    if (purpose !== 'register' && !registered) throw new AppException(ResultCode.NotRegistered);
  }

  private async issueAndDeliver(
    target: string,
    purpose: CodePurpose,
    deliver: (message: CodeMessage) => Promise<void>,
  ): Promise<CodeSentDto> {
    const { code, expiresIn } = await this.codes.issue(target, purpose);
    try {
      await deliver({ code, purpose, expiresInSeconds: expiresIn });
    } catch (error) {
      this.logger.error(`could not deliver a ${purpose} code: ${(error as Error).message}`);
      throw new AppException(ResultCode.ServerError, 'the code could not be delivered, try again later');
    }
    return { expiresIn };
  }
}
