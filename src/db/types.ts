/** The database handle type shared by the PGlite and postgres.js drivers. */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type * as schema from './schema/index.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Throws when the database does not answer within the timeout. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Runs `work` while holding the PostgreSQL advisory lock `key`; when another process (or run) holds it, returns
   * `{ acquired: false }` at once instead of waiting. Leader-free jobs (maintenance) guard each run with it.
   */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<AdvisoryLockResult<T>>;
  close(): Promise<void>;
}

export type AdvisoryLockResult<T> = { acquired: true; value: T } | { acquired: false };

/** Rows of a raw `db.execute(sql)`: postgres.js returns an array, PGlite an object with rows. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
