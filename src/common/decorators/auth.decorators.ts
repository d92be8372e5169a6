import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors } from '../swagger/api-envelope';
import { ResultCode } from '../result-code';

export type Role = 'customer' | 'merchant' | 'admin';
export const ROLES: readonly Role[] = ['customer', 'merchant', 'admin'];

/** The caller, as the auth guard read it from a valid, unrevoked token. */
export interface AuthUser {
  id: number;
  role: Role;
  tokenId: string;
  expiresAt: Date;
}

export const IS_PUBLIC = 'isPublic';
export const ROLES_KEY = 'roles';
export const OPTIONAL_AUTH = 'optionalAuth';

/** Marks a public operation in the OpenAPI document; setup-swagger turns it into `security: []`. */
export const PUBLIC_EXTENSION = 'x-ttms-public';

/** Open to anyone; the global auth guard lets it through without a token. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/** Open to anyone, but a valid token (if sent) still identifies the caller. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** Needs a token; with roles given, one of them (else 1013). Declares bearer auth in Swagger too. */
export const Auth = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiErrors(ResultCode.NotLoggedIn, ResultCode.TokenExpired, ...(roles.length ? [ResultCode.PermissionDenied] : [])),
  );

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
});
