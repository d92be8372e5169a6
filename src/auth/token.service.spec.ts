import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AppException } from '../common/app.exception';
import { EnvironmentVariables } from '../config/env.validation';
import { TokenService } from './token.service';

describe('TokenService.verify', () => {
  const key = createSecretKey(Buffer.from('a-test-secret-of-at-least-32-characters', 'utf8'));
  const jwt = new JwtService({ secret: key as unknown as string, signOptions: { algorithm: 'HS256' } });
  const config = { get: () => '1h' } as unknown as ConfigService<EnvironmentVariables, true>;
  const user = { id: 7, role: 'customer' as const, tokenVersion: 2 };
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'verified',
      (e: AppException) => e.result.code,
    );

  afterEach(() => jest.restoreAllMocks());

  it('should verify a token once, then answer its claims from memory until it expires', async () => {
    const tokens = new TokenService(jwt, config);
    const { token, tokenId } = await tokens.issueSession(user);
    const verifyAsync = jest.spyOn(jwt, 'verifyAsync');

    const first = await tokens.verify(token);
    const second = await tokens.verify(token);
    expect(first).toMatchObject({ sub: 7, role: 'customer', ver: 2, jti: tokenId });
    expect(second).toEqual(first);
    expect(verifyAsync).toHaveBeenCalledTimes(1);

    const exp = first.exp!;
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 - 1);
    expect(await codeOf(tokens.verify(token))).toBe('verified');
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    expect(await codeOf(tokens.verify(token))).toBe(1008);
    expect(await codeOf(tokens.verify(token))).toBe(1008);
  });

  it('should not let a remembered token vouch for a tampered copy of it', async () => {
    const tokens = new TokenService(jwt, config);
    const { token } = await tokens.issueSession(user);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(payload, 'base64url').toString('utf8').replace('"sub":7', '"sub":8');
    const tampered = `${header}.${Buffer.from(forged).toString('base64url')}.${signature}`;
    expect(await codeOf(tokens.verify(tampered))).toBe(1007);
    expect(await codeOf(tokens.verify(`${token}x`))).toBe(1007);
  });

  it('should keep nothing of a token that failed, and hand out claims nobody can change', async () => {
    const tokens = new TokenService(jwt, config);
    const expired = await jwt.signAsync({ sub: 7, role: 'customer', ver: 2, jti: 'j', exp: 1 });
    expect(await codeOf(tokens.verify(expired))).toBe(1008);
    expect(await codeOf(tokens.verify(expired))).toBe(1008);
    const { token } = await tokens.issueSession(user);
    const claims = await tokens.verify(token);
    expect(() => Object.assign(claims, { sub: 8 })).toThrow(TypeError);
    expect((await tokens.verify(token)).sub).toBe(7);
  });
});
