import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { MerchantApplication } from './entities/merchant-application.entity';
import { MerchantApplicationsController } from './merchant-applications.controller';
import { MerchantApplicationsRepository } from './merchant-applications.repository';
import { MerchantApplicationsService } from './merchant-applications.service';

@Module({
  imports: [TypeOrmModule.forFeature([MerchantApplication]), CatalogModule],
  controllers: [MerchantApplicationsController],
  providers: [MerchantApplicationsRepository, MerchantApplicationsService],
})
export class MerchantsModule {}
