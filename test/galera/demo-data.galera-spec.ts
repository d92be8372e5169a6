import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Cinema } from '../../src/catalog/entities/cinema.entity';
import { Movie } from '../../src/catalog/entities/movie.entity';
import { resolveDataSourceOptions } from '../../src/database/database.options';
import { DemoDataService } from '../../src/demo/demo-data.service';
import { Hall } from '../../src/halls/entities/hall.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { User } from '../../src/users/entities/user.entity';
import { AppProcess, startAppProcesses, stopAppProcesses } from '../support/app-process';
import { galeraUrls } from '../support/galera-urls';
import { bootTestApp, TestApp } from '../support/test-app';
import { API } from '../support/ticketing';

/**
 * Demo data on a Galera Cluster, where auto-increment ids are interleaved across nodes
 * (auto_increment_increment = 3): rows inserted together do not get consecutive ids, so whatever
 * the seeding links by id (halls to cinemas, showtimes to halls and movies) must use the ids the
 * database handed out. Each test seeds a fresh, empty database of the cluster.
 */
describe('Demo data on a Galera Cluster (CONTRACT 9, 15)', () => {
  let t: TestApp;
  let apps: AppProcess[] = [];
  const databases: string[] = [];

  /** A new empty database, created through node 1 (Galera replicates the statement to the other nodes). */
  const freshDatabase = async () => {
    const name = `ttms_galera_demo_${Date.now()}_${randomBytes(3).toString('hex')}`;
    await onNode1(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    databases.push(name);
    return name;
  };

  beforeAll(async () => {
    // The in-process app gets a fresh database of its own, migrated as it starts.
    t = await bootTestApp({ DATABASE_URL: galeraUrls(await freshDatabase())[0], DB_MIGRATIONS_RUN: 'true' });
  }, 120_000);

  afterAll(async () => {
    await stopAppProcesses(apps);
    await t?.close();
    for (const name of databases) await onNode1(`DROP DATABASE IF EXISTS \`${name}\``);
  }, 60_000);

  it('should seed an empty database of the cluster when an app process starts on it with DEMO_DATA=true', async () => {
    const database = await freshDatabase();
    const url = galeraUrls(database)[1];
    apps = await startAppProcesses(1, {
      DATABASE_URL: url,
      JWT_SECRET: process.env.JWT_SECRET as string,
      DB_MIGRATIONS_RUN: 'true',
      DEMO_DATA: 'true',
    });
    // Read through the node the process wrote to: what it committed is there before it answered health.
    const db = await new DataSource(
      await resolveDataSourceOptions({ url, path: '', migrationsRun: false }),
    ).initialize();
    try {
      expect(await db.getRepository(User).countBy({ name: 'demo_merchant' })).toBe(1);
      expect(await demoRowsNotLinkedById(db)).toEqual([]);
      // Each listed showtime names the hall and movie its ids point at.
      const listed = await apps[0].http.get(`${API}/schedules?pageSize=100`);
      expect(listed.status).toBe(200);
      expect(listed.body.total).toBeGreaterThan(0);
      const halls = new Map((await db.getRepository(Hall).find()).map((h) => [h.id, h.name]));
      const movies = new Map((await db.getRepository(Movie).find()).map((m) => [m.id, m.title]));
      const shown = listed.body.data as {
        id: number;
        hallId: number;
        hallName: string;
        movieId: number;
        movieTitle: string;
      }[];
      expect(shown.map((s) => [s.id, s.hallName, s.movieTitle])).toEqual(
        shown.map((s) => [s.id, halls.get(s.hallId), movies.get(s.movieId)]),
      );
    } finally {
      await db.destroy();
    }
  }, 180_000);

  it('should link the showtimes it seeds to the halls and movies it wrote (DemoDataService on node 1)', async () => {
    const accounts = await t.app.get(DemoDataService).seedIfEmpty();
    expect(accounts?.map((a) => a.name)).toEqual(['demo_merchant', 'demo_customer']);
    expect(await demoRowsNotLinkedById(t.db)).toEqual([]);
  });
});

async function onNode1(sql: string): Promise<void> {
  const admin = await new DataSource({ type: 'mysql', url: galeraUrls()[0] }).initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

/**
 * What the seeding linked by a wrong id: halls of no cinema of the demo merchant, showtimes of no
 * hall or movie, or whose cinema, seat count or end do not follow from the hall and movie they name.
 */
async function demoRowsNotLinkedById(db: DataSource): Promise<string[]> {
  const [merchant, cinemas, halls, movies, showtimes] = await Promise.all([
    db.getRepository(User).findOneByOrFail({ name: 'demo_merchant' }),
    db.getRepository(Cinema).find(),
    db.getRepository(Hall).find(),
    db.getRepository(Movie).find(),
    db.getRepository(Schedule).find(),
  ]);
  const problems: string[] = [];
  if (!cinemas.length || !halls.length || !movies.length || !showtimes.length) {
    problems.push(
      `seeded ${cinemas.length} cinemas, ${halls.length} halls, ${movies.length} movies, ${showtimes.length} showtimes`,
    );
  }
  const cinemaById = new Map(cinemas.map((c) => [c.id, c]));
  const hallById = new Map(halls.map((h) => [h.id, h]));
  const movieById = new Map(movies.map((m) => [m.id, m]));
  for (const hall of halls) {
    if (cinemaById.get(hall.cinemaId)?.ownerId !== merchant.id) {
      problems.push(`hall ${hall.id} names cinema ${hall.cinemaId}, not one of the demo merchant's`);
    }
  }
  for (const s of showtimes) {
    const hall = hallById.get(s.hallId);
    const movie = movieById.get(s.movieId);
    if (!hall || !movie) {
      problems.push(
        `showtime ${s.id} names ${hall ? '' : `missing hall ${s.hallId} `}${movie ? '' : `missing movie ${s.movieId}`}`,
      );
      continue;
    }
    if (s.cinemaId !== hall.cinemaId || s.seatCount !== hall.seatCount) {
      problems.push(
        `showtime ${s.id}: cinema ${s.cinemaId}, ${s.seatCount} seats; its hall ${hall.id}: cinema ${hall.cinemaId}, ${hall.seatCount} seats`,
      );
    }
    if (s.endsAt.getTime() - s.startsAt.getTime() !== movie.durationMinutes * 60_000) {
      problems.push(`showtime ${s.id} does not last its movie ${movie.id}'s ${movie.durationMinutes} minutes`);
    }
  }
  return problems.slice(0, 30);
}
