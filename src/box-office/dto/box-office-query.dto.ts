import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min, registerDecorator, ValidationArguments } from 'class-validator';
import { daysBetween, isCalendarDay, IsCalendarDay } from '../../common/time';

/** The longest report: a year of days, leap years included. */
export const MAX_RANGE_DAYS = 366;

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** On the last day of a range: not before `from` and at most `MAX_RANGE_DAYS` after it. */
function IsRangeEnd(startProperty: string) {
  return function (target: object, propertyName: string) {
    registerDecorator({
      name: 'isRangeEnd',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be on or after ${startProperty} and at most ${MAX_RANGE_DAYS} days after it`,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const start = (args.object as Record<string, unknown>)[startProperty];
          // A malformed day is reported by IsCalendarDay on its own field.
          if (!isCalendarDay(value) || !isCalendarDay(start)) return true;
          const days = daysBetween(start, value);
          return days >= 0 && days <= MAX_RANGE_DAYS;
        },
      },
    });
  };
}

export class BoxOfficeQueryDto {
  /** First day of the range (a calendar day of APP_TIMEZONE), inclusive */
  @ApiProperty({ example: '2026-12-01' })
  @IsCalendarDay()
  from!: string;

  /** Last day of the range, inclusive: not before `from`, at most 366 days after it */
  @ApiProperty({ example: '2026-12-31' })
  @IsCalendarDay()
  @IsRangeEnd('from')
  to!: string;

  /** Only this cinema (a merchant: one of its own); without it an admin sees all cinemas, a merchant all of its own */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  cinemaId?: number;

  /** `csv` answers the same rows as a CSV download (UTF-8 with BOM) instead of the JSON envelope */
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class DailyBoxOfficeQueryDto extends BoxOfficeQueryDto {
  /** Only this movie's showtimes (a movie id) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  movieId?: number;
}
