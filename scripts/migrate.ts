/** `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (or the embedded PGlite in IKD_DATA_DIR). */
import { configOrExit } from './lib/cli.js';
import { openDatabase } from '../src/bootstrap.js';
import { applyMigrations } from '../src/db/migrate.js';

const config = configOrExit();
const database = await openDatabase(config);
const started = performance.now();
try {
  await applyMigrations(database);
  console.log(`migrations applied to ${database.kind} in ${Math.round(performance.now() - started)} ms`);
} finally {
  await database.close();
}
