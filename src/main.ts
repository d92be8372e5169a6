import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { EnvironmentVariables } from './config/env.validation';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  const logger = new Logger('Main');
  if (config.get('NODE_ENV', { infer: true }) === 'production' && !config.get('DATABASE_URL', { infer: true })) {
    logger.warn('NODE_ENV=production on the embedded SQLite file: set DATABASE_URL to run on MySQL');
  }
  const port = config.get('PORT', { infer: true });
  await app.listen(port);
  logger.log(`TTMS listening on http://localhost:${port} (Swagger UI: /docs)`);
}

main().catch((error: unknown) => {
  // The Nest logger may not exist yet when configuration is invalid.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
