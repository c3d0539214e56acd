/** What every script shares: a one-line failure without a stack, and the config read the same way the service reads it. */
import { openDatabase } from '../../src/bootstrap.js';
import { ConfigError, parseConfig, type Config } from '../../src/config.js';
import { applyMigrations } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/types.js';
import { systemClock, type Clock } from '../../src/deps.js';
import { isAppError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';

/** Prints the message on stderr and exits 1. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The config from the environment; a bad variable exits 1 naming it, as `npm start` does, never with a stack. */
export function configOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Opens the configured database (DATABASE_URL, or PGlite in IKD_DATA_DIR), migrated, for one script's work, and closes it. */
export async function withDatabase<T>(config: Config, work: (deps: { db: Database['db']; clock: Clock; logger: Logger }) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    return await work({ db: database.db, clock: systemClock, logger: createLogger({ level: 'silent' }) });
  } finally {
    await database.close();
  }
}

/** A domain AppError (not_found, conflict) as a one-line failure; anything else is rethrown. */
export function failOnAppError(error: unknown, what: string): never {
  if (isAppError(error)) fail(`${what}: ${error.code}${error.detail ? ` (${error.detail})` : ''}`);
  throw error;
}
