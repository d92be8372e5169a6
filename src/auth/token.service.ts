import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppException } from '../common/app.exception';
import type { Role } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';

export interface TokenClaims {
  sub: number;
  role: Role;
  /** The user's token version when issued: bumping it revokes every older token. */
  ver: number;
  jti: string;
  /** `reset` for the short-lived password-reset token; absent on session tokens. */
  purpose?: 'reset';
  iat?: number;
  exp?: number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
  tokenId: string;
}

/** Verified tokens remembered (their claims); past this, the oldest is forgotten first. */
const VERIFIED_TOKENS_KEPT = 5000;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new Error(`bad duration ${text}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}

@Injectable()
export class TokenService {
  private readonly sessionSeconds: number;
  /**
   * A token string verified once verifies again until it expires (no nbf, audience or issuer is
   * set, and the key does not change while the process runs), so its claims are kept and only the
   * expiry is checked again: the HMAC and JSON decoding were about 5 % of an order request's CPU.
   * Revocation is not decided here: the guard reads the session state on every request.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.sessionSeconds = durationSeconds(config.get('JWT_EXPIRES_IN', { infer: true }));
  }

  async issueSession(user: { id: number; role: Role; tokenVersion: number }): Promise<IssuedToken> {
    const tokenId = randomUUID();
    const claims: TokenClaims = { sub: user.id, role: user.role, ver: user.tokenVersion, jti: tokenId };
    const token = await this.jwt.signAsync(claims, { expiresIn: this.sessionSeconds });
    return { token, expiresIn: this.sessionSeconds, tokenId };
  }

  async issueReset(user: { id: number; role: Role; tokenVersion: number }): Promise<string> {
    const claims: TokenClaims = {
      sub: user.id,
      role: user.role,
      ver: user.tokenVersion,
      jti: randomUUID(),
      purpose: 'reset',
    };
    return this.jwt.signAsync(claims, { expiresIn: 15 * 60 });
  }

  /** 1008 for an expired token, 1007 for anything else that does not verify. */
  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's own rule: expired from the second `exp` on.
      if (Math.floor(Date.now() / 1000) < (known.exp ?? Number.POSITIVE_INFINITY)) return known;
      this.verified.delete(token);
      throw new AppException(ResultCode.TokenExpired);
    }
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new AppException(ResultCode.TokenExpired);
      throw new AppException(ResultCode.NotLoggedIn);
    }
    // A signature proves who issued a token, not that its claims have the shapes the queries expect.
    if (!hasClaimShapes(claims)) throw new AppException(ResultCode.NotLoggedIn);
    return this.remember(token, claims);
  }

  /** Frozen: every request holding this token shares the one object. */
  private remember(token: string, claims: TokenClaims): TokenClaims {
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    const kept = Object.freeze({ ...claims });
    this.verified.set(token, kept);
    return kept;
  }
}

function hasClaimShapes(claims: TokenClaims): boolean {
  return (
    Number.isSafeInteger(claims.sub) &&
    claims.sub > 0 &&
    Number.isSafeInteger(claims.ver) &&
    typeof claims.jti === 'string' &&
    claims.jti.length <= 36 &&
    (claims.purpose === undefined || claims.purpose === 'reset')
  );
}
