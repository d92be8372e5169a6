import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DayColumn, InstantColumn } from '../../database/columns';

/**
 * One row per phone or email that was sent codes: the resend interval and the daily cap are
 * claimed with one conditional UPDATE on it, so racing requests cannot both send.
 */
@Entity('code_targets')
export class CodeTarget {
  @PrimaryColumn({ type: 'varchar', length: 254 })
  target!: string;

  @InstantColumn()
  lastSentAt!: Date;

  /** The day (APP_TIMEZONE) that `sentToday` counts. */
  @DayColumn()
  day!: string;

  @Column({ type: 'int', default: 0 })
  sentToday!: number;
}
