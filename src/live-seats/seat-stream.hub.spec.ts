import { SeatChangeEvent } from './seat-change';
import { SeatEventsService } from './seat-events.service';
import { SeatStreamHub, Subscriber } from './seat-stream.hub';

function givenHub() {
  let emit!: (event: SeatChangeEvent) => void;
  const events = { onChange: (listener: (e: SeatChangeEvent) => void) => ((emit = listener), () => undefined) };
  const hub = new SeatStreamHub(events as unknown as SeatEventsService);
  const change = (version: number, scheduleId = 1) =>
    emit({ scheduleId, version, seats: [{ row: 1, col: version, status: 'held' }] });
  return { hub, change };
}

function givenSubscriber(): Subscriber & { versions: number[] } {
  const versions: number[] = [];
  return { lastVersion: 0, versions, write: (text) => versions.push(Number(/^id: (\d+)/.exec(text)?.[1])) };
}

describe('SeatStreamHub', () => {
  it('should hold changes back until the stream starts, then send those after its snapshot', () => {
    const { hub, change } = givenHub();
    const subscriber = givenSubscriber();
    hub.subscribe(1, subscriber);
    change(4);
    change(5);
    expect(subscriber.versions).toEqual([]);
    hub.start(1, subscriber, 4);
    expect(subscriber.versions).toEqual([5]);
  });

  it('should deliver in version order when a later change arrives first', () => {
    const { hub, change } = givenHub();
    const subscriber = givenSubscriber();
    hub.subscribe(1, subscriber);
    hub.start(1, subscriber, 0);
    change(2);
    expect(subscriber.versions).toEqual([]);
    change(1);
    expect(subscriber.versions).toEqual([1, 2]);
  });

  it('should replay from a Last-Event-ID it still holds and refuse one it does not', () => {
    const { hub, change } = givenHub();
    const subscriber = givenSubscriber();
    hub.subscribe(1, subscriber);
    hub.start(1, subscriber, 0);
    [1, 2, 3].forEach((v) => change(v));
    expect(hub.replayAfter(1, 1)?.map((f) => f.version)).toEqual([2, 3]);
    expect(hub.replayAfter(1, 3)).toEqual([]);
    expect(hub.replayAfter(2, 1)).toBeNull();
  });

  it('should forget a subscriber that leaves', () => {
    const { hub } = givenHub();
    const unsubscribe = hub.subscribe(7, givenSubscriber());
    expect(hub.subscriberCount).toBe(1);
    unsubscribe();
    expect(hub.subscriberCount).toBe(0);
    expect(hub.activeScheduleIds()).toEqual([]);
  });
});
