/** PGlite (PostgreSQL compiled to WASM): the embedded default store and the unit-test database. */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema/index.js';
import { queryRows, type AdvisoryLockResult, type Database, type Db } from './types.js';
import { withTimeout } from './postgres.js';
import { PrivateNodeFS } from './pglite-private-fs.js';

/** dataDir undefined → in memory (tests). A data dir's files are the owner's only (PrivateNodeFS). */
export async function createPgliteDatabase(dataDir?: string): Promise<Database & { client: PGlite }> {
  const client = dataDir ? new PGlite({ fs: new PrivateNodeFS(dataDir) }) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  // PGlite is one session in one process, and advisory locks are re-entrant within a session: this set is what keeps
  // two runs apart here. The PostgreSQL lock is taken as well, so both drivers go through the same statements.
  const heldLocks = new Set<number>();
  return {
    kind: 'pglite',
    db,
    client,
    ping: async (timeoutMs = 2000) => {
      if (client.closed) throw Object.assign(new Error('PGlite is closed'), { code: 'CONNECTION_CLOSED' });
      await withTimeout(db.execute(sql`select 1`), timeoutMs);
    },
    withAdvisoryLock: async <T>(key: number, work: () => Promise<T>): Promise<AdvisoryLockResult<T>> => {
      if (heldLocks.has(key)) return { acquired: false };
      heldLocks.add(key);
      try {
        const [row] = await queryRows<{ locked: boolean }>(db, sql`select pg_try_advisory_lock(${key}) as locked`);
        if (!row?.locked) return { acquired: false };
        try {
          return { acquired: true, value: await work() };
        } finally {
          await db.execute(sql`select pg_advisory_unlock(${key})`);
        }
      } finally {
        heldLocks.delete(key);
      }
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
