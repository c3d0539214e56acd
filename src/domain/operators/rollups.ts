/**
 * Statistics rollups (drizzle/0019 and 0020, access_stats_hourly): the maintenance job counts the access log per UTC
 * hour, holder's province (district '') and, beside it, per holder's district (first 6 NIK digits), and outcome, up
 * to a mark in app_meta; statistics read the rollups before the mark and raw rows after it, in one statement (one
 * snapshot), so the answer is the same as counting raw rows. Every Indonesian zone (WIB +7, WITA +8, WIT +9) is
 * whole hours from UTC: a local day is a sum of 24 rolled-up hours.
 *
 * The mark moves by whole seconds, not hours (an hour's rows are added to as it goes: the upsert sums), to
 * now − ROLLUP_LAG_MS, and the Node processes roll up every 10 s (createMaintenanceJob): the raw part a read counts
 * is the last 20 to 30 seconds of traffic (at a national peak of 2,000 verifications/s ≈ 60 k rows), counted by the
 * holder's district written on the row (drizzle/0022), without joining accounts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/types.js';
import { districtOfAccount } from '../holder-district.js';

export const ROLLUP_META_KEY = 'stats.rollupUntil';
/**
 * Seconds are rolled up this long after they pass, so a row whose `at` is before the mark but which commits after
 * the roll-up read it cannot be missed: every statement writing the access log is one short statement, sent as soon
 * as its `at` is taken and cut off by the statement timeout (5 s by default), a quarter of the lag. (A process stalled
 * for longer between the two would leave its row out of the statistics; the row itself, the holder's history and
 * the redemption are unaffected.)
 */
export const ROLLUP_LAG_MS = 20_000;
const HOUR_MS = 3_600_000;
const SECOND_MS = 1000;

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const floorHour = (ms: number) => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
const floorSecond = (ms: number) => new Date(Math.floor(ms / SECOND_MS) * SECOND_MS);

/**
 * The holder's district of access-log row `l` (first 6 NIK digits): written on the row by its writer (drizzle/0022);
 * for rows written before it the account's, one primary-key read each (COALESCE only
 * evaluates it when the column is null). Null without an account. A join instead would be planned as a hash join
 * over every account once the rows are many (≈ 1.4 GB read with 3 M holders).
 */
const holderDistrict = sql`coalesce(l.holder_district, ${districtOfAccount(sql`l.account_id`)})`;

/**
 * A source's `at` (the alias `s` of a statistics source) as local time `offsetHours` ahead of UTC, for grouping by
 * local day. offsetHours comes from the fixed zone table (0, 7, 8 or 9), never from a request.
 */
export const sourceLocalAt = (offsetHours: number): SQL => sql.raw(`(s.at at time zone 'UTC') + interval '${Number(offsetHours)} hours'`);

/** The mark as SQL: the end of the rolled-up hours, or -infinity when nothing is rolled up yet. */
export const rollupMark = sql`(select coalesce((select (value->>'at')::timestamptz from app_meta where key = ${ROLLUP_META_KEY}), '-infinity'::timestamptz))`;

/**
 * Rolls up the whole seconds between the mark (or the oldest row's hour) and now − lag, a month per transaction.
 * Safe beside another roll-up (another process, or the maintenance job): each transaction locks the mark and stops
 * if it is no longer where this run started, so no row is counted twice.
 */
export async function rollUpAccessStats(db: Db, now: Date, options: { chunkHours?: number } = {}): Promise<{ hours: number; until: string }> {
  const target = floorSecond(now.getTime() - ROLLUP_LAG_MS);
  const [mark] = await queryRows<{ at: string | Date | null }>(db, sql`select (value->>'at') as at from app_meta where key = ${ROLLUP_META_KEY}`);
  let start: Date;
  if (mark?.at) start = new Date(mark.at);
  else {
    // Once ever: where the history begins, the oldest scan, registration or activation (index reads, but on a
    // partitioned log one per partition, so without the statement timeout).
    const [first] = await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      return queryRows<{ at: string | Date | null }>(
        tx,
        sql`select least((select min(at) from access_log), (select min(created_at) from registrations), (select min(activated_at) from accounts)) as at`,
      );
    });
    start = first?.at ? floorHour(new Date(first.at).getTime()) : target;
  }
  let hours = 0;
  const step = (options.chunkHours ?? 31 * 24) * HOUR_MS;
  let expected = mark?.at ? new Date(mark.at).getTime() : null;
  do {
    const end = new Date(Math.min(start.getTime() + step, target.getTime()));
    if (end.getTime() < start.getTime()) break;
    const moved = await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      // The mark, locked: a concurrent roll-up that got here first has moved it (or created it) — stop, it counted.
      await tx.execute(sql`insert into app_meta (key, value, updated_at) values (${ROLLUP_META_KEY}, 'null'::jsonb, ${iso(now)}) on conflict (key) do nothing`);
      const [locked] = await queryRows<{ at: string | Date | null }>(tx, sql`select (value->>'at') as at from app_meta where key = ${ROLLUP_META_KEY} for update`);
      const current = locked?.at ? new Date(locked.at).getTime() : null;
      if (current !== expected) return true;
      if (end.getTime() > start.getTime()) {
        // One read of the hours, two grains (drizzle/0020): the province row (district '') and the district rows.
        await tx.execute(sql`insert into access_stats_hourly (hour, province, district, outcome, count)
          select g.hour, g.province, coalesce(g.district, ''), g.outcome, g.n from (
            select r.hour, r.province, r.district, r.outcome, count(*) as n, grouping(r.district) as whole_province
            from (
              select d.hour, coalesce(substr(d.district, 1, 2), '') as province, d.district, d.outcome
              from (
                select date_trunc('hour', l.at at time zone 'UTC') at time zone 'UTC' as hour, ${holderDistrict} as district, l.outcome
                from access_log l where l.at >= ${iso(start)} and l.at < ${iso(end)}
              ) d
            ) r
            group by grouping sets ((r.hour, r.province, r.outcome), (r.hour, r.province, r.district, r.outcome))
          ) g
          -- The province rows, and the district rows of holders with an account.
          where g.whole_province = 1 or g.district <> ''
          on conflict (hour, province, district, outcome) do update set count = access_stats_hourly.count + excluded.count`);
        // Registrations and activations of the same seconds (drizzle/0021), both grains, from their time indexes.
        await tx.execute(sql`insert into account_stats_hourly (hour, province, district, kind, count)
          select g.hour, g.province, coalesce(g.district, ''), g.kind, g.n from (
            select r.hour, r.province, r.district, r.kind, count(*) as n, grouping(r.district) as whole_province
            from (
              select date_trunc('hour', created_at at time zone 'UTC') at time zone 'UTC' as hour, substr(nik, 1, 2) as province,
                     substr(nik, 1, 6) as district, 'registration' as kind
              from registrations where created_at >= ${iso(start)} and created_at < ${iso(end)}
              union all
              select date_trunc('hour', activated_at at time zone 'UTC') at time zone 'UTC', substr(nik, 1, 2), substr(nik, 1, 6), 'activation'
              from accounts where activated_at >= ${iso(start)} and activated_at < ${iso(end)}
            ) r
            group by grouping sets ((r.hour, r.province, r.kind), (r.hour, r.province, r.district, r.kind))
          ) g
          where g.whole_province = 1 or g.district <> ''
          on conflict (hour, province, district, kind) do update set count = account_stats_hourly.count + excluded.count`);
      }
      const value = sql`${JSON.stringify({ at: end.toISOString() })}::jsonb`;
      await tx.execute(sql`insert into app_meta (key, value, updated_at) values (${ROLLUP_META_KEY}, ${value}, ${iso(now)})
        on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`);
      return false;
    });
    if (moved) break;
    hours += (end.getTime() - start.getTime()) / HOUR_MS;
    start = end;
    expected = end.getTime();
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
  // The raw rows after the mark, counted per district and UTC hour here (a local day is whole hours in every zone),
  // so the caller groups a few thousand rows, not one per scan: at a national peak the tail is ≈ 60 k rows.
  return sql`${rolled}
    union all
    select t.district as nik, t.at, t.n from (
      select ${holderDistrict} as district, date_trunc('hour', l.at at time zone 'UTC') at time zone 'UTC' as at, count(*) as n
      from access_log l
      where l.outcome = 'verified' and l.at >= greatest(${start}, ${rollupMark}) and l.at < ${end}
      group by 1, 2
    ) t
    where t.district is not null ${within ? sql`and t.district like ${`${within}%`}` : sql``}`;
}

export type AccountEvent = 'registration' | 'activation';

/**
 * Registrations (registrations.created_at) or activations (accounts.activated_at) in [start, end) as rows (nik = a
 * NIK prefix, at, n), like verificationsSource: the rollups (drizzle/0021) before the mark, raw rows after it.
 * Nationally the prefix is the province; `within` a province or regency (2 or 4 checked digits) the district.
 * Rolled-up hours keep their counts when the raw rows go (a purged registration, a deleted account): statistics
 * say what happened then.
 */
export function accountEventsSource(kind: AccountEvent, start: SQL, end: SQL, options: { within?: string } = {}): SQL {
  const { within } = options;
  if (within !== undefined && !/^\d{2}(\d{2})?$/.test(within)) throw new Error(`accountEventsSource: within must be 2 or 4 digits, not ${within}`);
  const rolled = within
    ? sql`select h.district as nik, h.hour as at, h.count as n from account_stats_hourly h
      where h.kind = ${kind} and h.district <> '' and h.province = ${within.slice(0, 2)} and h.district like ${`${within}%`}
        and h.hour >= ${start} and h.hour < least(${end}, ${rollupMark})`
    : // The literal '' (not a parameter) lets the planner use the partial index of the province rows.
      sql`select h.province as nik, h.hour as at, h.count as n from account_stats_hourly h
      where h.kind = ${kind} and h.district = '' and h.hour >= ${start} and h.hour < least(${end}, ${rollupMark})`;
  const nikFilter = (column: SQL) => (within ? sql`and ${column} like ${`${within}%`}` : sql``);
  const raw =
    kind === 'registration'
      ? sql`select r.nik, r.created_at as at, 1 as n from registrations r
          where r.created_at >= greatest(${start}, ${rollupMark}) and r.created_at < ${end} ${nikFilter(sql`r.nik`)}`
      : sql`select a.nik, a.activated_at as at, 1 as n from accounts a
          where a.activated_at >= greatest(${start}, ${rollupMark}) and a.activated_at < ${end} ${nikFilter(sql`a.nik`)}`;
  return sql`${rolled} union all ${raw}`;
}
