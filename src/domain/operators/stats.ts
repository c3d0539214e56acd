/** Service statistics for supervisors and admins: registrations, activations and verifications by province and day. */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/types.js';
import { findProvince, findRegency } from '../../registry/regions.js';
import { localDate, localDayBounds, zoneOffsetHours, type IndonesianZone } from '../local-time.js';
import { accountEventsSource, sourceLocalAt, verificationsSource } from './rollups.js';

/** The zone days are counted in: an Indonesian one (WIB by default, the national figures'), or UTC on request. */
export type StatsZone = IndonesianZone | 'UTC';
export const STATS_ZONES: readonly StatsZone[] = ['WIB', 'WITA', 'WIT', 'UTC'];
const offsetHoursOf = (zone: StatsZone) => (zone === 'UTC' ? 0 : zoneOffsetHours(zone));

export interface CountByProvince {
  code: string;
  name: string;
  count: number;
}

export interface CountByDay {
  /** YYYY-MM-DD, a local day in the period's zone. */
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
  zone: StatsZone;
  registrations: Series;
  activations: Series;
  verifications: Series;
  serviceRequests: ServiceRequestStats;
}

/** Pelayanan figures of one group (a type, a regency, a month, or all): created in the period. */
export interface ServiceFigures {
  count: number;
  completed: number;
  /** Median hours from submission to `completed`; null before the first completion. */
  medianHoursToCompletion: number | null;
  /** Completed within the SLA (by slaDueAt) over all completed; null before the first completion. */
  withinSlaShare: number | null;
  /** SKM responses (ratings 1..4). */
  ratings: number;
  /** SKM index: mean score × 25 (the Permenpan-RB 14/2017 conversion, seed 000 L394-417); null without ratings. */
  skmIndex: number | null;
}

export interface ServiceRequestStats extends ServiceFigures {
  byType: Array<ServiceFigures & { type: string }>;
  byStatus: Array<{ status: string; count: number }>;
  byRegency: Array<ServiceFigures & { code: string; name: string }>;
  /** YYYY-MM, in the period's zone. */
  byMonth: Array<ServiceFigures & { month: string }>;
}

const DAY_MS = 86_400_000;
export const DEFAULT_STATS_DAYS = 30;
export const MAX_STATS_DAYS = 366;

export interface StatsPeriod {
  from: string;
  to: string;
  zone: StatsZone;
  start: Date;
  end: Date;
}

/**
 * The local days [from, to] inclusive in `zone` (WIB unless asked); defaults to the last 30 days up to today there
 * (by the clock). start and end are whole hours in UTC (every Indonesian zone is whole hours from it), so the
 * hourly rollups sum to local days exactly.
 */
export function statsPeriod(now: Date, from?: string, to?: string, zone: StatsZone = 'WIB'): StatsPeriod {
  const offsetHours = offsetHoursOf(zone);
  const toDay = to ?? localDate(now, offsetHours);
  const fromDay = from ?? new Date(Date.parse(`${toDay}T00:00:00Z`) - (DEFAULT_STATS_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from: fromDay, to: toDay, zone, ...localDayBounds(fromDay, toDay, offsetHours) };
}

/**
 * Counts in [start, end). A NIK's first two digits are its province. Verifications are successful redemptions
 * of the access log, placed in the province of the account holder.
 */
export async function serviceStats(db: DbOrTx, period: StatsPeriod): Promise<ServiceStats> {
  // Raw SQL: postgres.js cannot bind Date objects there, so the bounds go in as ISO text.
  const start = sql`${period.start.toISOString()}::timestamptz`;
  const end = sql`${period.end.toISOString()}::timestamptz`;
  const offsetHours = offsetHoursOf(period.zone);
  const [registrations, activations, verifications, serviceRequests] = await Promise.all([
    // Each from the hourly rollups up to their mark, raw rows after it (rollups.ts): a month reads ≈ 30 × 24 × 38 rows.
    series(db, accountEventsSource('registration', start, end), offsetHours),
    series(db, accountEventsSource('activation', start, end), offsetHours),
    series(db, verificationsSource(start, end), offsetHours),
    serviceRequestStats(db, start, end, offsetHours),
  ]);
  return { from: period.from, to: period.to, zone: period.zone, registrations, activations, verifications, serviceRequests };
}

type FigureRow = { key: string; count: number | string; completed: number | string; median_hours: number | string | null; within_sla: number | string; ratings: number | string; mean_score: number | string | null };

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function figures(row: FigureRow | undefined): ServiceFigures {
  const completed = Number(row?.completed ?? 0);
  const ratings = Number(row?.ratings ?? 0);
  return {
    count: Number(row?.count ?? 0),
    completed,
    medianHoursToCompletion: row?.median_hours === null || row?.median_hours === undefined ? null : round(Number(row.median_hours), 2),
    withinSlaShare: completed ? round(Number(row!.within_sla) / completed, 4) : null,
    ratings,
    skmIndex: ratings && row?.mean_score !== null && row?.mean_score !== undefined ? round(Number(row.mean_score) * 25, 3) : null,
  };
}

/** Requests created in [start, end): overall, per type, regency (office) and month, and counts per current status. */
async function serviceRequestStats(db: DbOrTx, start: SQL, end: SQL, offsetHours: number): Promise<ServiceRequestStats> {
  const grouped = (key: SQL) =>
    queryRows<FigureRow>(
      db,
      sql`select ${key} as key, count(*)::int as count, count(completed_at)::int as completed,
            percentile_cont(0.5) within group (order by extract(epoch from (completed_at - created_at)) / 3600.0) as median_hours,
            (count(*) filter (where completed_at is not null and completed_at <= sla_due_at))::int as within_sla,
            count(rating_score)::int as ratings, avg(rating_score)::float8 as mean_score
          from service_requests where created_at >= ${start} and created_at < ${end} group by 1`,
    );
  const [all, byType, byRegency, byMonth, byStatus] = await Promise.all([
    grouped(sql`'all'::text`),
    grouped(sql`type`),
    grouped(sql`office_code`),
    // offsetHours is 0, 7, 8 or 9 (a fixed table), never text from the request.
    grouped(sql.raw(`to_char((created_at at time zone 'UTC') + interval '${Number(offsetHours)} hours', 'YYYY-MM')`)),
    queryRows<{ status: string; count: number | string }>(
      db,
      sql`select status, count(*)::int as count from service_requests where created_at >= ${start} and created_at < ${end} group by 1`,
    ),
  ]);
  return {
    ...figures(all[0]),
    byType: byType.map((r) => ({ type: r.key, ...figures(r) })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    byRegency: byRegency
      .map((r) => ({ code: r.key, name: findRegency(r.key)?.name ?? 'TIDAK DIKENAL', ...figures(r) }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    byMonth: byMonth.map((r) => ({ month: r.key, ...figures(r) })).sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** One grouped pass over `source` (columns nik, at, n — n rows at that moment): per province and per local day. */
async function series(db: DbOrTx, source: SQL, offsetHours: number): Promise<Series> {
  const localAt = sourceLocalAt(offsetHours);
  const rows = await queryRows<{ code: string | null; day: string | null; count: number | string }>(
    db,
    sql`with s as (${source})
        select substr(s.nik, 1, 2) as code, null::text as day, sum(s.n)::bigint as count from s group by 1
        union all
        select null::text, to_char(${localAt}, 'YYYY-MM-DD'), sum(s.n)::bigint from s group by 2`,
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
