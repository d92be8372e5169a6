/**
 * The bench's reference server: NestJS on its Express adapter with one controller, built from the
 * project's node_modules with nothing of the product (no middleware, guards, pipes, logging or
 * database). The product's own routes are measured against it, so that a ratio shows what the
 * product's own work per request costs rather than what the framework does.
 *
 * - GET /api/v1/health/live answers a small JSON: the framework's ceiling.
 * - GET /api/v1/schedules/:id/seats answers, from memory, the status, headers and body the product
 *   answered once for its seat map (the JSON file BARE_SEAT_MAP names, written by the bench), so
 *   the same bytes go out on the same route as the product's.
 *
 * BARE_PIECES (comma-separated) adds pieces of the product's request path one by one, configured as
 * src/bootstrap.ts and src/app.module.ts configure them, to price each (`npm run bench -- --pieces`):
 * pino (nestjs-pino's pino-http at LOG_LEVEL=warn, request ids), helmet, cors, static (the /uploads/
 * static files), guards (the throttler's guard skipping unmarked routes, and an auth guard's checks
 * for a public route), send (the answer returned through Nest's reply path and Express's res.send,
 * as the product's envelope adapter sends it, instead of written with res.end).
 */
import 'reflect-metadata';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Module,
  RequestMethod,
  Res,
  SetMetadata,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { Logger, LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One answer as the product sent it: the headers in their order and case, the body as sent (gzip). */
export interface StoredAnswer {
  status: number;
  headers: [string, string][];
  bodyBase64: string;
}

const PIECES = new Set((process.env.BARE_PIECES ?? '').split(',').filter(Boolean));

const stored = process.env.BARE_SEAT_MAP
  ? (JSON.parse(readFileSync(process.env.BARE_SEAT_MAP, 'utf8')) as StoredAnswer)
  : undefined;
const storedBody = stored ? Buffer.from(stored.bodyBase64, 'base64') : undefined;
/** setHeader takes a header named twice as one list. */
const storedHeaders = new Map<string, string[]>();
for (const [name, value] of stored?.headers ?? []) storedHeaders.set(name, [...(storedHeaders.get(name) ?? []), value]);

/** The stored answer handed to Nest's reply path (the `send` piece). */
class StoredReply {}

function writeStored(res: Response): void {
  // Express adds it to every answer; the product's answer had none (helmet removes it).
  res.removeHeader('X-Powered-By');
  res.statusCode = stored!.status;
  for (const [name, values] of storedHeaders) res.setHeader(name, values.length === 1 ? values[0] : values);
}

/** As the product's envelope adapter answers a prepared body: headers, then Express's res.send. */
class BareExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (!(body instanceof StoredReply)) return super.reply(response, body, statusCode);
    writeStored(response);
    return response.send(storedBody);
  }
}

const IS_PUBLIC = 'isPublic';

// Public, as the product's health and seat-map routes are.
@Controller()
@SetMetadata(IS_PUBLIC, true)
class BareController {
  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('schedules/:id/seats')
  seats(@Res({ passthrough: PIECES.has('send') }) res: Response): StoredReply | undefined {
    if (!stored || !storedBody) {
      res.status(404).end();
      return undefined;
    }
    if (PIECES.has('send')) return new StoredReply();
    writeStored(res);
    res.end(storedBody);
    return undefined;
  }
}

/** The product's throttler guard: counts only routes marked for a rate limit, so here it skips. */
@Injectable()
class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const marked = this.reflector.getAllAndOverride<boolean>('rateLimited', [context.getHandler(), context.getClass()]);
    return Promise.resolve(!marked);
  }
}

/** The product's auth guard up to where a public route without a token passes. */
@Injectable()
class PublicRouteGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const optional = this.reflector.getAllAndOverride<boolean>('optionalAuth', targets);
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    if (header && !/^Bearer\s+(\S+)$/i.exec(header)) return false;
    return !!isPublic || !!optional;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

const pinoModule = LoggerModule.forRoot({
  forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  pinoHttp: {
    level: 'warn',
    genReqId: requestId,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)}ms`,
    customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
  },
});

@Module({
  imports: [
    ...(PIECES.has('pino') ? [pinoModule] : []),
    ...(PIECES.has('guards')
      ? [ThrottlerModule.forRoot({ throttlers: [{ name: 'default', limit: 10, ttl: 60_000 }], skipIf: () => true })]
      : []),
  ],
  controllers: [BareController],
  providers: PIECES.has('guards')
    ? [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: PublicRouteGuard },
      ]
    : [],
})
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, new BareExpressAdapter(), {
    logger: ['error', 'warn'],
    bufferLogs: PIECES.has('pino'),
  });
  if (PIECES.has('pino')) app.useLogger(app.get(Logger));
  if (PIECES.has('helmet')) {
    app.use(
      helmet({
        contentSecurityPolicy: {
          directives: {
            'img-src': ["'self'", 'data:'],
            'script-src': ["'self'"],
            'style-src': ["'self'", "'unsafe-inline'"],
            'upgrade-insecure-requests': null,
          },
        },
      }),
    );
  }
  if (PIECES.has('cors')) {
    app.enableCors({
      origin: [],
      exposedHeaders: ['X-Request-Id', 'X-Captcha-Id', 'Idempotent-Replayed', 'Retry-After'],
    });
  }
  if (PIECES.has('static')) {
    app.useStaticAssets(mkdtempSync(join(tmpdir(), 'ttms-bare-uploads-')), {
      prefix: '/uploads/',
      index: false,
      redirect: false,
      dotfiles: 'deny',
      immutable: true,
      maxAge: '7d',
    });
  }
  app.setGlobalPrefix('api/v1');
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
}

void main();
