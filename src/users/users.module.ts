import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { AvatarUploadInterceptor } from './avatar-upload.interceptor';
import { AvatarService } from './avatar.service';
import { User } from './entities/user.entity';
import { ProfileService } from './profile.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  // /users/me first: Express matches in registration order, and PATCH /users/:id would take "me" as an id.
  controllers: [UsersController, AdminUsersController],
  providers: [UsersRepository, UsersService, ProfileService, AdminUsersService, AvatarService, AvatarUploadInterceptor],
  exports: [UsersService],
})
export class UsersModule {}
