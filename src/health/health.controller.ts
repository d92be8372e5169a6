import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TransactionRunner } from '../database/transaction-runner';
import { Public } from '../common/decorators/auth.decorators';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { ResultCode } from '../common/result-code';
import { AppException } from '../common/app.exception';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'] })
  db!: 'up' | 'down';
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

const PROBE_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly runner: TransactionRunner) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Liveness and database check (503 + 5000 while the database is down)',
    description:
      "On a Galera Cluster, the instance's own node must also be ready (`wsrep_ready`): a node that has left the cluster, or is still catching up, answers 503 + 5000 while the other nodes' instances go on.",
  })
  @ApiEnvelope(HealthDto)
  async check(): Promise<HealthDto> {
    if (await this.databaseAnswers()) return { status: 'ok', db: 'up' };
    const down: HealthDto = { status: 'error', db: 'down' };
    throw new AppException(ResultCode.ServerError, 'database unreachable', down, {}, 503);
  }

  @Get('live')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Liveness only: answers without touching the database',
  })
  @ApiEnvelope(LivenessDto)
  live(): LivenessDto {
    return { status: 'ok' };
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    const probe = this.probe().catch(() => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A Galera node that has left the cluster (or is joining) still answers a statement that reads no
   * table, and refuses the rest: it must say it is ready for the app's queries.
   */
  private async probe(): Promise<boolean> {
    const { dataSource } = this.runner;
    if (!this.runner.galera) return dataSource.query('SELECT 1').then(() => true);
    const [status] = await dataSource.query<{ Value: string }[]>("SHOW GLOBAL STATUS LIKE 'wsrep_ready'");
    return status?.Value === 'ON';
  }
}
