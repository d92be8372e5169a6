import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { SeatChangeEvent } from './seat-change';
import { SeatEventsService } from './seat-events.service';

/** Events kept per showtime for clients that reconnect with Last-Event-ID. */
const KEPT_EVENTS = 512;
/** How long a subscriber waits for a missing version before moving past the gap. */
const GAP_WAIT_MS = 1000;

interface Frame {
  version: number;
  text: string;
}

export interface Subscriber {
  lastVersion: number;
  write: (text: string) => void;
  gapTimer?: NodeJS.Timeout;
}

interface ShowtimeChannel {
  subscribers: Set<Subscriber>;
  /** Recent frames in version order. */
  frames: Frame[];
}

export function seatsFrame(event: SeatChangeEvent): string {
  return `id: ${event.version}\nevent: seats\ndata: ${JSON.stringify({ version: event.version, seats: event.seats })}\n\n`;
}

/**
 * Fans each seat change out to the streams of its showtime: the SSE frame is built once per change
 * and written to every subscriber, in version order (a change that arrives early from another
 * instance waits up to a second for the ones before it).
 */
@Injectable()
export class SeatStreamHub implements OnModuleDestroy {
  private readonly channels = new Map<number, ShowtimeChannel>();
  private readonly stopListening: () => void;

  constructor(events: SeatEventsService) {
    this.stopListening = events.onChange((event) => this.accept(event));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  get subscriberCount(): number {
    let count = 0;
    for (const channel of this.channels.values()) count += channel.subscribers.size;
    return count;
  }

  activeScheduleIds(): number[] {
    return [...this.channels.entries()].filter(([, c]) => c.subscribers.size > 0).map(([id]) => id);
  }

  /** Frames after `version` if this instance still holds all of them, else null (send a snapshot). */
  replayAfter(scheduleId: number, version: number): Frame[] | null {
    const frames = this.channels.get(scheduleId)?.frames ?? [];
    const after = frames.filter((f) => f.version > version);
    if (!after.length) return frames.length && frames[frames.length - 1].version >= version ? [] : null;
    return after[0].version === version + 1 ? after : null;
  }

  /**
   * Registers a subscriber that receives nothing until `start`: the stream subscribes first, then
   * reads its snapshot, so that no change committed in between is lost.
   */
  subscribe(scheduleId: number, subscriber: Subscriber): () => void {
    const channel = this.channel(scheduleId);
    subscriber.lastVersion = Number.MAX_SAFE_INTEGER;
    channel.subscribers.add(subscriber);
    return () => {
      clearTimeout(subscriber.gapTimer);
      channel.subscribers.delete(subscriber);
      if (!channel.subscribers.size && !channel.frames.length) this.channels.delete(scheduleId);
    };
  }

  /** Starts delivery after `version` (the snapshot's, or the client's Last-Event-ID). */
  start(scheduleId: number, subscriber: Subscriber, version: number): void {
    subscriber.lastVersion = version;
    this.drain(this.channel(scheduleId), subscriber);
  }

  private channel(scheduleId: number): ShowtimeChannel {
    let channel = this.channels.get(scheduleId);
    if (!channel) {
      channel = { subscribers: new Set(), frames: [] };
      this.channels.set(scheduleId, channel);
    }
    return channel;
  }

  private accept(event: SeatChangeEvent): void {
    const channel = this.channels.get(event.scheduleId);
    // Showtimes nobody watches here keep no history: a later client gets a snapshot instead.
    if (!channel?.subscribers.size) {
      if (channel) channel.frames = [];
      return;
    }
    const { frames } = channel;
    if (frames.some((f) => f.version === event.version)) return;
    frames.push({ version: event.version, text: seatsFrame(event) });
    frames.sort((a, b) => a.version - b.version);
    if (frames.length > KEPT_EVENTS) frames.splice(0, frames.length - KEPT_EVENTS);
    for (const subscriber of channel.subscribers) this.drain(channel, subscriber);
  }

  private drain(channel: ShowtimeChannel, subscriber: Subscriber): void {
    for (const frame of channel.frames) {
      if (frame.version <= subscriber.lastVersion) continue;
      if (frame.version !== subscriber.lastVersion + 1) {
        this.waitForGap(channel, subscriber);
        return;
      }
      subscriber.write(frame.text);
      subscriber.lastVersion = frame.version;
    }
    clearTimeout(subscriber.gapTimer);
    subscriber.gapTimer = undefined;
  }

  private waitForGap(channel: ShowtimeChannel, subscriber: Subscriber): void {
    if (subscriber.gapTimer) return;
    subscriber.gapTimer = setTimeout(() => {
      subscriber.gapTimer = undefined;
      const next = channel.frames.find((f) => f.version > subscriber.lastVersion);
      if (!next || !channel.subscribers.has(subscriber)) return;
      subscriber.lastVersion = next.version - 1;
      this.drain(channel, subscriber);
    }, GAP_WAIT_MS);
    subscriber.gapTimer.unref();
  }
}
