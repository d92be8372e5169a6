import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server, ServerResponse } from 'node:http';
import { createApp } from './bootstrap';
import { EnvironmentVariables } from './config/env.validation';
import { DemoDataService } from './demo/demo-data.service';

/** How long requests in flight may take after SIGTERM before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  const logger = new Logger('Main');
  if (config.get('NODE_ENV', { infer: true }) === 'production' && !config.get('DATABASE_URL', { infer: true })) {
    logger.warn('NODE_ENV=production on the embedded SQLite file: set DATABASE_URL to run on MySQL');
  }
  closeGracefullyOnSignals(app, logger);
  const port = config.get('PORT', { infer: true });
  await app.listen(port);
  const origin = `http://localhost:${port}`;
  logger.log(`TTMS is ready. Seat picker: ${origin}/`);
  logger.log(`Swagger UI: ${origin}/docs (the API under ${origin}/api/v1)`);
  const accounts = app.get(DemoDataService).accounts();
  // Passwords only to a person at a terminal; a log collector gets where to find them.
  if (process.stdout.isTTY) {
    for (const { role, name, password } of accounts) {
      logger.log(`Demo ${role}: account "${name}", password "${password}"`);
    }
  } else if (accounts.length) {
    const names = accounts.map(({ role, name }) => `${role} "${name}"`).join(', ');
    logger.log(`Demo accounts: ${names}; their passwords are in demo-accounts.json beside the database file`);
  }
}

/**
 * SIGTERM or SIGINT: stop accepting connections, let the requests in flight finish with their normal
 * answer, end live seat-map streams (their clients reconnect, to another instance, with
 * Last-Event-ID), and only then close the app (timers, Redis, the database pool) and exit 0.
 * Nest's own shutdown hooks stop Redis before the HTTP server drains, and wait forever on open streams.
 * A second signal exits at once.
 */
function closeGracefullyOnSignals(app: NestExpressApplication, logger: Logger): void {
  const server: Server = app.getHttpServer();
  const open = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log(`${signal}: finishing ${open.size} requests in flight, then closing`);
    drain(server, open)
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function drain(server: Server, open: Set<ServerResponse>): Promise<void> {
  return new Promise((resolve) => {
    // A keep-alive connection that finishes its request after close() would otherwise linger until its timeout.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    for (const res of open) {
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.end();
    }
  });
}

main().catch((error: unknown) => {
  // The Nest logger may not exist yet when configuration is invalid.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
