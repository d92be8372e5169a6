import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiErrors } from '../common/swagger/api-envelope';
import { IdParam } from '../common/id-param.dto';
import { SeatsChangedEventDto, SeatSnapshotEventDto } from './dto/seat-stream.dto';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { SeatStreamService } from './seat-stream.service';

@ApiTags('schedules')
@ApiExtraModels(SeatSnapshotEventDto, SeatsChangedEventDto)
@Controller('schedules')
export class SeatStreamController {
  constructor(private readonly streams: SeatStreamService) {}

  @Get(':id/seats/stream')
  @Public()
  @ApiOperation({
    summary: 'Live seat map (Server-Sent Events): a `snapshot` event, then one `seats` event per change',
    description:
      'Events are not wrapped in the envelope. `snapshot` carries the seat map plus `version`; each `seats` event ' +
      'carries `{ version, seats: [{ row, col, status }] }` for the seats that changed, in version order, with the ' +
      'version as the SSE id. Reconnect with `Last-Event-ID` to resume; a comment line every 15 s keeps proxies open.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this version' })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description:
      'event stream: `event: snapshot` (data: SeatSnapshotEventDto), then `event: seats` (data: SeatsChangedEventDto)',
    content: {
      'text/event-stream': {
        // The body is SSE text; the JSON of each event's data lines is described by x-event-data.
        schema: {
          type: 'string',
          'x-event-data': {
            oneOf: [{ $ref: getSchemaPath(SeatSnapshotEventDto) }, { $ref: getSchemaPath(SeatsChangedEventDto) }],
          },
        } as SchemaObject,
        example:
          'event: snapshot\nid: 12\ndata: {"scheduleId":1,"rows":8,"cols":12,"price":45.5,"seats":[...],"version":12}\n\n',
      },
    },
  })
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.ServerError)
  stream(
    @Param() { id }: IdParam,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.streams.open(id, lastEventId, req, res);
  }
}
