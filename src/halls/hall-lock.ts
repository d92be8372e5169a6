import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { Hall } from './entities/hall.entity';

/**
 * The hall row, locked for the rest of the transaction (MySQL; SQLite transactions take turns):
 * scheduling into a hall, changing its layout and deleting it all take this lock first, so they
 * queue instead of interleaving. One query for both the halls and the schedules repositories.
 */
export function lockActiveHall(runner: TransactionRunner, manager: EntityManager, id: number): Promise<Hall | null> {
  const query = manager
    .getRepository(Hall)
    .createQueryBuilder('h')
    .where('h.id = :id', { id })
    .andWhere('h.deleted_at IS NULL');
  return runner.forUpdate(query).getOne();
}
