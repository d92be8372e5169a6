import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { BoxOfficeController } from './box-office.controller';
import { BoxOfficeRepository } from './box-office.repository';
import { BoxOfficeService } from './box-office.service';

@Module({
  imports: [CatalogModule],
  controllers: [BoxOfficeController],
  providers: [BoxOfficeService, BoxOfficeRepository],
})
export class BoxOfficeModule {}
