/**
 * The maintenance job: deletes rows past their retention (retention.ts) in bounded batches, guarded by an advisory
 * lock and a last-run mark so any number of processes run it once per period without a leader; and makes the day's
 * signed audit checkpoint (../audit/checkpoint.ts) on the first run of each day.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { appMeta } from '../../db/schema/index.js';
import { queryRows, type Database } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { createDailyCheckpoint } from '../audit/checkpoint.js';
import { SESSION_IDLE_MS } from '../operators/operators.js';
import { rollUpAccessStats } from '../operators/rollups.js';
import { maintainAccessLogPartitions, type PartitionRun } from './partitions.js';
import { LONGEST_RATE_LIMIT_WINDOW_MS, RETENTION, type RetentionTable } from './retention.js';

/** Every process tries this lock; whoever holds it runs the purge (an arbitrary constant: "IKD" + 1). */
export const MAINTENANCE_LOCK_KEY = 0x494b4401;
export const MAINTENANCE_META_KEY = 'maintenance.lastRun';
export const MAINTENANCE_INTERVAL_MS = 10 * 60_000;
/** The statistics roll-up alone runs this often between full maintenance runs (Node; Workers roll up with the cron). */
export const STATS_ROLLUP_INTERVAL_MS = 10_000;
export const MAINTENANCE_FIRST_RUN_MS = 5_000;
/** Rows per DELETE: each statement holds its row locks only for its own few milliseconds, however big the backlog. */
export const PURGE_BATCH_SIZE = 5_000;

export type PurgeCounts = Record<RetentionTable, number>;

/** What the run did about the day's audit checkpoint: made it, found it made, or failed (logged; the next run tries again). */
export type CheckpointOutcome = { status: 'created'; day: string; seq: number; mailed: boolean } | { status: 'exists'; day: string } | { status: 'failed' };

export type MaintenanceRun =
  | { status: 'done'; at: string; purged: PurgeCounts; partitions: PartitionRun; rollup: { hours: number; until: string }; checkpoint: CheckpointOutcome }
  | { status: 'skipped'; reason: 'locked' | 'recent'; lastRunAt?: string };

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Which rows of each table are due, given the cutoff (now − the table's grace). Strictly before: the cutoff itself stays. */
const DUE: Record<RetentionTable, (cutoff: Date) => SQL> = {
  challenges: (c) => sql`expires_at < ${iso(c)}`,
  rate_limits: (c) => sql`window_start < ${iso(new Date(c.getTime() - LONGEST_RATE_LIMIT_WINDOW_MS))}`,
  resident_sessions: (c) => sql`(expires_at < ${iso(c)} or revoked_at < ${iso(c)})`,
  operator_sessions: (c) =>
    sql`(expires_at < ${iso(c)} or revoked_at < ${iso(c)} or last_seen_at < ${iso(new Date(c.getTime() - SESSION_IDLE_MS))})`,
  outbox: (c) => sql`status = 'sent' and sent_at < ${iso(c)}`,
  ktp_tokens: (c) => sql`expires_at < ${iso(c)}`,
  activations: (c) => sql`expires_at < ${iso(c)}`,
  pin_resets: (c) => sql`expires_at < ${iso(c)}`,
  operator_login_locks: (c) => sql`last_attempt_at < ${iso(c)} and (locked_until is null or locked_until < ${iso(c)})`,
  // Blanked, not deleted (BLANKED below). Expiry is applied lazily (expireIfDue), so a pending registration past its
  // 7 days is expired too, whether or not a reader has marked it yet.
  registrations: (c) =>
    sql`selfie is not null and ((status = 'rejected' and coalesce(decided_at, created_at) < ${iso(c)})
        or (status in ('expired', 'pending_verification') and expires_at < ${iso(c)}))`,
  oidc_authorizations: (c) => sql`expires_at < ${iso(c)}`,
  oidc_access_tokens: (c) => sql`(expires_at < ${iso(c)} or revoked_at < ${iso(c)})`,
  oidc_client_assertions: (c) => sql`expires_at < ${iso(c)}`,
  verification_requests: (c) => sql`expires_at < ${iso(c)}`,
  service_request_attachments: (c) => sql`request_id in (select id from service_requests where closed_at < ${iso(c)})`,
  // day is DDMMYYYY, the office's local day: gone once that whole day is past the cutoff.
  issued_document_counters: (c) => sql`to_date(day, 'DDMMYYYY') < (${iso(c)})::date`,
};

/** Tables whose due rows stay and lose these columns instead: the registration is a record; its face is not kept. */
const BLANKED: Partial<Record<RetentionTable, SQL>> = {
  registrations: sql`selfie = null, selfie_type = null`,
};

/**
 * Deletes (or, for BLANKED tables, blanks) one table's due rows, `batchSize` per statement, until fewer than a batch are left. The condition is checked
 * again on the row deleted, so a row changed between the inner select and the delete is only deleted if still due.
 */
export async function purgeTable(deps: Pick<Deps, 'db'>, table: RetentionTable, cutoff: Date, batchSize = PURGE_BATCH_SIZE): Promise<number> {
  const due = DUE[table](cutoff);
  const name = sql.identifier(table);
  let total = 0;
  const blank = BLANKED[table];
  for (;;) {
    const batch = sql`ctid = any(array(select ctid from ${name} where ${due} limit ${batchSize})) and ${due}`;
    const [row] = await queryRows<{ n: number | string }>(
      deps.db,
      blank
        ? sql`with gone as (update ${name} set ${blank} where ${batch} returning 1) select count(*)::int as n from gone`
        : sql`with gone as (delete from ${name} where ${batch} returning 1) select count(*)::int as n from gone`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batchSize) return total;
  }
}

/** One pass over every retention rule, at the clock's now. No lock: runMaintenance is what processes call. */
export async function purgeExpiredRows(deps: Pick<Deps, 'db' | 'clock'>, options: { batchSize?: number } = {}): Promise<PurgeCounts> {
  const now = deps.clock.now().getTime();
  const purged = {} as PurgeCounts;
  for (const rule of RETENTION) {
    purged[rule.table] = await purgeTable(deps, rule.table, new Date(now - rule.graceMs), options.batchSize);
  }
  return purged;
}

/**
 * Runs the purge unless another process is running it (the advisory lock) or one ran less than `minIntervalMs`
 * ago (the mark in app_meta): with timers in several processes, one of them does the work each period.
 */
export async function runMaintenance(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'keys'> & { database: Pick<Database, 'withAdvisoryLock'>; config: Pick<Deps['config'], 'publicBaseUrl' | 'auditCheckpointEmail'> },
  options: { minIntervalMs?: number; batchSize?: number } = {},
): Promise<MaintenanceRun> {
  const started = performance.now();
  const result = await deps.database.withAdvisoryLock(MAINTENANCE_LOCK_KEY, async (): Promise<MaintenanceRun> => {
    const now = deps.clock.now();
    const [mark] = await deps.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, MAINTENANCE_META_KEY));
    const lastRunAt = (mark?.value as { at?: string } | undefined)?.at;
    if (lastRunAt && now.getTime() - new Date(lastRunAt).getTime() < (options.minIntervalMs ?? 0)) {
      return { status: 'skipped', reason: 'recent', lastRunAt };
    }
    const purged = await purgeExpiredRows(deps, options);
    const partitions = await maintainAccessLogPartitions(deps.db, now);
    const rollup = await rollUpAccessStats(deps.db, now);
    const value = { at: now.toISOString(), purged };
    await deps.db
      .insert(appMeta)
      .values({ key: MAINTENANCE_META_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: appMeta.key, set: { value, updatedAt: now } });
    return { status: 'done', at: value.at, purged, partitions, rollup, checkpoint: await dailyCheckpoint(deps) };
  });
  const run: MaintenanceRun = result.acquired ? result.value : { status: 'skipped', reason: 'locked' };
  if (run.status === 'done') {
    // One string: the logger redacts any field whose name contains "token", and ktp_tokens is only a table name.
    const purged = Object.entries(run.purged).map(([table, n]) => `${table}=${n}`).join(' ');
    const checkpoint = run.checkpoint.status === 'failed' ? 'failed' : `${run.checkpoint.status} ${run.checkpoint.day}`;
    const partitions = `created=${run.partitions.created.join(',') || '-'} dropped=${run.partitions.dropped.join(',') || '-'}`;
    deps.logger.info('maintenance run', { purged, partitions, checkpoint, ms: Math.round(performance.now() - started) });
  } else {
    deps.logger.info('maintenance skipped', { reason: run.reason });
  }
  return run;
}

/** The day's checkpoint; a failure (say the database went away) is logged and leaves the purge's work done. */
async function dailyCheckpoint(deps: Parameters<typeof runMaintenance>[0]): Promise<CheckpointOutcome> {
  try {
    const made = await createDailyCheckpoint(deps);
    return made.status === 'created' ? { status: 'created', day: made.day, seq: made.seq, mailed: made.outboxId !== null } : made;
  } catch (error) {
    deps.logger.warn('audit checkpoint failed', { error: error instanceof Error ? error.message : String(error) });
    return { status: 'failed' };
  }
}

/** The Node timer: a first run shortly after start, then every interval; each process runs one (see runMaintenance). */
export function createMaintenanceJob(
  deps: Parameters<typeof runMaintenance>[0],
  options: { intervalMs?: number; firstRunMs?: number; rollupIntervalMs?: number } = {},
) {
  const intervalMs = options.intervalMs ?? MAINTENANCE_INTERVAL_MS;
  const rollupIntervalMs = options.rollupIntervalMs ?? STATS_ROLLUP_INTERVAL_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rollupTimer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> | undefined;
  let rollingUp: Promise<unknown> | undefined;
  let stopped = true;

  // Between full runs, the statistics roll-up alone, every 10 s (rollups.ts): under the maintenance lock, so a
  // process that finds it taken (a full run, or another process's roll-up) simply skips this turn.
  function rollUp() {
    if (stopped || rollingUp) return;
    rollingUp = deps.database
      .withAdvisoryLock(MAINTENANCE_LOCK_KEY, () => rollUpAccessStats(deps.db, deps.clock.now()))
      .catch((error: unknown) => {
        deps.logger.warn('statistics roll-up failed', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        rollingUp = undefined;
      });
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref?.();
  }

  async function tick() {
    // Half the interval: whichever process's timer fires first in a period runs, the others find the fresh mark.
    running = runMaintenance(deps, { minIntervalMs: intervalMs / 2 }).catch((error: unknown) => {
      deps.logger.warn('maintenance run failed', { error: error instanceof Error ? error.message : String(error) });
    });
    await running;
    running = undefined;
    schedule(intervalMs);
  }

  return {
    start() {
      stopped = false;
      schedule(options.firstRunMs ?? MAINTENANCE_FIRST_RUN_MS);
      if (rollupIntervalMs > 0) {
        rollupTimer = setInterval(rollUp, rollupIntervalMs);
        rollupTimer.unref?.();
      }
    },
    /** Stops the timers and waits for a run in flight. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(rollupTimer);
      await running;
      await rollingUp;
    },
  };
}
