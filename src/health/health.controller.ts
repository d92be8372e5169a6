import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
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
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and database check (503 + 5000 while the database is down)' })
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
    const probe = this.dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
