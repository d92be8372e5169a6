import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { localDay } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { HallsService } from '../halls/halls.service';
import { HallDayQueryDto, ScheduleListQueryDto } from './dto/schedule-request.dto';
import { ShowtimeDto, toShowtimeDto } from './dto/showtime.dto';
import { ScheduleViewsRepository } from './schedule-views.repository';

/** Public reads of showtimes. */
@Injectable()
export class ScheduleQueriesService {
  constructor(
    private readonly views: ScheduleViewsRepository,
    private readonly halls: HallsService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async list(query: ScheduleListQueryDto): Promise<Page<ShowtimeDto>> {
    const { movieId, cinemaId, hallId, date } = query;
    const filter = { movieId, cinemaId, hallId, date, now: new Date() };
    const [items, total] = await this.views.list(filter, pageWindow(query));
    return new Page(items.map(toShowtimeDto), total);
  }

  /** Any showtime by id, past ones included (orders and tickets link to them). */
  async findOne(id: number): Promise<ShowtimeDto> {
    const view = await this.views.findView(id);
    if (!view) throw new AppException(ResultCode.NotFound, 'showtime not found');
    return toShowtimeDto(view);
  }

  /** The hall's showtimes on a local day (today by default), soonest first; 1014 for a hall deleted or unknown. */
  async listHallDay(hallId: number, query: HallDayQueryDto): Promise<Page<ShowtimeDto>> {
    await this.halls.findOne(hallId);
    const day = query.date ?? localDay(new Date(), this.config.get('APP_TIMEZONE', { infer: true }));
    const items = await this.views.listHallDay(hallId, day);
    return new Page(items.map(toShowtimeDto), items.length);
  }
}
