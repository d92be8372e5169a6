import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { Hall } from './entities/hall.entity';

export type NewHall = Pick<
  Hall,
  'cinemaId' | 'name' | 'rows' | 'cols' | 'disabledSeats' | 'seatCount' | 'description' | 'zones' | 'couples'
>;
export type HallChanges = Partial<Omit<NewHall, 'cinemaId'>>;

@Injectable()
export class HallsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: TransactionRunner,
  ) {}

  /** A hall that is not deleted. */
  findActive(id: number, manager: EntityManager = this.dataSource.manager): Promise<Hall | null> {
    return manager.getRepository(Hall).findOneBy({ id, deletedAt: IsNull() });
  }

  /**
   * The hall row, locked for the rest of the transaction (MySQL; SQLite transactions take turns):
   * scheduling into a hall, changing its layout and deleting it all take this lock first, so they
   * queue instead of interleaving.
   */
  findActiveForUpdate(manager: EntityManager, id: number): Promise<Hall | null> {
    const query = manager
      .getRepository(Hall)
      .createQueryBuilder('h')
      .where('h.id = :id', { id })
      .andWhere('h.deleted_at IS NULL');
    return this.runner.forUpdate(query).getOne();
  }

  listByCinema(cinemaId: number, window?: { skip: number; take: number }): Promise<[Hall[], number]> {
    return this.dataSource.getRepository(Hall).findAndCount({
      where: { cinemaId, deletedAt: IsNull() },
      order: { id: 'ASC' },
      ...window,
    });
  }

  async insert(manager: EntityManager, hall: NewHall): Promise<Hall> {
    return manager.getRepository(Hall).save({ ...hall, deletedAt: null });
  }

  async insertMany(manager: EntityManager, halls: NewHall[]): Promise<Hall[]> {
    return manager.getRepository(Hall).save(halls.map((hall) => ({ ...hall, deletedAt: null })));
  }

  async update(manager: EntityManager, id: number, changes: HallChanges): Promise<void> {
    await manager.getRepository(Hall).update({ id }, changes);
  }

  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(Hall).delete({ id });
  }

  /** Keeps the row for its past showtimes (the foreign key would cascade them away) and frees the name. */
  async softDelete(manager: EntityManager, hall: Hall, now: Date): Promise<void> {
    await manager.getRepository(Hall).update({ id: hall.id }, { deletedAt: now, name: `${hall.name}~${hall.id}` });
  }
}
