/** A session-level advisory lock for a client whose statements all share one session (PGlite, a one-connection pool). */
import { sql } from 'drizzle-orm';
import { queryRows, type AdvisoryLockResult, type Db } from './types.js';

/**
 * Runs `work` under pg_try_advisory_lock(key), or answers { acquired: false } at once. `held` keeps two runs of this
 * process apart: a session lock is re-entrant within its own session, so PostgreSQL alone would let both in.
 */
export function sessionAdvisoryLock(db: Db) {
  const held = new Set<number>();
  return async <T>(key: number, work: () => Promise<T>): Promise<AdvisoryLockResult<T>> => {
    if (held.has(key)) return { acquired: false };
    held.add(key);
    try {
      const [row] = await queryRows<{ locked: boolean }>(db, sql`select pg_try_advisory_lock(${key}) as locked`);
      if (!row?.locked) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await db.execute(sql`select pg_advisory_unlock(${key})`);
      }
    } finally {
      held.delete(key);
    }
  };
}
