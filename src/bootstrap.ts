import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import { Application, text } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join, resolve } from 'node:path';
import { AppModule } from './app.module';
import { EnvelopeExpressAdapter } from './common/envelope.adapter';
import { EnvironmentVariables } from './config/env.validation';
import { setupSwagger } from './common/swagger/setup-swagger';

export const API_PREFIX = 'api/v1';

/** Builds the app exactly as it serves, for main.ts and for the e2e tests alike. */
export async function createApp(options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new EnvelopeExpressAdapter(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
    ...(options.logger === false ? { logger: false } : {}),
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  app.set('trust proxy', config.get('TRUST_PROXY', { infer: true }));
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:'],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          // Swagger UI must load over plain HTTP too (a LAN address, a container port); TLS is the proxy's job.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.enableCors(corsOptions(config.get('CORS_ORIGINS', { infer: true })));
  const jsonOptions = { limit: '1mb', verify: refuseDeepJson, reviver: refuseUnpairedSurrogates };
  // WeChat Pay signs the exact bytes of its notification: that one route keeps its body as text.
  app.use(`/${API_PREFIX}/payments/wechat/notify`, text({ type: () => true, limit: '64kb' }));
  app.useBodyParser('json', jsonOptions);
  app.useBodyParser('urlencoded', { limit: '1mb', extended: true });
  app.useStaticAssets(resolve(config.get('UPLOADS_DIR', { infer: true })), {
    prefix: '/uploads/',
    index: false,
    // No 301 to a trailing slash: that would tell which folders exist.
    redirect: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '7d',
  });
  servePicker(app);
  app.setGlobalPrefix(API_PREFIX);
  // Signals are handled in main.ts (drain HTTP first, then close); tests and scripts call app.close().
  setupSwagger(app);
  return app;
}

/**
 * The reference seat picker (CONTRACT section 16): static files of src/picker/ (copied to dist/picker/ by
 * nest-cli.json's assets), its page at `GET /` and its scripts and styles under `/picker/`.
 */
function servePicker(app: NestExpressApplication): void {
  const dir = join(__dirname, 'picker');
  app.useStaticAssets(dir, { prefix: '/picker/', index: false, redirect: false, dotfiles: 'deny', maxAge: '5m' });
  const express: Application = app.getHttpAdapter().getInstance();
  express.get('/', (_req, res) => res.sendFile(join(dir, 'index.html')));
}

/** Far deeper than any request of the API; much deeper JSON overflows the stack of the validation pipe. */
export const MAX_JSON_DEPTH = 32;

/** body-parser's verify hook: refuses (400, 1002) JSON nested deeper than MAX_JSON_DEPTH before it is parsed. */
function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
          status: 400,
          type: 'entity.too.deep',
        });
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
}

/** Matches only a surrogate that is not half of a pair: `u` mode reads a proper pair as one code point. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * JSON.parse reviver: refuses (400, 1002) text with an unpaired surrogate (`"\ud800"`), which I-JSON
 * (RFC 7493) forbids, no database stores faithfully, and class-validator's IsEmail throws on.
 */
function refuseUnpairedSurrogates(key: string, value: unknown): unknown {
  if (UNPAIRED_SURROGATE.test(key) || (typeof value === 'string' && UNPAIRED_SURROGATE.test(value))) {
    throw new SyntaxError('JSON text with an unpaired surrogate');
  }
  return value;
}

function corsOptions(origins: string) {
  const list = origins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const exposedHeaders = ['X-Request-Id', 'X-Captcha-Id', 'Idempotent-Replayed', 'Retry-After'];
  return { origin: list.includes('*') ? true : list, exposedHeaders };
}
