import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppException } from '../common/app.exception';
import { AuthUser, IS_PUBLIC, OPTIONAL_AUTH, Role, ROLES_KEY } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';

/**
 * Global guard: every route needs a valid session token unless marked @Public(). The token's
 * version, the user's disabled flag and the logout deny-list are read from the database on every
 * request, so a revocation made through any instance holds on all of them at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = bearerToken(request);
    if (isPublic && !optional) return true;
    if (!token) {
      if (optional) return true;
      throw new AppException(ResultCode.NotLoggedIn);
    }
    request.user = await this.authenticate(token);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (roles.length && !roles.includes(request.user.role)) throw new AppException(ResultCode.PermissionDenied);
    return true;
  }

  async authenticate(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token);
    if (claims.purpose) throw new AppException(ResultCode.NotLoggedIn);
    const state = await this.sessions.findSessionState(claims.sub, claims.jti);
    if (!state || state.disabled || state.revoked || state.tokenVersion !== claims.ver) {
      throw new AppException(ResultCode.NotLoggedIn);
    }
    return { id: claims.sub, role: state.role, tokenId: claims.jti, expiresAt: new Date((claims.exp ?? 0) * 1000) };
  }
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppException(ResultCode.NotLoggedIn, 'Authorization header must be "Bearer <token>"');
  return match[1];
}
