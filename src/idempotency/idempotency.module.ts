import { Global, Logger, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Global so that any feature's controller can use @Idempotent(). */
@Global()
@Module({
  providers: [IdempotencyRepository, IdempotencyGuard],
  exports: [IdempotencyRepository, IdempotencyGuard],
})
export class IdempotencyModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyModule.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.keys
        .purgeExpired(new Date())
        .catch((error: unknown) => this.logger.warn(`idempotency purge failed: ${(error as Error).message}`));
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
