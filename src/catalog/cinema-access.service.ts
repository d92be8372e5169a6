import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { Cinema } from './entities/cinema.entity';

/**
 * The one answer to "may this caller manage this cinema?": admins any, merchants their own (1013
 * otherwise), unknown cinemas 1014. Services call it before anything else.
 */
@Injectable()
export class CinemaAccessService {
  constructor(@InjectRepository(Cinema) private readonly cinemas: Repository<Cinema>) {}

  async requireManageable(user: AuthUser, cinemaId: number): Promise<Cinema> {
    const cinema = await this.cinemas.findOneBy({ id: cinemaId });
    if (!cinema) throw new AppException(ResultCode.NotFound, 'cinema not found');
    if (!canManage(user, cinema)) throw new AppException(ResultCode.PermissionDenied, 'not your cinema');
    return cinema;
  }

  /** For checks on something already loaded with its cinema's owner. */
  assertCanManage(user: AuthUser, cinema: Pick<Cinema, 'ownerId'>): void {
    if (!canManage(user, cinema)) throw new AppException(ResultCode.PermissionDenied, 'not your cinema');
  }
}

export function canManage(user: AuthUser, cinema: Pick<Cinema, 'ownerId'>): boolean {
  return user.role === 'admin' || (user.role === 'merchant' && cinema.ownerId === user.id);
}
