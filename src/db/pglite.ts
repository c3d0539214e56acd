/** PGlite (PostgreSQL compiled to WASM): the embedded default store and the unit-test database. */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema/index.js';
import { queryRows, type AdvisoryLockResult, type Database, type Db } from './types.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS, withTimeout } from './postgres.js';
import { PrivateNodeFS } from './pglite-private-fs.js';
import { sessionAdvisoryLock } from './session-lock.js';

/** dataDir undefined → in memory (tests). A data dir's files are the owner's only (PrivateNodeFS). */
export async function createPgliteDatabase(
  dataDir?: string,
  options: { statementTimeoutMs?: number } = {},
): Promise<Database & { client: PGlite }> {
  const client = dataDir ? new PGlite({ fs: new PrivateNodeFS(dataDir) }) : new PGlite();
  await client.waitReady;
  // Set as on PostgreSQL for the same behaviour of SHOW/SET LOCAL; the WASM build has no timer signal, so PGlite
  // does not cancel a running statement (docs/scale.md): the timeout holds on PostgreSQL, where pools are shared.
  await client.exec(`set statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS))}`);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    client,
    ping: async (timeoutMs = 2000) => {
      if (client.closed) throw Object.assign(new Error('PGlite is closed'), { code: 'CONNECTION_CLOSED' });
      await withTimeout(db.execute(sql`select 1`), timeoutMs);
    },
    // PGlite is one session in one process: a session lock, kept apart within the process (sessionAdvisoryLock).
    withAdvisoryLock: sessionAdvisoryLock(db),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
