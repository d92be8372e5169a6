import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoOptions } from 'pino-http';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation';
import { EnvironmentVariables, validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { AuthModule } from './auth/auth.module';
import { RateLimitGuard, rateLimitOptions } from './auth/rate-limit';
import { UsersModule } from './users/users.module';
import { MerchantsModule } from './merchants/merchants.module';
import { CatalogModule } from './catalog/catalog.module';
import { HallsModule } from './halls/halls.module';
import { SchedulesModule } from './schedules/schedules.module';
import { TicketingModule } from './ticketing/ticketing.module';
import { DemoDataModule } from './demo/demo-data.module';
import { BoxOfficeModule } from './box-office/box-office.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { SeatEventsModule } from './live-seats/seat-events.module';
import { LiveSeatsModule } from './live-seats/live-seats.module';
import { PaymentsModule } from './payments/payments.module';
import { VouchersModule } from './vouchers/vouchers.module';
import { NotificationsModule } from './notifications/notifications.module';
import { quietStartUp, readableLogStream } from './common/readable-log';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        const options: PinoOptions = {
          level: config.get('LOG_LEVEL', { infer: true }),
          hooks: { logMethod: quietStartUp },
          genReqId: requestId,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)}ms`,
          customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
        };
        // A person at a terminal reads lines; anything else (a file, a collector, production) gets JSON.
        const watched = process.stdout.isTTY && config.get('NODE_ENV', { infer: true }) !== 'production';
        return {
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: watched ? [options, readableLogStream()] : options,
        };
      },
    }),
    ScheduleModule.forRoot(),
    ThrottlerModule.forRootAsync({ inject: [ConfigService], useFactory: rateLimitOptions }),
    DatabaseModule,
    IdempotencyModule,
    SeatEventsModule,
    HealthModule,
    AuthModule,
    UsersModule,
    MerchantsModule,
    CatalogModule,
    HallsModule,
    SchedulesModule,
    VouchersModule,
    TicketingModule,
    LiveSeatsModule,
    PaymentsModule,
    NotificationsModule,
    BoxOfficeModule,
    DemoDataModule,
  ],
  providers: [
    // Registered here, ahead of AuthModule's auth guard: global guards run in registration order.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
