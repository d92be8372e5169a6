import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { Envelope, Page, RawResponse } from './envelope';
import { ResultCode } from './result-code';

/** Wraps every successful handler result in the envelope; pages lift their `total` beside `data`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(map((value: unknown) => this.wrap(value, res)));
  }

  private wrap(value: unknown, res: Response): unknown {
    if (value instanceof StreamableFile || res.headersSent) return value;
    if (value instanceof RawResponse) {
      res.setHeader('Content-Type', value.contentType);
      for (const [name, headerValue] of Object.entries(value.headers)) res.setHeader(name, headerValue);
      res.send(value.body);
      return undefined;
    }
    const { code, msg } = ResultCode.Success;
    if (value instanceof Page) {
      return { code, msg, data: value.items, total: value.total } satisfies Envelope;
    }
    return { code, msg, data: value ?? null } satisfies Envelope;
  }
}
