import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { HallDto, toHallDto } from './dto/hall.dto';
import { CreateHallDto, HallListQueryDto, UpdateHallDto } from './dto/hall-request.dto';
import { Hall } from './entities/hall.entity';
import {
  HallLayout,
  HallSeatingPlan,
  HallZone,
  hasSeat,
  layoutProblem,
  nextLayout,
  sameLayout,
  SeatPosition,
  seatCountOf,
  seatingProblem,
} from './hall-layout';
import { HallShowtimes } from './hall-showtimes';
import { HallChanges, HallsRepository, NewHall } from './halls.repository';

/** A hall as scheduling sees it: its cinema, and the seats a showtime in it puts on sale. */
export type HallSeating = Pick<
  Hall,
  'id' | 'cinemaId' | 'seatCount' | 'rows' | 'cols' | 'disabledSeats' | 'zones' | 'couples'
>;

/** A hall to create: the seat count follows from its layout; no zones or couples unless given. */
export type HallPlan = Omit<NewHall, 'seatCount' | 'zones' | 'couples'> & Partial<Pick<NewHall, 'zones' | 'couples'>>;

function assertValidLayout(layout: HallLayout): void {
  const problem = layoutProblem(layout);
  if (problem) {
    throw new AppException(ResultCode.InvalidParams, problem, [{ field: 'disabledSeats', message: problem }]);
  }
}

/** Zones and couples must fit the layout (CONTRACT 13): 1002 naming the field that does not. */
function assertValidSeating(layout: HallLayout, plan: HallSeatingPlan): void {
  const problem = seatingProblem(layout, plan);
  if (problem) throw new AppException(ResultCode.InvalidParams, problem.message, [problem]);
}

/** Request zones and seats (DTO instances) as plain data. */
function seatingOf(zones: HallZone[], couples: SeatPosition[]): HallSeatingPlan {
  return {
    zones: zones.map((zone) => ({ name: zone.name, seats: zone.seats.map(({ row, col }) => ({ row, col })) })),
    couples: couples.map(({ row, col }) => ({ row, col })),
  };
}

@Injectable()
export class HallsService {
  constructor(
    private readonly halls: HallsRepository,
    private readonly access: CinemaAccessService,
    private readonly showtimes: HallShowtimes,
    private readonly runner: TransactionRunner,
  ) {}

  async create(user: AuthUser, dto: CreateHallDto): Promise<HallDto> {
    await this.access.requireManageable(user, dto.cinemaId);
    const hall = laidOut({
      cinemaId: dto.cinemaId,
      name: dto.name,
      rows: dto.rows,
      cols: dto.cols,
      disabledSeats: dto.disabledSeats ?? [],
      description: dto.description ?? null,
      ...seatingOf(dto.zones ?? [], dto.couples ?? []),
    });
    return toHallDto(await this.withUniqueName(() => this.runner.run((manager) => this.halls.insert(manager, hall))));
  }

  /** Halls in the caller's transaction, without an access check: for seeding an empty database. */
  createMany(manager: EntityManager, plans: HallPlan[]): Promise<HallSeating[]> {
    return this.halls.insertMany(manager, plans.map(laidOut));
  }

  /** Every hall of the cinema unless a page is asked for (a cinema has a handful). */
  async list(query: HallListQueryDto): Promise<Page<HallDto>> {
    const paged = query.page !== undefined || query.pageSize !== undefined;
    const pageSize = query.pageSize ?? 20;
    const window = paged ? { skip: ((query.page ?? 1) - 1) * pageSize, take: pageSize } : undefined;
    const [halls, total] = await this.halls.listByCinema(query.cinemaId, window);
    return new Page(halls.map(toHallDto), total);
  }

  async findOne(id: number): Promise<HallDto> {
    return toHallDto(await this.requireHall(id));
  }

  /** A hall not deleted, for scheduling into it. */
  findActive(id: number): Promise<HallSeating | null> {
    return this.halls.findActive(id);
  }

  /**
   * Locks the hall row until the caller's transaction ends: scheduling into a hall, changing its
   * layout and deleting it all take this lock first, so they queue instead of interleaving.
   */
  lockActive(manager: EntityManager, id: number): Promise<HallSeating | null> {
    return this.halls.findActiveForUpdate(manager, id);
  }

  async update(user: AuthUser, id: number, dto: UpdateHallDto): Promise<HallDto> {
    await this.access.requireManageable(user, (await this.requireHall(id)).cinemaId);
    const updated = await this.withUniqueName(() =>
      this.runner.run(async (manager) => {
        const hall = await this.halls.findActiveForUpdate(manager, id);
        if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
        const layout = nextLayout(hall, dto);
        assertValidLayout(layout);
        // Zones and couples sent replace the old; kept ones must still fit a changed layout.
        const seating = seatingOf(dto.zones ?? hall.zones ?? [], dto.couples ?? hall.couples ?? []);
        assertValidSeating(layout, seating);
        const changes: HallChanges = { name: dto.name ?? hall.name };
        if (dto.description !== undefined) changes.description = dto.description;
        if (dto.zones !== undefined) changes.zones = seating.zones;
        if (dto.couples !== undefined) changes.couples = seating.couples;
        if (!sameLayout(hall, layout)) {
          const now = new Date();
          const seatCount = seatCountOf(layout);
          // Showtime rows first: their locks make a concurrent hold wait for the new layout.
          await this.showtimes.applySeatCount(manager, id, seatCount, now);
          const lost = (await this.showtimes.claimedSeats(manager, id, now)).find((seat) => !hasSeat(layout, seat));
          if (lost) {
            const seat = `row ${lost.row}, col ${lost.col}`;
            throw new AppException(
              ResultCode.StillInUse,
              `seat (${seat}) is sold or held for showtime ${lost.scheduleId}`,
            );
          }
          Object.assign(changes, layout, { seatCount });
        }
        await this.halls.update(manager, id, changes);
        return { ...hall, ...changes };
      }),
    );
    return toHallDto(updated);
  }

  /** Refused while showtimes are to come; a hall with past showtimes is kept for them, renamed. */
  async remove(user: AuthUser, id: number): Promise<void> {
    await this.access.requireManageable(user, (await this.requireHall(id)).cinemaId);
    await this.runner.run(async (manager) => {
      const hall = await this.halls.findActiveForUpdate(manager, id);
      if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
      const now = new Date();
      if (await this.showtimes.hasUpcoming(manager, id, now)) {
        throw new AppException(ResultCode.StillInUse, 'the hall has showtimes that have not ended');
      }
      if (await this.showtimes.hasAny(manager, id)) await this.halls.softDelete(manager, hall, now);
      else await this.halls.delete(manager, id);
    });
  }

  private async requireHall(id: number): Promise<Hall> {
    const hall = await this.halls.findActive(id);
    if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
    return hall;
  }

  /** The unique index decides, not a look-up before the insert: two requests may pick one name at once. */
  private async withUniqueName<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppException(ResultCode.AlreadyExists, 'a hall with this name already exists in the cinema');
      }
      throw error;
    }
  }
}

/** A checked layout with its seat count; request seats (DTO instances) become plain { row, col }. */
function laidOut(plan: HallPlan): NewHall {
  assertValidLayout(plan);
  assertValidSeating(plan, { zones: plan.zones ?? [], couples: plan.couples ?? [] });
  const disabledSeats = plan.disabledSeats.map(({ row, col }) => ({ row, col }));
  return { ...plan, disabledSeats, zones: plan.zones ?? [], couples: plan.couples ?? [], seatCount: seatCountOf(plan) };
}
