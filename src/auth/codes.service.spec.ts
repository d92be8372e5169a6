import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import { TransactionRunner } from '../database/transaction-runner';
import { CodesRepository } from './codes.repository';
import { codeHash, CodesService } from './codes.service';
import { CodeTarget } from './entities/code-target.entity';
import { VerificationCode } from './entities/verification-code.entity';

const manager = {} as EntityManager;
const NOW = new Date('2026-12-01T04:00:00Z'); // 12:00 in Shanghai
const PHONE = '13800138000';

describe('CodesService', () => {
  let service: CodesService;
  let repo: jest.Mocked<CodesRepository>;

  beforeEach(async () => {
    repo = {
      claimSendSlot: jest.fn(),
      insertTarget: jest.fn(),
      findTarget: jest.fn(),
      insertCode: jest.fn(),
      findLatestCode: jest.fn(),
      recordWrongAttempt: jest.fn().mockResolvedValue(true),
      markUsed: jest.fn().mockResolvedValue(true),
    } as unknown as jest.Mocked<CodesRepository>;
    const module = await Test.createTestingModule({
      providers: [
        CodesService,
        { provide: CodesRepository, useValue: repo },
        { provide: TransactionRunner, useValue: { run: (work: (m: EntityManager) => unknown) => work(manager) } },
        { provide: ConfigService, useValue: { get: () => 'Asia/Shanghai' } },
      ],
    }).compile();
    service = module.get(CodesService);
  });

  const storedCode = (fields: Partial<VerificationCode> = {}) =>
    ({
      id: 7,
      target: PHONE,
      purpose: 'register',
      codeHash: codeHash(PHONE, 'register', '123456'),
      expiresAt: new Date(NOW.getTime() + 60_000),
      attempts: 0,
      used: false,
      ...fields,
    }) as VerificationCode;
  const check = (code: string) => service.check(manager, PHONE, 'register', code, NOW);
  const target = (fields: Partial<CodeTarget>): CodeTarget => ({
    target: PHONE,
    lastSentAt: NOW,
    day: '2026-12-01',
    sentToday: 1,
    ...fields,
  });

  describe('lockout', () => {
    it('should accept the right code once and mark it used', async () => {
      repo.findLatestCode.mockResolvedValue(storedCode());
      await expect(check('123456')).resolves.toBe('ok');
      expect(repo.markUsed).toHaveBeenCalledWith(manager, 7, 5);
    });

    it('should count the 5th wrong try and still answer wrong (1010)', async () => {
      repo.findLatestCode.mockResolvedValue(storedCode({ attempts: 4 }));
      await expect(check('000000')).resolves.toBe('wrong');
      expect(repo.recordWrongAttempt).toHaveBeenCalledWith(manager, 7, 5);
    });

    it('should answer locked (1011) after 5 wrong tries, even for the right code', async () => {
      repo.findLatestCode.mockResolvedValue(storedCode({ attempts: 5 }));
      await expect(check('123456')).resolves.toBe('locked');
      expect(repo.markUsed).not.toHaveBeenCalled();
    });

    it('should answer missing (1010) for an expired, used or absent code', async () => {
      repo.findLatestCode.mockResolvedValueOnce(storedCode({ expiresAt: NOW }));
      await expect(check('123456')).resolves.toBe('missing');
      repo.findLatestCode.mockResolvedValueOnce(storedCode({ used: true }));
      await expect(check('123456')).resolves.toBe('missing');
      repo.findLatestCode.mockResolvedValueOnce(null);
      await expect(check('123456')).resolves.toBe('missing');
    });

    it('should answer locked when a racing wrong try took the last attempt', async () => {
      repo.findLatestCode
        .mockResolvedValueOnce(storedCode({ attempts: 4 }))
        .mockResolvedValueOnce(storedCode({ attempts: 5 }));
      repo.recordWrongAttempt.mockResolvedValue(false);
      await expect(check('000000')).resolves.toBe('locked');
    });
  });

  describe('resend rules', () => {
    it('should store a hashed 6-digit code when the slot is claimed', async () => {
      repo.claimSendSlot.mockResolvedValue(true);
      const { code, expiresIn } = await service.issue(PHONE, 'register', NOW);
      expect([code, expiresIn]).toEqual([expect.stringMatching(/^\d{6}$/), 300]);
      expect(repo.insertCode).toHaveBeenCalledWith(
        manager,
        expect.objectContaining({ codeHash: codeHash(PHONE, 'register', code) }),
      );
      expect(repo.claimSendSlot).toHaveBeenCalledWith(
        manager,
        expect.objectContaining({ today: '2026-12-01', dailyCap: 10 }),
      );
    });

    it('should refuse within 30 s with 1012 and the seconds left in Retry-After', async () => {
      repo.claimSendSlot.mockResolvedValue(false);
      repo.findTarget.mockResolvedValue(target({ lastSentAt: new Date(NOW.getTime() - 10_000) }));
      const refusal = await service.issue(PHONE, 'register', NOW).catch((e: AppException) => e);
      expect(refusal).toMatchObject({ result: { code: 1012 }, headers: { 'Retry-After': '20' } });
      expect(repo.insertCode).not.toHaveBeenCalled();
    });

    it('should refuse the 11th code of the day with 1012', async () => {
      repo.claimSendSlot.mockResolvedValue(false);
      repo.findTarget.mockResolvedValue(target({ lastSentAt: new Date(NOW.getTime() - 60_000), sentToday: 10 }));
      await expect(service.issue(PHONE, 'register', NOW)).rejects.toMatchObject({
        message: expect.stringMatching(/10 codes a day/),
      });
    });

    it('should create the counter row for a first-time target and claim again', async () => {
      repo.claimSendSlot.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
      repo.findTarget.mockResolvedValue(null);
      await service.issue(PHONE, 'login', NOW);
      expect(repo.insertTarget).toHaveBeenCalledWith(manager, PHONE, '2026-12-01');
      expect(repo.insertCode).toHaveBeenCalledTimes(1);
    });
  });
});
