import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HoldSweepService } from '../ticketing/hold-sweep.service';
import { SeatStreamHub } from './seat-stream.hub';

const TICK_MS = 1000;

/**
 * A lapsed hold frees its seats at `expiresAt`, but nothing happens in the database at that instant.
 * While this instance has seat-map streams open it sweeps every second, so that the change reaches
 * them within two seconds of the lapse instead of waiting for the regular sweep.
 */
@Injectable()
export class ExpiryTickerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ExpiryTickerService.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly hub: SeatStreamHub,
    private readonly sweeper: HoldSweepService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.hub.activeScheduleIds().length) return;
    this.busy = true;
    try {
      await this.sweeper.sweep();
    } catch (error) {
      this.logger.warn(`expiry sweep failed: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}
