import { onPostgres } from './database';

export const mochaHooks = {
  beforeAll() {
    if (!process.env.__DB_ANNOUNCED) {
      process.env.__DB_ANNOUNCED = '1';
      process.stdout.write(`  database under test: ${onPostgres() ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}\n`);
    }
  },
};
