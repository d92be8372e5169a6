import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { centsToYuan } from '../common/time';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { SeatMapDto, SeatStateDto, SeatStatus } from './dto/seat-map.dto';
import { SeatClaimsRepository } from './seat-claims.repository';

/** GET /schedules/:id/seats, the hottest read: one query for the showtime and hall, one for the live claims. */
@Injectable()
export class SeatMapService {
  constructor(
    private readonly sales: ScheduleSalesService,
    private readonly claims: SeatClaimsRepository,
  ) {}

  async seatMap(scheduleId: number): Promise<SeatMapDto> {
    const context = await this.sales.findSaleContext(scheduleId);
    if (!context) throw new AppException(ResultCode.NotFound, 'showtime not found');
    const live = await this.claims.findLiveOfSchedule(scheduleId, new Date());
    const { rows, cols } = context;
    const status: SeatStatus[] = new Array<SeatStatus>(rows * cols).fill('available');
    const at = (row: number, col: number) => (row - 1) * cols + (col - 1);
    const inGrid = (row: number, col: number) => row >= 1 && row <= rows && col >= 1 && col <= cols;
    for (const seat of context.disabledSeats) {
      if (inGrid(seat.row, seat.col)) status[at(seat.row, seat.col)] = 'disabled';
    }
    // Claims win over a disabled mark: a seat sold before the layout changed is still someone's ticket.
    for (const claim of live) {
      if (inGrid(claim.row, claim.col)) status[at(claim.row, claim.col)] = claim.sold ? 'sold' : 'held';
    }
    const seats: SeatStateDto[] = status.map((s, i) => ({
      row: Math.floor(i / cols) + 1,
      col: (i % cols) + 1,
      status: s,
    }));
    return { scheduleId: context.scheduleId, rows, cols, price: centsToYuan(context.priceCents), seats };
  }
}
