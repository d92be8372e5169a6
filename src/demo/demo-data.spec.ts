import { addDays } from '../common/time';
import { demoSeedingBlocker } from './demo-data.service';
import { planShowtimes } from './demo-plan';

describe('demoSeedingBlocker', () => {
  const base = { demoData: true, databaseUrl: undefined, nodeEnv: 'development' };

  it('should allow seeding the embedded database in development', () => {
    expect(demoSeedingBlocker(base)).toBeNull();
  });

  it('should not seed when DEMO_DATA is off', () => {
    expect(demoSeedingBlocker({ ...base, demoData: false })).toMatch(/DEMO_DATA/);
  });

  it('should not seed a MySQL database', () => {
    expect(demoSeedingBlocker({ ...base, databaseUrl: 'mysql://u:p@db:3306/ttms' })).toMatch(/SQLite/);
  });

  it('should not seed (nor print demo passwords) in production', () => {
    expect(demoSeedingBlocker({ ...base, nodeEnv: 'production' })).toMatch(/production/);
  });
});

describe('planShowtimes', () => {
  const options = { firstDay: '2026-03-01', days: 3, timeZone: 'Asia/Shanghai', cleaningMinutes: 15 };
  const halls = [{ id: 1, cinemaId: 1, seatCount: 90 }];
  const long = { id: 7, durationMinutes: 170, releaseDate: '2026-01-01', offDate: null };

  it('should leave the cleaning gap between showtimes of a hall', () => {
    const plan = planShowtimes(halls, [long], options);
    for (let i = 1; i < plan.length; i++) {
      expect(plan[i].startsAt.getTime()).toBeGreaterThanOrEqual(plan[i - 1].endsAt.getTime() + 15 * 60_000);
    }
    expect(plan[0].startsAt.toISOString()).toBe('2026-03-01T02:00:00.000Z');
  });

  it('should schedule a movie only on days it is showing', () => {
    const opening = { ...long, id: 8, releaseDate: addDays(options.firstDay, 2) };
    const plan = planShowtimes(halls, [opening], options);
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.every((s) => s.showDate === '2026-03-03')).toBe(true);
  });
});
