import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { EnvironmentVariables } from '../config/env.validation';
import { UsersModule } from '../users/users.module';
import { AccountPasswordController } from './account-password.controller';
import { AccountPasswordService } from './account-password.service';
import { AccountsCleanupService } from './accounts-cleanup.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CaptchaController } from './captcha.controller';
import { CaptchaRepository } from './captcha.repository';
import { CaptchaService } from './captcha.service';
import { CodeRequestsService } from './code-requests.service';
import { CodesController } from './codes.controller';
import { CodesRepository } from './codes.repository';
import { CodesService } from './codes.service';
import { PasswordService } from './password.service';
import { MessagingModule } from '../messaging/messaging.module';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';

const DEVELOPMENT_SECRET = 'ttms-development-secret-do-not-use-in-production';

@Module({
  imports: [
    UsersModule,
    MessagingModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM key
        // (createPublicKey / createPrivateKey), which throws on every sign and verify before it
        // falls back to an HMAC key; that exception was an eighth of the server's CPU in a rush.
        const secret: string = config.get('JWT_SECRET', { infer: true }) ?? DEVELOPMENT_SECRET;
        const key = createSecretKey(Buffer.from(secret, 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  controllers: [CaptchaController, CodesController, AuthController, AccountPasswordController],
  providers: [
    PasswordService,
    TokenService,
    SessionRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
    CaptchaRepository,
    CaptchaService,
    CodesRepository,
    CodesService,
    CodeRequestsService,
    AuthService,
    AccountPasswordService,
    AdminBootstrapService,
    AccountsCleanupService,
  ],
  exports: [PasswordService, TokenService],
})
export class AuthModule {}
