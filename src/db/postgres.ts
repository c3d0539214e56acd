/** PostgreSQL through postgres.js: the production store (Node pool or a Workers Hyperdrive connection). */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from './schema/index.js';
import { sessionAdvisoryLock } from './session-lock.js';
import { queryRows, type AdvisoryLockResult, type Database, type Db } from './types.js';

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

export function createPostgresDatabase(
  url: string,
  options: { max?: number; connectTimeoutSeconds?: number; statementTimeoutMs?: number } = {},
): Database & {
  client: postgres.Sql;
} {
  const client = postgres(url, {
    max: options.max ?? 16,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 30,
    // Notices (e.g. "relation already exists, skipping") are not service logs.
    onnotice: () => {},
    prepare: true,
    // Sent as a startup parameter of every connection: a statement running longer is cancelled (SQLSTATE 57014) and
    // answered as a 503 problem (src/http/problem.ts), so one slow read cannot hold pool connections for long.
    // Jobs that may take longer (the maintenance job's first rollup) raise it with SET LOCAL in their transaction.
    //
    // jit off: PostgreSQL compiles a statement with LLVM when its estimated cost passes jit_above_cost. On the national
    // data (docs/scale.md) the statistics read's estimate over the partitioned log did, and compiling took ≈ 1 s of
    // the 1.1 s answer (the execution ≈ 60 ms); an OLTP service gains nothing from it on its short statements.
    connection: { statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, jit: 'off' },
    // postgres.js waits up to 20 s between reconnects by default (3^retries/100 s), holding every query meanwhile:
    // while the database is down, requests must fail fast as 503s, and it must be used again soon after it returns.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  const poolSize = options.max ?? 16;
  // With a single connection the transaction above would hold the only one its work needs: every statement runs on
  // that connection anyway, so a session lock works (sessionAdvisoryLock keeps two runs of this process apart).
  const withSessionLock = sessionAdvisoryLock(db);
  return {
    kind: 'postgres',
    db,
    client,
    ping: async (timeoutMs = 2000) => {
      await withTimeout(db.execute(sql`select 1`), timeoutMs);
    },
    // A transaction-scoped lock, held by an otherwise idle transaction on one pooled connection while `work` runs on
    // the others, so work's statements commit one by one. Transaction- (not session-) scoped so it also holds through
    // Hyperdrive's transaction pooling, and a crashed process releases it. The transaction has run only a SELECT, so
    // under READ COMMITTED it keeps no snapshot between statements and does not hold back vacuum.
    withAdvisoryLock: async <T>(key: number, work: () => Promise<T>): Promise<AdvisoryLockResult<T>> => {
      if (poolSize === 1) return withSessionLock(key, work);
      return db.transaction(async (tx) => {
        const [row] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${key}) as locked`);
        if (!row?.locked) return { acquired: false } as const;
        return { acquired: true, value: await work() } as const;
      });
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('database ping timed out'), { code: 'ETIMEDOUT' })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
