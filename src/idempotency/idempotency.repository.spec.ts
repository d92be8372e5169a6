import type { DataSource } from 'typeorm';
import { IdempotencyRepository } from './idempotency.repository';

const lostCertification = () =>
  Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });
const duplicate = () => Object.assign(new Error("Duplicate entry for key 'uq_idem'"), { code: 'ER_DUP_ENTRY' });

describe('IdempotencyRepository.claim', () => {
  const withInsert = (insert: jest.Mock) =>
    new IdempotencyRepository({ getRepository: () => ({ insert }) } as unknown as DataSource);
  const claim = (repository: IdempotencyRepository) => repository.claim(7, 'key-1', 'print', new Date());

  it('should find the key taken when a claim that lost certification meets it on the next try', async () => {
    const insert = jest.fn().mockRejectedValueOnce(lostCertification()).mockRejectedValueOnce(duplicate());
    await expect(claim(withInsert(insert))).resolves.toBeNull();
    expect(insert).toHaveBeenCalledTimes(2);
  });

  it('should claim the key when the next try goes through', async () => {
    const insert = jest
      .fn()
      .mockRejectedValueOnce(lostCertification())
      .mockResolvedValueOnce({ identifiers: [{ id: 41 }] });
    await expect(claim(withInsert(insert))).resolves.toBe(41);
  });

  it('should give up after five tries, and at once on any other error', async () => {
    const losing = jest.fn().mockRejectedValue(lostCertification());
    await expect(claim(withInsert(losing))).rejects.toThrow('Deadlock');
    expect(losing).toHaveBeenCalledTimes(5);
    const broken = jest.fn().mockRejectedValue(new Error('connection lost'));
    await expect(claim(withInsert(broken))).rejects.toThrow('connection lost');
    expect(broken).toHaveBeenCalledTimes(1);
  });
});
