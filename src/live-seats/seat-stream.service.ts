import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { SeatMapService } from '../ticketing/seat-map.service';
import { SeatStreamHub, Subscriber } from './seat-stream.hub';

const HEARTBEAT_MS = 15_000;

@Injectable()
export class SeatStreamService {
  constructor(
    private readonly hub: SeatStreamHub,
    private readonly seatMaps: SeatMapService,
    private readonly schedules: ScheduleSalesService,
  ) {}

  /**
   * Subscribes before reading the snapshot so that no change committed in between is lost; an
   * unknown showtime fails before any header is sent, so it still answers 404 + 1014 as JSON.
   */
  async open(scheduleId: number, lastEventId: string | undefined, req: Request, res: Response): Promise<void> {
    const subscriber: Subscriber = { lastVersion: 0, write: (text) => res.write(text) };
    const unsubscribe = this.hub.subscribe(scheduleId, subscriber);
    const timers: { heartbeat?: NodeJS.Timeout } = {};
    const close = () => {
      clearInterval(timers.heartbeat);
      unsubscribe();
    };
    try {
      const version = await this.schedules.seatVersion(scheduleId);
      const seatMap = await this.seatMaps.seatMap(scheduleId);
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('Connection', 'keep-alive');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      const resumeFrom = this.resumableVersion(scheduleId, lastEventId, version);
      if (resumeFrom === null) {
        res.write(`event: snapshot\nid: ${version}\ndata: ${JSON.stringify({ ...seatMap, version })}\n\n`);
        this.hub.start(scheduleId, subscriber, version);
      } else {
        this.hub.start(scheduleId, subscriber, resumeFrom);
      }
    } catch (error) {
      close();
      throw error;
    }
    timers.heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    timers.heartbeat.unref();
    req.on('close', close);
    res.on('error', close);
  }

  /** The version to resume after, or null when the client needs a fresh snapshot. */
  private resumableVersion(scheduleId: number, lastEventId: string | undefined, current: number): number | null {
    if (!lastEventId || !/^\d{1,10}$/.test(lastEventId)) return null;
    const last = Number(lastEventId);
    if (last > current) return null;
    if (last === current) return last;
    return this.hub.replayAfter(scheduleId, last) ? last : null;
  }
}
