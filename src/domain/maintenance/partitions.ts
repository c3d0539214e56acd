/**
 * access_log's monthly partitions (drizzle/0019): the maintenance job creates the current month and the next
 * ACCESS_LOG_MONTHS_AHEAD ahead of time, moving any rows the DEFAULT partition took for that month, and detaches then
 * drops the months older than ACCESS_LOG_RETENTION_MONTHS (retention.ts). Months are UTC months of `at`.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/types.js';
import { ACCESS_LOG_MONTHS_AHEAD, ACCESS_LOG_RETENTION_MONTHS } from './retention.js';

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
const partitionName = (m: Date) => `access_log_p${m.toISOString().slice(0, 4)}${m.toISOString().slice(5, 7)}`;
const bound = (m: Date) => `${m.toISOString().slice(0, 10)} 00:00:00+00`;

export interface PartitionRun {
  created: string[];
  dropped: string[];
}

/** Creates the months from now's to ACCESS_LOG_MONTHS_AHEAD ahead that do not exist yet. */
export async function ensureAccessLogPartitions(db: Db, now: Date, monthsAhead = ACCESS_LOG_MONTHS_AHEAD): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i <= monthsAhead; i++) {
    const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + i);
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const name = partitionName(from);
    const [exists] = await queryRows<{ found: boolean }>(db, sql`select to_regclass(${name}) is not null as found`);
    if (exists?.found) continue;
    // One transaction: the month's rows leave the default partition before the new one is attached (attaching
    // checks the default holds none of its range), so no row is ever in neither or both.
    await db.transaction(async (tx) => {
      const table = sql.identifier(name);
      await tx.execute(sql`create table ${table} (like access_log including defaults)`);
      await tx.execute(sql`with moved as (delete from access_log_default where at >= ${bound(from)}::timestamptz and at < ${bound(to)}::timestamptz returning *)
                           insert into ${table} select * from moved`);
      await tx.execute(sql.raw(`alter table access_log attach partition "${name}" for values from ('${bound(from)}') to ('${bound(to)}')`));
    });
    created.push(name);
  }
  return created;
}

/**
 * Detaches and drops the monthly partitions that end on or before the first day of the month
 * ACCESS_LOG_RETENTION_MONTHS before now's, and deletes the default partition's rows older than that.
 */
export async function dropExpiredAccessLogPartitions(db: Db, now: Date, retentionMonths = ACCESS_LOG_RETENTION_MONTHS): Promise<string[]> {
  const cutoff = monthStart(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths);
  const parts = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'access_log'::regclass and c.relname ~ '^access_log_p[0-9]{6}$'`,
  );
  const dropped: string[] = [];
  for (const { name } of parts) {
    const year = Number(name.slice(12, 16));
    const month = Number(name.slice(16, 18)) - 1;
    if (monthStart(year, month + 1).getTime() > cutoff.getTime()) continue;
    await db.execute(sql.raw(`alter table access_log detach partition "${name}"`));
    await db.execute(sql.raw(`drop table "${name}"`));
    dropped.push(name);
  }
  await db.execute(sql`delete from access_log_default where at < ${bound(cutoff)}::timestamptz`);
  return dropped;
}

export async function maintainAccessLogPartitions(db: Db, now: Date): Promise<PartitionRun> {
  return { created: await ensureAccessLogPartitions(db, now), dropped: await dropExpiredAccessLogPartitions(db, now) };
}
