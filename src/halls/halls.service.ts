import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { localDay } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { ShowtimeDto } from '../schedules/dto/showtime.dto';
import { ScheduleQueriesService } from '../schedules/schedule-queries.service';
import { HallDto, toHallDto } from './dto/hall.dto';
import { CreateHallDto, HallDayQueryDto, HallListQueryDto, UpdateHallDto } from './dto/hall-request.dto';
import { Hall } from './entities/hall.entity';
import { HallLayout, hasSeat, layoutProblem, sameLayout, seatCountOf } from './hall-layout';
import { HallChanges, HallsRepository } from './halls.repository';

function assertValidLayout(layout: HallLayout): void {
  const problem = layoutProblem(layout);
  if (problem) {
    throw new AppException(ResultCode.InvalidParams, problem, [{ field: 'disabledSeats', message: problem }]);
  }
}

@Injectable()
export class HallsService {
  constructor(
    private readonly halls: HallsRepository,
    private readonly access: CinemaAccessService,
    private readonly showtimes: ScheduleQueriesService,
    private readonly runner: TransactionRunner,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async create(user: AuthUser, dto: CreateHallDto): Promise<HallDto> {
    await this.access.requireManageable(user, dto.cinemaId);
    const layout = { rows: dto.rows, cols: dto.cols, disabledSeats: dto.disabledSeats ?? [] };
    assertValidLayout(layout);
    const hall = await this.withUniqueName(() =>
      this.runner.run((manager) =>
        this.halls.insert(manager, {
          cinemaId: dto.cinemaId,
          name: dto.name,
          ...layout,
          disabledSeats: layout.disabledSeats.map(({ row, col }) => ({ row, col })),
          seatCount: seatCountOf(layout),
          description: dto.description ?? null,
        }),
      ),
    );
    return toHallDto(hall);
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

  async listDay(id: number, query: HallDayQueryDto): Promise<Page<ShowtimeDto>> {
    await this.requireHall(id);
    const day = query.date ?? localDay(new Date(), this.config.get('APP_TIMEZONE', { infer: true }));
    return this.showtimes.listHallDay(id, day);
  }

  async update(user: AuthUser, id: number, dto: UpdateHallDto): Promise<HallDto> {
    await this.access.requireManageable(user, (await this.requireHall(id)).cinemaId);
    const updated = await this.withUniqueName(() =>
      this.runner.run(async (manager) => {
        const hall = await this.halls.findActiveForUpdate(manager, id);
        if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
        const layout = nextLayout(hall, dto);
        assertValidLayout(layout);
        const changes: HallChanges = { name: dto.name ?? hall.name };
        if (dto.description !== undefined) changes.description = dto.description;
        if (!sameLayout(hall, layout)) {
          const now = new Date();
          const seatCount = seatCountOf(layout);
          // Showtime rows first: their locks make a concurrent hold wait for the new layout.
          await this.halls.syncUpcomingSeatCounts(manager, id, seatCount, now);
          const lost = (await this.halls.findClaimedSeats(manager, id, now)).find((seat) => !hasSeat(layout, seat));
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
      if ((await this.halls.countUpcomingSchedules(manager, id, now)) > 0) {
        throw new AppException(ResultCode.StillInUse, 'the hall has showtimes that have not ended');
      }
      if (await this.halls.hasAnySchedule(manager, id)) await this.halls.softDelete(manager, hall, now);
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

/** The layout after a change: seats given replace the old; kept ones that fall outside a smaller grid go. */
function nextLayout(hall: Hall, dto: UpdateHallDto): HallLayout {
  const rows = dto.rows ?? hall.rows;
  const cols = dto.cols ?? hall.cols;
  const disabledSeats = dto.disabledSeats
    ? dto.disabledSeats.map(({ row, col }) => ({ row, col }))
    : hall.disabledSeats.filter((seat) => seat.row <= rows && seat.col <= cols);
  return { rows, cols, disabledSeats };
}
