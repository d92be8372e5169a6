import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception';
import { PresetAnswer } from './preset-answer';
import { Envelope } from './envelope';
import { ResultCode, ResultCodeEntry } from './result-code';
import { isDuplicateKeyError } from '../database/db-errors';

interface Mapped {
  result: ResultCodeEntry;
  status: number;
  msg: string;
  data: unknown;
  headers?: Record<string, string>;
}

const BY_HTTP_STATUS: Record<number, ResultCodeEntry> = {
  400: ResultCode.InvalidParams,
  401: ResultCode.NotLoggedIn,
  403: ResultCode.PermissionDenied,
  404: ResultCode.NotFound,
  405: ResultCode.NotFound,
  409: ResultCode.AlreadyExists,
  413: ResultCode.InvalidParams,
  415: ResultCode.InvalidParams,
  429: ResultCode.TooFrequent,
};

/** Turns every error into the envelope; anything unexpected becomes 5000 with the cause logged, never sent. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (exception instanceof PresetAnswer) {
      if (res.headersSent) return;
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
      res.status(exception.status).type('application/json').send(exception.jsonBody);
      return;
    }
    const mapped = this.map(exception, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(mapped.headers ?? {})) res.setHeader(name, value);
    const body: Envelope = { code: mapped.result.code, msg: mapped.msg, data: mapped.data };
    res.status(mapped.status).json(body);
  }

  private map(exception: unknown, req: Request): Mapped {
    if (exception instanceof AppException) {
      const { result } = exception;
      return {
        result,
        status: exception.status,
        msg: exception.message,
        data: exception.data,
        headers: exception.headers,
      };
    }
    if (exception instanceof ThrottlerException) {
      return { result: ResultCode.TooFrequent, status: 429, msg: 'too many requests, retry later', data: null };
    }
    if (exception instanceof HttpException) return this.mapHttp(exception, req);
    // body-parser's errors: typed ones, and a failed inflate, which it passes on as a bare 4xx http-error.
    const bodyParserError = exception as { type?: string; status?: number; expose?: boolean };
    if (bodyParserError?.type === 'entity.parse.failed') {
      return { result: ResultCode.InvalidParams, status: 400, msg: 'malformed JSON body', data: null };
    }
    if (bodyParserError?.type === 'entity.too.large') {
      return {
        result: ResultCode.InvalidParams,
        status: 413,
        msg: 'request body too large (JSON: at most 1 MiB)',
        data: null,
      };
    }
    if ((bodyParserError?.type || bodyParserError?.expose) && bodyParserError.status && bodyParserError.status < 500) {
      return { result: ResultCode.InvalidParams, status: 400, msg: 'unreadable request body', data: null };
    }
    if (exception instanceof QueryFailedError && isDuplicateKeyError(exception)) {
      return { result: ResultCode.AlreadyExists, status: 409, msg: ResultCode.AlreadyExists.msg, data: null };
    }
    this.logger.error(
      { err: exception, method: req.method, path: req.originalUrl },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return { result: ResultCode.ServerError, status: 500, msg: ResultCode.ServerError.msg, data: null };
  }

  private mapHttp(exception: HttpException, req: Request): Mapped {
    const status = exception.getStatus();
    const result = BY_HTTP_STATUS[status] ?? (status >= 500 ? ResultCode.ServerError : ResultCode.Failed);
    if (status >= 500) {
      this.logger.error({ err: exception, method: req.method, path: req.originalUrl }, exception.message);
      return { result, status, msg: result.msg, data: null };
    }
    if (status === (HttpStatus.NOT_FOUND as number) && /^Cannot \w+ /.test(exception.message)) {
      return { result, status, msg: `no route ${req.method} ${req.path}`, data: null };
    }
    const message = status === 413 ? 'request body too large' : exception.message || result.msg;
    return { result, status, msg: message, data: null };
  }
}
