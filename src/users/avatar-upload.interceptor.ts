import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Observable } from 'rxjs';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';

/** The part of multer's file the avatar needs (memory storage). */
export interface UploadedAvatar {
  buffer: Buffer;
  size: number;
}

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

const MulterAvatar = FileInterceptor('file', {
  limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 2 },
});

/** Reads the multipart field `file` into memory, answering the contract's 413 + 1002 past 2 MiB. */
@Injectable()
export class AvatarUploadInterceptor implements NestInterceptor {
  private readonly multer = new MulterAvatar();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        const message = 'file must be at most 2 MiB';
        throw new AppException(ResultCode.InvalidParams, message, [{ field: 'file', message }], {}, 413);
      }
      const message = 'send one image as the multipart field "file" and nothing else';
      throw new AppException(ResultCode.InvalidParams, message, [{ field: 'file', message }]);
    }
  }
}
