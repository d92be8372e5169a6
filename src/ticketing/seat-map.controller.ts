import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { IdParam } from '../common/id-param.dto';
import { SeatMapDto } from './dto/seat-map.dto';
import { SeatMapService } from './seat-map.service';

@ApiTags('schedules')
@Controller('schedules')
export class SeatMapController {
  constructor(private readonly seatMaps: SeatMapService) {}

  @Get(':id/seats')
  @Public()
  @ApiOperation({ summary: 'Seat map of a showtime: every seat with available, held, sold or disabled' })
  @ApiEnvelope(SeatMapDto, { errors: [ResultCode.NotFound] })
  seats(@Param() { id }: IdParam): Promise<RawResponse> {
    return this.seatMaps.seatMapResponse(id);
  }
}
