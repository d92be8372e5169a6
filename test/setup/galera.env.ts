import { galeraUrls } from '../support/galera-urls';

// The in-process test app (factories, checks of what the database holds) talks to node 1.
process.env.TEST_DB_KIND = 'mysql';
process.env.TEST_MYSQL_DATABASE_URL = galeraUrls(process.env.TEST_GALERA_DATABASE)[0];
