import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentVariables } from '../config/env.validation';
import { resolveDataSourceOptions } from './database.options';
import { TransactionRunner } from './transaction-runner';
import { SaleTransactions } from './sale-transactions';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService<EnvironmentVariables, true>) => ({
        ...(await resolveDataSourceOptions({
          url: config.get('DATABASE_URL', { infer: true }),
          path: config.get('DATABASE_PATH', { infer: true }),
          migrationsRun: config.get('DB_MIGRATIONS_RUN', { infer: true }),
        })),
        retryAttempts: 3,
        retryDelay: 2000,
      }),
    }),
  ],
  providers: [TransactionRunner, SaleTransactions],
  exports: [TransactionRunner, SaleTransactions],
})
export class DatabaseModule {}
