import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * SQLite's way to change a schema safely: run the migrations with foreign keys off (a table rebuild
 * would otherwise cascade-delete the rows that reference it), check nothing dangles, then switch
 * foreign keys on for the life of the connection.
 */
export async function prepareSqlite(dataSource: DataSource, runMigrations: boolean): Promise<void> {
  if (runMigrations) {
    await dataSource.query('PRAGMA foreign_keys = OFF');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) new Logger('Migrations').log(`applied ${applied.map((m) => m.name).join(', ')}`);
    const dangling = await dataSource.query<unknown[]>('PRAGMA foreign_key_check');
    if (dangling.length) throw new Error(`migrations left ${dangling.length} rows with broken foreign keys`);
  }
  await dataSource.query('PRAGMA foreign_keys = ON');
}
