import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { Schedule } from './entities/schedule.entity';

/** A movie's, a cinema's or a hall's showtimes: what catalog and halls ask of schedules. */
@Injectable()
export class RelatedShowtimesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: TransactionRunner,
  ) {}

  /**
   * Locks the movie's showtimes (MySQL) before reading their sales, so that a payment cannot add a
   * sale between this check and the caller's change: it waits, then finds its showtime gone.
   */
  async lockMovieHasSales(manager: EntityManager, movieId: number): Promise<boolean> {
    const showtimes = await this.runner
      .forUpdate(manager.createQueryBuilder(Schedule, 's').select(['s.id', 's.soldCount']))
      .where('s.movieId = :movieId', { movieId })
      .getMany();
    return showtimes.some((s) => s.soldCount > 0);
  }

  hasMovieShowtimesFrom(manager: EntityManager, movieId: number, now: Date): Promise<boolean> {
    return manager
      .createQueryBuilder(Schedule, 's')
      .where('s.movieId = :movieId AND s.startsAt > :now', { movieId, now })
      .getExists();
  }

  async cinemasShowing(movieId: number, now: Date): Promise<number[]> {
    const rows = await this.dataSource
      .createQueryBuilder(Schedule, 's')
      .select('DISTINCT s.cinema_id', 'cinemaId')
      .where('s.movie_id = :movieId AND s.starts_at > :now', { movieId, now })
      .getRawMany<{ cinemaId: number | string }>();
    return rows.map((r) => Number(r.cinemaId));
  }

  /** One grouped read for a page of cinemas; ix_schedules_cinema_day narrows it to their showtimes. */
  async lowestPrices(cinemaIds: number[], now: Date, movieId?: number): Promise<Map<number, number>> {
    if (!cinemaIds.length) return new Map();
    const query = this.dataSource
      .createQueryBuilder(Schedule, 's')
      .select('s.cinema_id', 'cinemaId')
      .addSelect('MIN(s.price_cents)', 'lowest')
      .where('s.cinema_id IN (:...cinemaIds) AND s.starts_at > :now', { cinemaIds, now })
      .groupBy('s.cinema_id');
    if (movieId !== undefined) query.andWhere('s.movie_id = :movieId', { movieId });
    const rows = await query.getRawMany<{ cinemaId: number | string; lowest: number | string }>();
    return new Map(rows.map((r) => [Number(r.cinemaId), Number(r.lowest)]));
  }

  async setUpcomingSeatCount(manager: EntityManager, hallId: number, seatCount: number, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Schedule)
      .set({ seatCount })
      .where('hall_id = :hallId', { hallId })
      .andWhere('ends_at > :now', { now })
      .execute();
  }

  async upcomingInHall(manager: EntityManager, hallId: number, now: Date): Promise<number[]> {
    const rows = await this.upcomingInHallQuery(manager, hallId, now)
      .select('s.id', 'id')
      .getRawMany<{ id: unknown }>();
    return rows.map((r) => Number(r.id));
  }

  hasUpcomingInHall(manager: EntityManager, hallId: number, now: Date): Promise<boolean> {
    return this.upcomingInHallQuery(manager, hallId, now).getExists();
  }

  hasAnyInHall(manager: EntityManager, hallId: number): Promise<boolean> {
    return manager.getRepository(Schedule).exists({ where: { hallId } });
  }

  private upcomingInHallQuery(manager: EntityManager, hallId: number, now: Date) {
    return manager
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .where('s.hall_id = :hallId', { hallId })
      .andWhere('s.ends_at > :now', { now });
  }
}
