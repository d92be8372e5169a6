import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { UploadedAvatar } from './avatar-upload.interceptor';
import { AvatarDto } from './dto/profile.dto';
import { detectImageType } from './image-type';
import { UsersRepository } from './users.repository';

const URL_PREFIX = '/uploads/avatars/';
/** Only names this service made are ever removed: nothing a stored URL says can reach outside the folder. */
const STORED_NAME = /^\/uploads\/avatars\/([0-9a-f]{32}\.(?:png|jpg|gif|webp))$/;

/** Avatars live under UPLOADS_DIR/avatars, which the app serves at /uploads/avatars/. */
@Injectable()
export class AvatarService {
  private readonly logger = new Logger(AvatarService.name);
  private readonly dir: string;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly users: UsersRepository,
  ) {
    this.dir = resolve(config.get('UPLOADS_DIR', { infer: true }), 'avatars');
  }

  async replace(userId: number, file: UploadedAvatar | undefined): Promise<AvatarDto> {
    if (!file) throw fileError('file is required: send the image as the multipart field "file"');
    const type = detectImageType(file.buffer);
    if (!type) throw fileError('file must be a PNG, JPEG, WebP or GIF image');
    const name = `${randomBytes(16).toString('hex')}.${type.ext}`;
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, name), file.buffer, { flag: 'wx' });
    const avatarUrl = `${URL_PREFIX}${name}`;
    let previous: string | null;
    try {
      previous = await this.runner.run(async (manager) => {
        const user = await this.users.findByIdForUpdate(manager, userId);
        if (!user) throw new AppException(ResultCode.NotFound, 'user not found');
        await this.users.setAvatarUrl(manager, userId, avatarUrl);
        return user.avatarUrl;
      });
    } catch (error) {
      await this.remove(avatarUrl);
      throw error;
    }
    await this.remove(previous);
    return { avatarUrl };
  }

  private async remove(avatarUrl: string | null): Promise<void> {
    const name = avatarUrl ? STORED_NAME.exec(avatarUrl)?.[1] : undefined;
    if (!name) return;
    await rm(join(this.dir, name), { force: true }).catch((error: Error) =>
      this.logger.warn(`could not remove old avatar ${name}: ${error.message}`),
    );
  }
}

function fileError(message: string): AppException {
  return new AppException(ResultCode.InvalidParams, message, [{ field: 'file', message }]);
}
