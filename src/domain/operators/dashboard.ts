/**
 * The monitoring dashboard's numbers (/operator/stats, seed 004's M-SINK monitoring and Tabel 13): registrations,
 * activations, verifications and service requests (Pelayanan) by province, regency or district within a period of
 * Indonesian local days.
 * Aggregates only — no NIK ever leaves this module, and there is no search by NIK (seed 004: after the 2022 leak
 * the monitoring app was cut down to aggregates and NIK search moved to a closed network).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/types.js';
import { AppError } from '../../errors.js';
import { findDistrict, findProvince, findRegency, PROVINCES, regenciesOfProvince } from '../../registry/regions.js';
import { localDate, localDayBounds, zoneOffsetHours, zoneOfProvince, type IndonesianZone } from '../local-time.js';
import { MAX_STATS_DAYS } from './stats.js';
import { accountEventsSource, sourceLocalAt, verificationsSource } from './rollups.js';

export const DASHBOARD_LEVELS = ['province', 'regency', 'district'] as const;
export type DashboardLevel = (typeof DASHBOARD_LEVELS)[number];
export const PERIOD_KINDS = ['today', 'month', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const MEASURES = ['registrations', 'activations', 'verifications', 'serviceRequests'] as const;
export type Measure = (typeof MEASURES)[number];
export type Counts = Record<Measure, number>;

/** How many NIK digits name a region of the level: 2 (province), 4 (regency/city), 6 (district). */
const PREFIX: Record<DashboardLevel, number> = { province: 2, regency: 4, district: 6 };
const PARENT_LEVEL: Record<DashboardLevel, DashboardLevel | null> = { province: null, regency: 'province', district: 'regency' };
const DAY_MS = 86_400_000;
export const UNKNOWN_REGION = 'TIDAK DIKENAL';

export interface DashboardQuery {
  level?: DashboardLevel;
  parent?: string;
  period?: PeriodKind;
  from?: string;
  to?: string;
}

export interface DashboardPeriod {
  kind: PeriodKind;
  /** First and last local day, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  zone: IndonesianZone;
  start: Date;
  end: Date;
}

export interface RegionRef {
  level: DashboardLevel;
  code: string;
  name: string;
}

export interface DashboardScope {
  level: DashboardLevel;
  /** The region drilled into (null: national), and the way down to it. */
  parent: RegionRef | null;
  breadcrumb: RegionRef[];
  period: DashboardPeriod;
}

export interface DashboardRow extends Counts {
  code: string;
  name: string;
}

export interface Dashboard {
  level: DashboardLevel;
  parent: RegionRef | null;
  breadcrumb: RegionRef[];
  /** Days are counted in this zone: WIB for the national view, the province's own zone below it. */
  zone: IndonesianZone;
  period: { kind: PeriodKind; from: string; to: string };
  measures: Measure[];
  total: Counts;
  rows: DashboardRow[];
  /** Every day of the period, zeros included (the time-series chart). */
  byDay: (Counts & { day: string })[];
}

const invalid = (path: string, message: string) => new AppError('invalid_request', { errors: [{ path, message }] });

export function regionName(level: DashboardLevel, code: string): string {
  const found = level === 'province' ? findProvince(code) : level === 'regency' ? findRegency(code) : findDistrict(code);
  return found?.name ?? UNKNOWN_REGION;
}

/**
 * The level, the region drilled into and the period, checked: regency needs a 2-digit province, district a
 * 4-digit regency, the national level none; `range` needs from and to (1 to 366 days); today, month and year run
 * to today, local time in the zone of the view. A bad combination is a 400 invalid_request.
 */
export function dashboardScope(now: Date, query: DashboardQuery): DashboardScope {
  const level = query.level ?? 'province';
  const parentLevel = PARENT_LEVEL[level];
  let parent: RegionRef | null = null;
  const breadcrumb: RegionRef[] = [];
  if (parentLevel === null) {
    if (query.parent !== undefined) throw invalid('parent', 'the national level has no parent region');
  } else {
    const digits = PREFIX[parentLevel];
    if (query.parent === undefined || !new RegExp(`^\\d{${digits}}$`).test(query.parent)) {
      throw invalid('parent', `level ${level} needs the ${parentLevel} code (${digits} digits) as parent`);
    }
    if (parentLevel === 'regency') {
      const province = query.parent.slice(0, 2);
      breadcrumb.push({ level: 'province', code: province, name: regionName('province', province) });
    }
    parent = { level: parentLevel, code: query.parent, name: regionName(parentLevel, query.parent) };
    breadcrumb.push(parent);
  }
  const zone: IndonesianZone = parent ? zoneOfProvince(parent.code) : 'WIB';
  return { level, parent, breadcrumb, period: dashboardPeriod(now, zone, query) };
}

function dashboardPeriod(now: Date, zone: IndonesianZone, query: DashboardQuery): DashboardPeriod {
  const kind = query.period ?? (query.from !== undefined || query.to !== undefined ? 'range' : 'month');
  const today = localDate(now, zoneOffsetHours(zone));
  let from: string;
  let to = today;
  if (kind === 'range') {
    if (query.from === undefined || query.to === undefined) throw invalid(query.from === undefined ? 'from' : 'to', 'a range needs from and to');
    from = query.from;
    to = query.to;
  } else {
    if (query.from !== undefined || query.to !== undefined) throw invalid('period', `from and to go with period=range, not ${kind}`);
    from = kind === 'today' ? today : kind === 'month' ? `${today.slice(0, 7)}-01` : `${today.slice(0, 4)}-01-01`;
  }
  const { start, end } = localDayBounds(from, to, zoneOffsetHours(zone));
  const days = (end.getTime() - start.getTime()) / DAY_MS;
  if (!(days >= 1 && days <= MAX_STATS_DAYS)) throw invalid('from', `from..to must span 1 to ${MAX_STATS_DAYS} days`);
  return { kind, from, to, zone, start, end };
}

/** The regions of the level under the parent that the region table knows, listed with zeros when nothing happened. */
function knownRegions(scope: DashboardScope): { code: string; name: string }[] {
  if (scope.level === 'province') return PROVINCES.map((p) => ({ code: p.code, name: p.name }));
  if (scope.level === 'regency') return regenciesOfProvince(scope.parent!.code).map((r) => ({ code: r.code, name: r.name }));
  return (findRegency(scope.parent!.code)?.districts ?? []).map((d) => ({ code: d.code, name: d.name }));
}

const zeros = (): Counts => ({ registrations: 0, activations: 0, verifications: 0, serviceRequests: 0 });

/** The dashboard for a checked scope: one grouped query per measure, each one range scan of a time index. */
export async function readDashboard(db: DbOrTx, scope: DashboardScope): Promise<Dashboard> {
  const { period } = scope;
  // Raw SQL: postgres.js cannot bind Date objects there, so the bounds go in as ISO text.
  const start = sql`${period.start.toISOString()}::timestamptz`;
  const end = sql`${period.end.toISOString()}::timestamptz`;
  const within = (nik: SQL) => (scope.parent ? sql`and ${nik} like ${`${scope.parent.code}%`}` : sql``);
  const sources: Record<Measure, SQL> = {
    // Registrations and activations, like verifications below: rollups before the mark, raw rows after it.
    registrations: accountEventsSource('registration', start, end, { within: scope.parent?.code }),
    activations: accountEventsSource('activation', start, end, { within: scope.parent?.code }),
    // Verifications are successful redemptions, placed in the region of the account holder's NIK. Every level reads
    // the hourly rollups up to their mark and raw rows after it (rollups.ts): per province nationally, per district
    // within a province or a regency.
    verifications: verificationsSource(start, end, { within: scope.parent?.code }),
    // Service requests (Pelayanan, created_at) are placed where the office queue places them: service_requests.
    // office_code, the regency of the holder's domicile in the registry, or the NIK's regency when the registry has
    // no record (createServiceRequest, src/domain/services/requests.ts; officeQueue filters on it). That is the same
    // column GET /v1/admin/stats groups byRegency by, so both agree. The office is a regency; below it, the request's
    // district is the NIK's district when the NIK belongs to the office's regency, and `<regency>00` (an unknown
    // district) for a holder whose domicile moved away from the NIK's regency, so a regency's districts still sum
    // to the regency's row.
    serviceRequests: sql`select case when substr(sr.nik, 1, 4) = sr.office_code then substr(sr.nik, 1, 6) else sr.office_code || '00' end as nik,
        sr.created_at as at, 1 as n from service_requests sr
      where sr.created_at >= ${start} and sr.created_at < ${end} ${within(sql`sr.office_code`)}`,
  };
  const grouped = await Promise.all(MEASURES.map((m) => groupedCounts(db, sources[m], PREFIX[scope.level], zoneOffsetHours(period.zone))));

  const rows = new Map<string, DashboardRow>();
  for (const region of knownRegions(scope)) rows.set(region.code, { ...region, ...zeros() });
  const days = new Map<string, Counts & { day: string }>();
  for (let t = Date.parse(`${period.from}T00:00:00Z`); t <= Date.parse(`${period.to}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, ...zeros() });
  }
  const total = zeros();
  MEASURES.forEach((measure, i) => {
    for (const row of grouped[i]!) {
      if (row.code !== null) {
        const entry = rows.get(row.code) ?? { code: row.code, name: regionName(scope.level, row.code), ...zeros() };
        entry[measure] += row.count;
        rows.set(row.code, entry);
        total[measure] += row.count;
      } else if (row.day !== null) {
        const entry = days.get(row.day);
        if (entry) entry[measure] += row.count;
      }
    }
  });

  return {
    level: scope.level,
    parent: scope.parent,
    breadcrumb: scope.breadcrumb,
    zone: period.zone,
    period: { kind: period.kind, from: period.from, to: period.to },
    measures: [...MEASURES],
    total,
    rows: [...rows.values()].sort((a, b) => a.code.localeCompare(b.code)),
    byDay: [...days.values()],
  };
}

/** One grouped pass over `source` (columns nik, at, n): per region prefix and per local day. */
async function groupedCounts(db: DbOrTx, source: SQL, prefix: number, offsetHours: number) {
  // Both numbers come from fixed tables (2/4/6 digits; 7/8/9 hours), never from the request.
  const localAt = sourceLocalAt(offsetHours);
  const rows = await queryRows<{ code: string | null; day: string | null; count: number | string }>(
    db,
    sql`with s as (${source})
        select substr(s.nik, 1, ${sql.raw(String(prefix))}) as code, null::text as day, sum(s.n)::bigint as count from s group by 1
        union all
        select null::text, to_char(${localAt}, 'YYYY-MM-DD'), sum(s.n)::bigint from s group by 2`,
  );
  return rows.map((row) => ({ code: row.code, day: row.day, count: Number(row.count) }));
}

/** RFC 4180 CSV of the table as the page prints it: KODE, the region, the counts; the TOTAL row first (Tabel 13). */
export function dashboardCsv(dashboard: Dashboard): string {
  const regionHeading = { province: 'PROVINSI', regency: 'KABUPATEN/KOTA', district: 'KECAMATAN' }[dashboard.level];
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const line = (cells: (string | number)[]) => cells.map(quote).join(',');
  const counts = (c: Counts) => MEASURES.map((m) => c[m]);
  return [
    line(['KODE', regionHeading, 'JUMLAH PENDAFTARAN', 'JUMLAH AKTIVASI', 'JUMLAH VERIFIKASI', 'JUMLAH PELAYANAN']),
    line(['', 'TOTAL', ...counts(dashboard.total)]),
    ...dashboard.rows.map((row) => line([row.code, row.name, ...counts(row)])),
  ]
    .map((l) => `${l}\r\n`)
    .join('');
}
