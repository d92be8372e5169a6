import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions, settingsFromEnv } from './database.options';

/** For the TypeORM CLI (`npm run migration:*`): DATABASE_URL picks MySQL/MariaDB, else the SQLite file. */
export default resolveDataSourceOptions({ ...settingsFromEnv(), migrationsRun: false }).then(
  (options) => new DataSource(options),
);
