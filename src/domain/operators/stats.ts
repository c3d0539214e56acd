/** Service statistics for supervisors and admins: registrations, activations and verifications by province and day. */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/types.js';
import { findProvince } from '../../registry/regions.js';
import { verificationsSource } from './rollups.js';

export interface CountByProvince {
  code: string;
  name: string;
  count: number;
}

export interface CountByDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  count: number;
}

export interface Series {
  total: number;
  byProvince: CountByProvince[];
  byDay: CountByDay[];
}

export interface ServiceStats {
  from: string;
  to: string;
  registrations: Series;
  activations: Series;
  verifications: Series;
}

const DAY_MS = 86_400_000;
export const DEFAULT_STATS_DAYS = 30;
export const MAX_STATS_DAYS = 366;

/** The UTC days [from, to] inclusive; defaults to the last 30 days up to today (by the clock). */
export function statsPeriod(now: Date, from?: string, to?: string): { from: string; to: string; start: Date; end: Date } {
  const toDay = to ?? now.toISOString().slice(0, 10);
  const end = new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS);
  const fromDay = from ?? new Date(end.getTime() - DEFAULT_STATS_DAYS * DAY_MS).toISOString().slice(0, 10);
  return { from: fromDay, to: toDay, start: new Date(`${fromDay}T00:00:00Z`), end };
}

/**
 * Counts in [start, end). A NIK's first two digits are its province. Verifications are successful redemptions
 * of the access log, placed in the province of the account holder.
 */
export async function serviceStats(db: DbOrTx, period: { from: string; to: string; start: Date; end: Date }): Promise<ServiceStats> {
  // Raw SQL: postgres.js cannot bind Date objects there, so the bounds go in as ISO text.
  const start = sql`${period.start.toISOString()}::timestamptz`;
  const end = sql`${period.end.toISOString()}::timestamptz`;
  const [registrations, activations, verifications] = await Promise.all([
    series(db, sql`select r.nik, r.created_at as at, 1 as n from registrations r where r.created_at >= ${start} and r.created_at < ${end}`),
    series(db, sql`select a.nik, a.activated_at as at, 1 as n from accounts a where a.activated_at >= ${start} and a.activated_at < ${end}`),
    // From the hourly rollups up to their mark, raw rows after it (rollups.ts): a month reads ≈ 30 × 24 × 38 rows.
    series(db, verificationsSource(start, end)),
  ]);
  return { from: period.from, to: period.to, registrations, activations, verifications };
}

/** One grouped pass over `source` (columns nik, at, n — n rows at that moment): per province and per UTC day. */
async function series(db: DbOrTx, source: SQL): Promise<Series> {
  const rows = await queryRows<{ code: string | null; day: string | null; count: number | string }>(
    db,
    sql`with s as (${source})
        select substr(s.nik, 1, 2) as code, null::text as day, sum(s.n)::bigint as count from s group by 1
        union all
        select null::text, to_char(s.at at time zone 'UTC', 'YYYY-MM-DD'), sum(s.n)::bigint from s group by 2`,
  );
  const byProvince: CountByProvince[] = [];
  const byDay: CountByDay[] = [];
  for (const row of rows) {
    const count = Number(row.count);
    if (row.code !== null) byProvince.push({ code: row.code, name: findProvince(row.code)?.name ?? 'TIDAK DIKENAL', count });
    else if (row.day !== null) byDay.push({ day: row.day, count });
  }
  byProvince.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  byDay.sort((a, b) => a.day.localeCompare(b.day));
  return { total: byProvince.reduce((sum, p) => sum + p.count, 0), byProvince, byDay };
}
