/**
 * Statistics rollups (drizzle/0019, access_stats_hourly): the maintenance job counts the access log per UTC hour,
 * holder's province and outcome for whole hours up to a mark in app_meta; statistics read the rollups before the
 * mark and raw rows after it, in one statement (one snapshot), so the answer is the same as counting raw rows. Every
 * Indonesian zone (WIB +7, WITA +8, WIT +9) is whole hours from UTC: a local day is a sum of 24 rolled-up hours.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/types.js';

export const ROLLUP_META_KEY = 'stats.rollupUntil';
/** Hours are rolled up this long after they end, so a redemption still in flight at the hour's end is counted. */
export const ROLLUP_LAG_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const floorHour = (ms: number) => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);

/** The mark as SQL: the end of the rolled-up hours, or -infinity when nothing is rolled up yet. */
export const rollupMark = sql`(select coalesce((select (value->>'at')::timestamptz from app_meta where key = ${ROLLUP_META_KEY}), '-infinity'::timestamptz))`;

/** Rolls up the whole hours between the mark (or the oldest row) and now − lag, a month per transaction. */
export async function rollUpAccessStats(db: Db, now: Date, options: { chunkHours?: number } = {}): Promise<{ hours: number; until: string }> {
  const target = floorHour(now.getTime() - ROLLUP_LAG_MS);
  const [mark] = await queryRows<{ at: string | Date | null }>(db, sql`select (value->>'at') as at from app_meta where key = ${ROLLUP_META_KEY}`);
  let start: Date;
  if (mark?.at) start = new Date(mark.at);
  else {
    // Once ever: where the log begins (a full read, so without the statement timeout).
    const [first] = await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      return queryRows<{ at: string | Date | null }>(tx, sql`select min(at) as at from access_log`);
    });
    start = first?.at ? floorHour(new Date(first.at).getTime()) : target;
  }
  let hours = 0;
  const step = (options.chunkHours ?? 31 * 24) * HOUR_MS;
  do {
    const end = new Date(Math.min(start.getTime() + step, target.getTime()));
    if (end.getTime() < start.getTime()) break;
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      if (end.getTime() > start.getTime()) {
        await tx.execute(sql`insert into access_stats_hourly (hour, province, outcome, count)
          select date_trunc('hour', l.at at time zone 'UTC') at time zone 'UTC', coalesce(substr(acc.nik, 1, 2), ''), l.outcome, count(*)
          from access_log l left join accounts acc on acc.id = l.account_id
          where l.at >= ${iso(start)} and l.at < ${iso(end)}
          group by 1, 2, 3
          on conflict (hour, province, outcome) do update set count = access_stats_hourly.count + excluded.count`);
      }
      const value = sql`${JSON.stringify({ at: end.toISOString() })}::jsonb`;
      await tx.execute(sql`insert into app_meta (key, value, updated_at) values (${ROLLUP_META_KEY}, ${value}, ${iso(now)})
        on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`);
    });
    hours += (end.getTime() - start.getTime()) / HOUR_MS;
    start = end;
  } while (start.getTime() < target.getTime());
  return { hours, until: start.toISOString() };
}

/**
 * Verifications (outcome verified) in [start, end) as rows (code = province, at, n): the rollups before the mark,
 * raw rows after it. start and end are whole hours (UTC days, or local days in WIB/WITA/WIT).
 */
export function verificationsSource(start: SQL, end: SQL): SQL {
  return sql`select h.province as nik, h.hour as at, h.count as n from access_stats_hourly h
      where h.outcome = 'verified' and h.province <> '' and h.hour >= ${start} and h.hour < least(${end}, ${rollupMark})
    union all
    select acc.nik, l.at, 1 as n from access_log l join accounts acc on acc.id = l.account_id
      where l.outcome = 'verified' and l.at >= greatest(${start}, ${rollupMark}) and l.at < ${end}`;
}
