import type { AuthUser } from '../common/decorators/auth.decorators';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { decide, HoldJob, isLive, seatsTaken } from './hold-decisions';
import type { HeldClaim } from './seat-claims.repository';

const now = new Date('2026-12-01T10:00:00.000Z');
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 1);
const show = {
  scheduleId: 1,
  startsAt: new Date('2026-12-01T20:00:00.000Z'),
  priceCents: 4500,
  cinemaStatus: 'active',
  rows: 5,
  cols: 5,
  disabledSeats: [{ row: 5, col: 5 }],
  zones: [],
  couples: [],
  zonePrices: {},
  ticketTypes: [],
  noSingleSeatGap: false,
} as unknown as SaleContext;
const user = (id: number) => ({ id, role: 'customer' }) as AuthUser;
const job = (userId: number, ...seats: [number, number][]): HoldJob => ({
  user: user(userId),
  scheduleId: 1,
  seats: seats.map(([row, col]) => ({ row, col })),
});
const claim = (userId: number, row: number, col: number, expiresAt: Date | null = later): HeldClaim => ({
  id: row * 10 + col,
  userId,
  orderId: 1,
  row,
  col,
  expiresAt,
});
const accepted = (decision: unknown) => typeof decision === 'object' && decision !== null && 'seats' in decision;
const codeOf = (decision: unknown) => (decision as { error: { result: { code: number } } }).error.result.code;

describe('decide (a batch of holds)', () => {
  it('should accept free seats', () => {
    const [decision] = decide([job(1, [1, 1], [1, 2])], show, [], now);
    expect(decision).toEqual({
      seats: [
        { row: 1, col: 1, zone: 'standard', ticketType: null, priceCents: 4500 },
        { row: 1, col: 2, zone: 'standard', ticketType: null, priceCents: 4500 },
      ],
      amountCents: 9000,
      discountCents: 0,
      voucher: null,
    });
  });

  it('should refuse a seat held by someone else with 2003, naming it', () => {
    const [decision] = decide([job(1, [1, 1])], show, [claim(2, 1, 1)], now);
    expect(codeOf(decision)).toBe(2003);
    expect(seatsTaken([{ row: 1, col: 1 }]).message).toMatch(/seat 1-1/);
  });

  it('should treat a lapsed hold as free, and a sold seat as taken', () => {
    expect(accepted(decide([job(1, [1, 1])], show, [claim(2, 1, 1, earlier)], now)[0])).toBe(true);
    expect(codeOf(decide([job(1, [1, 1])], show, [claim(2, 1, 1, null)], now)[0])).toBe(2003);
  });

  it('should give the seat to the first of two holds in the batch', () => {
    const [first, second] = decide([job(1, [2, 2]), job(2, [2, 2], [2, 3])], show, [], now);
    expect(accepted(first)).toBe(true);
    expect(codeOf(second)).toBe(2003);
  });

  it('should count the seats a user holds, in the database and earlier in the batch, against the cap of 6 (2004)', () => {
    const held = [claim(1, 3, 1), claim(1, 3, 2), claim(1, 3, 3), claim(1, 3, 4)];
    const [first, second] = decide([job(1, [4, 1]), job(1, [4, 2], [4, 3])], show, held, now);
    expect(accepted(first)).toBe(true);
    expect(codeOf(second)).toBe(2004);
  });

  it('should answer 1014 for no showtime and 2005 once it has started or its cinema is not active', () => {
    expect(codeOf(decide([job(1, [1, 1])], null, [], now)[0])).toBe(1014);
    const started = { ...show, startsAt: now };
    expect(codeOf(decide([job(1, [1, 1])], started, [], now)[0])).toBe(2005);
    const closed = { ...show, cinemaStatus: 'suspended' } as SaleContext;
    expect(codeOf(decide([job(1, [1, 1])], closed, [], now)[0])).toBe(2005);
  });

  it('should answer 1002 outside the grid and 2003 for a disabled seat', () => {
    expect(codeOf(decide([job(1, [6, 1])], show, [], now)[0])).toBe(1002);
    expect(codeOf(decide([job(1, [5, 5])], show, [], now)[0])).toBe(2003);
  });
});

describe('isLive', () => {
  it('should hold a claim until its expiresAt, and a sold one for ever', () => {
    expect(isLive(claim(1, 1, 1, later), now)).toBe(true);
    expect(isLive(claim(1, 1, 1, now), now)).toBe(false);
    expect(isLive(claim(1, 1, 1, null), now)).toBe(true);
  });
});
