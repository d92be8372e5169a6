import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { ORDER_STATUSES, type OrderStatus } from '../order-status';

export class ListOrdersQueryDto extends PageQueryDto {
  /** only orders in this state (a pending order past its hold counts as `expired`) */
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
