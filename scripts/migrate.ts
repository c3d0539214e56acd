/** `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (or the embedded PGlite in IKD_DATA_DIR). */
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/bootstrap.js';
import { applyMigrations } from '../src/db/migrate.js';

const config = parseConfig(process.env);
const database = await openDatabase(config);
const started = performance.now();
try {
  await applyMigrations(database);
  console.log(`migrations applied to ${database.kind} in ${Math.round(performance.now() - started)} ms`);
} finally {
  await database.close();
}
