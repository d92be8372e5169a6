import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as argon2 from 'argon2';
import { EnvironmentVariables } from '../config/env.validation';

/** argon2id with the configured cost; test runs lower it through env, production may not. */
@Injectable()
export class PasswordService {
  private readonly options: argon2.HashOptions;
  /** Verified against when the account is unknown, so that both failures take the same time. */
  private dummyHash?: Promise<string>;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.get('ARGON2_MEMORY_KIB', { infer: true }),
      timeCost: config.get('ARGON2_TIME_COST', { infer: true }),
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Burns the same work as a real verify when there is no account to check against. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('no-such-account-password-0');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
