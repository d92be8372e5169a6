import { Column, ColumnOptions } from 'typeorm';

/** UTC instant with millisecond precision on both databases (the contract's "same instant reads the same"). */
export const InstantColumn = (options: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, ...options });

/**
 * Set by CreatedAtSubscriber on insert rather than by a column default: MySQL, MariaDB and SQLite
 * disagree on millisecond defaults, and the migration diff must come out empty on each.
 */
export const CreatedAtColumn = () => InstantColumn();

/** Money as integer cents: the server never adds floats. */
export const CentsColumn = (options: ColumnOptions = {}) => Column({ type: 'int', ...options });

/** A calendar day `YYYY-MM-DD`, kept as text so that it compares and groups the same on both databases. */
export const DayColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 10, ...options });
