import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { ScheduleListQueryDto } from './dto/schedule-request.dto';
import { ShowtimeDto, toShowtimeDto } from './dto/showtime.dto';
import { ScheduleViewsRepository } from './schedule-views.repository';

/** Public reads of showtimes; exported for the halls module's day view. */
@Injectable()
export class ScheduleQueriesService {
  constructor(private readonly views: ScheduleViewsRepository) {}

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

  /** The hall's showtimes on a local day, soonest first (the caller has checked the hall exists). */
  async listHallDay(hallId: number, day: string): Promise<Page<ShowtimeDto>> {
    const items = await this.views.listHallDay(hallId, day);
    return new Page(items.map(toShowtimeDto), items.length);
  }
}
