import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { RawResponse } from '../common/envelope';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { CaptchaRepository } from './captcha.repository';
import { CaptchaDto, CaptchaVerdictDto } from './dto/captcha.dto';

export const CAPTCHA_TTL_SECONDS = 5 * 60;
export const CAPTCHA_MAX_VERIFY = 5;
/** No 0/O/o, 1/I/l: the answer is compared ignoring case, so the look-alikes would only cause failures. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

type RenderSvg = (text: string, options?: svgCaptcha.ConfigObject) => string;
// svg-captcha's module is itself the renderer for a given text; its typings only declare create().
const renderSvg = svgCaptcha as unknown as RenderSvg;

function answerHash(answer: string): string {
  return createHash('sha256').update(answer.trim().toLowerCase()).digest('hex');
}

function matches(hash: string, answer: string): boolean {
  return timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(answerHash(answer), 'hex'));
}

/**
 * Image captchas, kept hashed in the database (any instance checks what another issued). The ones
 * guarding sms-code and login are single use and a wrong answer uses them up too.
 */
@Injectable()
export class CaptchaService {
  private readonly fixedAnswer?: string;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly captchas: CaptchaRepository,
  ) {
    // Refused in production by the config validation.
    this.fixedAnswer = config.get('CAPTCHA_FIXED_CODE', { infer: true }) || undefined;
  }

  async issue(format: 'json' | 'svg'): Promise<CaptchaDto | RawResponse> {
    const { captchaId, svg } = await this.create();
    if (format === 'svg') return new RawResponse(svg, 'image/svg+xml', { 'X-Captcha-Id': captchaId });
    return { captchaId, image: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  async create(): Promise<{ captchaId: string; svg: string }> {
    const text = this.fixedAnswer ?? Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const svg = renderSvg(text, { width: 120, height: 40, fontSize: 48, noise: 2, color: true, background: '#f4f6f8' });
    const captchaId = randomUUID();
    const expiresAt = new Date(Date.now() + CAPTCHA_TTL_SECONDS * 1000);
    await this.runner.run((manager) =>
      this.captchas.insert(manager, { id: captchaId, answerHash: answerHash(text), expiresAt }),
    );
    return { captchaId, svg };
  }

  /** A check that leaves the captcha usable, 5 times; asking a 6th time uses it up. */
  async verify(captchaId: string, answer: string): Promise<CaptchaVerdictDto> {
    return { valid: await this.check(captchaId, answer) };
  }

  private check(captchaId: string, answer: string): Promise<boolean> {
    return this.runner.run(async (manager) => {
      if (!(await this.captchas.countVerify(manager, captchaId, new Date()))) return false;
      const captcha = await this.captchas.findById(manager, captchaId);
      if (!captcha) return false;
      if (captcha.verifyCount > CAPTCHA_MAX_VERIFY) {
        await this.captchas.useUp(manager, captchaId, new Date());
        return false;
      }
      return matches(captcha.answerHash, answer);
    });
  }

  /** Single use: uses the captcha up whatever the answer, then 1009 unless it was live and right. */
  async consume(captchaId: string, answer: string): Promise<void> {
    const passed = await this.runner.run(async (manager) => {
      const captcha = await this.captchas.findById(manager, captchaId);
      if (!captcha || !(await this.captchas.useUp(manager, captchaId, new Date()))) return false;
      return matches(captcha.answerHash, answer);
    });
    if (!passed) throw new AppException(ResultCode.CaptchaIncorrect, 'captcha incorrect or expired: get a new one');
  }
}
