/**
 * Statistics rollups (drizzle/0019 and 0020, access_stats_hourly): the maintenance job counts the access log per UTC
 * hour, holder's province (district '') and, beside it, per holder's district (first 6 NIK digits), and outcome, for
 * whole hours up to a mark in app_meta; statistics read the rollups before the
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
        // One read of the hours, two grains (drizzle/0020): the province row (district '') and the district rows.
        await tx.execute(sql`insert into access_stats_hourly (hour, province, district, outcome, count)
          select g.hour, g.province, coalesce(g.district, ''), g.outcome, g.n from (
            select r.hour, r.province, r.district, r.outcome, count(*) as n, grouping(r.district) as whole_province
            from (
              select date_trunc('hour', l.at at time zone 'UTC') at time zone 'UTC' as hour, coalesce(substr(acc.nik, 1, 2), '') as province,
                     substr(acc.nik, 1, 6) as district, l.outcome
              from access_log l left join accounts acc on acc.id = l.account_id
              where l.at >= ${iso(start)} and l.at < ${iso(end)}
            ) r
            group by grouping sets ((r.hour, r.province, r.outcome), (r.hour, r.province, r.district, r.outcome))
          ) g
          -- The province rows, and the district rows of holders with an account.
          where g.whole_province = 1 or g.district <> ''
          on conflict (hour, province, district, outcome) do update set count = access_stats_hourly.count + excluded.count`);
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
 * Verifications (outcome verified) in [start, end) as rows (nik = a NIK prefix, at, n): the rollups before the mark,
 * raw rows after it, in one statement. start and end are whole hours (UTC days, or local days in WIB/WITA/WIT).
 *
 * Nationally (no `within`) the prefix is the province (2 digits), read from the province rows (district '', their
 * own index: ≤ 39 rows per hour). Within a province or a regency (`within`: its 2 or 4 digits, from a checked query)
 * the prefix is the district (6 digits), read from that province's district rows, so the caller may group by
 * regency or district. Hours rolled up before drizzle/0020 whose raw rows were already gone have province rows only:
 * nothing below the province for them, as a count of raw rows would find nothing either.
 */
export function verificationsSource(start: SQL, end: SQL, options: { within?: string } = {}): SQL {
  const { within } = options;
  if (within !== undefined && !/^\d{2}(\d{2})?$/.test(within)) throw new Error(`verificationsSource: within must be 2 or 4 digits, not ${within}`);
  const rolled = within
    ? sql`select h.district as nik, h.hour as at, h.count as n from access_stats_hourly h
      where h.outcome = 'verified' and h.district <> '' and h.province = ${within.slice(0, 2)} and h.district like ${`${within}%`}
        and h.hour >= ${start} and h.hour < least(${end}, ${rollupMark})`
    : // The literal '' (not a parameter) lets the planner use the partial index of the province rows.
      sql`select h.province as nik, h.hour as at, h.count as n from access_stats_hourly h
      where h.outcome = 'verified' and h.district = '' and h.province <> '' and h.hour >= ${start} and h.hour < least(${end}, ${rollupMark})`;
  return sql`${rolled}
    union all
    select acc.nik, l.at, 1 as n from access_log l join accounts acc on acc.id = l.account_id
      where l.outcome = 'verified' and l.at >= greatest(${start}, ${rollupMark}) and l.at < ${end}
        ${within ? sql`and acc.nik like ${`${within}%`}` : sql``}`;
}
