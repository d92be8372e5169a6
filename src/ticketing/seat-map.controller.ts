import { Controller, Get, Headers, Param } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Seat map of a showtime: every seat with available, held, sold or disabled',
    description:
      'Sent gzip-compressed to clients that accept it (Accept-Encoding: gzip), with an ETag: a request ' +
      'with If-None-Match naming the current one gets 304 Not Modified and no body.',
  })
  @ApiEnvelope(SeatMapDto, { errors: [ResultCode.NotFound] })
  @ApiHeader({ name: 'accept-encoding', required: false, description: 'gzip for a compressed answer' })
  @ApiResponse({ status: 304, description: 'Not modified: the map is still the one of the ETag in If-None-Match' })
  seats(@Param() { id }: IdParam, @Headers('accept-encoding') acceptEncoding?: string): Promise<RawResponse> {
    return this.seatMaps.seatMapResponse(id, acceptsGzip(acceptEncoding));
  }
}

/** `gzip` (or `*`) listed without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
