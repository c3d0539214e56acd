/**
 * The monitoring dashboard: GET /v1/operator/stats (JSON), GET /v1/operator/stats.csv and the page /operator/stats.
 * Sums per region and the TOTAL row, drill-down province → regency → district, the period filter in Indonesian
 * local days (WIB nationally, the province's zone below it) under the injected clock, roles, bad queries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, accounts, registrations, registryResidents } from '../../src/db/schema/index.js';
import { createServiceRequest } from '../../src/domain/services/requests.js';
import { demoRegistryRows } from '../../src/registry/seeded.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth, type OperatorSession } from '../helpers/operator.js';
import { REQUESTS } from '../helpers/services.js';

let ctx: TestContext;
let admin: OperatorSession;
let supervisor: OperatorSession;
let operator: OperatorSession;

// The test clock stands at 2026-11-23T08:00Z: 15.00 WIB, 16.00 WITA.
const at = (iso: string) => new Date(iso);
const PANGKEP = '7310014501900001'; // Sulawesi Selatan (73, WITA), Pangkep (7310), district 731001
const PANGKEP_B = '7310044501900005'; // the same regency, district 731004
const BULELENG = '5108015002950002'; // Bali (51, WITA)
const PAREPARE = '7372016003850003'; // Sulawesi Selatan, Kota Parepare (7372)
const UNKNOWN = '9901014501900009'; // a province the region table does not know
// A Pangkep NIK (district 731001) whose registry record lives in Kota Parepare: its requests go to the 7372 office.
const MOVED = '7310011207859002';

type Counts = { registrations: number; activations: number; verifications: number; serviceRequests: number };
type Body = {
  level: string;
  zone: string;
  parent: { code: string; name: string } | null;
  breadcrumb: { level: string; code: string; name: string }[];
  period: { kind: string; from: string; to: string };
  measures: string[];
  total: Counts;
  rows: (Counts & { code: string; name: string })[];
  byDay: (Counts & { day: string })[];
};

async function seed() {
  const { db } = ctx.deps;
  const reg = (id: string, nik: string, createdAt: Date) => ({
    id,
    nik,
    name: 'X',
    birthDate: '1990-01-01',
    email: `${id}@example.id`,
    phone: '+6281200000000',
    devicePublicKey: 'k',
    kind: 'new' as const,
    status: 'pending_verification' as const,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 86_400_000),
  });
  await db.insert(registrations).values([
    // 16.30Z: 23.30 WIB on the 22nd, but 00.30 WITA on the 23rd.
    reg('reg_pangkep', PANGKEP, at('2026-11-22T16:30:00Z')),
    reg('reg_pangkep_b', PANGKEP_B, at('2026-11-15T03:00:00Z')),
    reg('reg_parepare', PAREPARE, at('2026-11-23T07:00:00Z')),
    reg('reg_buleleng', BULELENG, at('2026-11-20T10:00:00Z')),
    reg('reg_unknown', UNKNOWN, at('2026-11-21T10:00:00Z')),
    // 31 October in UTC, 1 November in WIB and WITA: this month, local time.
    reg('reg_oct', PANGKEP, at('2026-10-31T18:00:00Z')),
    // 31 December 2025 in UTC, 1 January 2026 in WIB: this year, local time.
    reg('reg_newyear', BULELENG, at('2025-12-31T20:00:00Z')),
  ]);
  const acc = (id: string, nik: string, activatedAt: Date) => ({
    id,
    nik,
    email: `${id}@example.id`,
    phone: '+6281200000000',
    status: 'active' as const,
    pinHash: 'x',
    activatedAt,
    createdAt: activatedAt,
    updatedAt: activatedAt,
  });
  await db
    .insert(accounts)
    .values([acc('acc_1', PANGKEP, at('2026-11-21T10:00:00Z')), acc('acc_2', BULELENG, at('2026-11-22T10:00:00Z')), acc('acc_3', PAREPARE, at('2026-11-23T06:00:00Z'))]);
  const log = (accountId: string | null, outcome: 'verified' | 'expired' | 'invalid', when: Date) => ({
    at: when,
    tokenId: null,
    accountId,
    verifierId: 'ver_1',
    outcome,
    elements: ['nik'],
  });
  await db.insert(accessLog).values([
    log('acc_1', 'verified', at('2026-11-22T10:00:00Z')),
    log('acc_1', 'verified', at('2026-11-23T07:00:00Z')),
    log('acc_2', 'verified', at('2026-11-23T07:30:00Z')),
    // Not verifications: a failed redemption and an unreadable token.
    log('acc_1', 'expired', at('2026-11-23T07:40:00Z')),
    log(null, 'invalid', at('2026-11-23T07:41:00Z')),
  ]);

  // The holder who moved: the registry's regency (domicile) is Parepare, the NIK's is Pangkep.
  const template = demoRegistryRows().residents[0]!;
  await db.insert(registryResidents).values({ ...template, nik: MOVED, regency: 'KOTA PAREPARE', regencyCode: '7372', district: 'SOREANG', districtCode: '737203' });
  // Service requests through the domain (the same call POST /v1/me/service-requests makes), each at its moment.
  const request = async (accountId: string, nik: string, when: string) => {
    ctx.clock.set(when);
    const { type, details, attachments, fulfilment } = REQUESTS.data_sync;
    await createServiceRequest(ctx.deps, { resident: { accountId, nik, sessionId: 'ses_x', deviceId: 'dev_x' }, type, details, attachments: [...attachments], fulfilment });
  };
  try {
    // Pangkep (WITA): one second before and exactly at midnight WITA (both 22 November in WIB).
    await request('acc_1', PANGKEP, '2026-11-22T15:59:59Z');
    await request('acc_1', PANGKEP, '2026-11-22T16:00:00Z');
    // Buleleng: one second before and exactly at midnight WIB (both 23 November in WITA).
    await request('acc_2', BULELENG, '2026-11-22T16:59:59Z');
    await request('acc_2', BULELENG, '2026-11-22T17:00:00Z');
    // Today: the moved holder's request is Parepare's (office 7372), not Pangkep's.
    await request('acc_moved', MOVED, '2026-11-23T07:00:00Z');
  } finally {
    ctx.clock.set('2026-11-23T08:00:00Z');
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createOperatorSession(ctx, 'admin');
  supervisor = await createOperatorSession(ctx, 'supervisor');
  operator = await createOperatorSession(ctx, 'operator');
  await seed();
});
afterAll(async () => {
  await ctx.close();
});

async function stats(query: string, token = supervisor.token): Promise<Body> {
  const res = await ctx.app.request(`/v1/operator/stats${query ? `?${query}` : ''}`, { headers: operatorAuth(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Body;
}
const row = (body: Body, code: string) => body.rows.find((r) => r.code === code);
const sum = (body: Body, m: keyof Counts) => body.rows.reduce((s, r) => s + r[m], 0);

describe('GET /v1/operator/stats', () => {
  it('national, this month (WIB): every province (38) listed, sums per province, the total is the sum of the rows', async () => {
    const body = await stats('');
    expect(body.level).toBe('province');
    expect(body.zone).toBe('WIB');
    expect(body.period).toEqual({ kind: 'month', from: '2026-11-01', to: '2026-11-23' });
    expect(body.parent).toBeNull();
    // All 38 provinces of today's Kepmendagri codes (Tabel 13's 34 plus the four Papua provinces of 2022) in code
    // order, plus the one the region table does not know.
    expect(body.rows).toHaveLength(39);
    expect(row(body, '96')?.registrations).toBe(0);
    expect(body.rows.map((r) => r.code)).toEqual([...body.rows.map((r) => r.code)].sort());
    expect(body.measures).toEqual(['registrations', 'activations', 'verifications', 'serviceRequests']);
    expect(row(body, '11')).toEqual({ code: '11', name: 'ACEH', registrations: 0, activations: 0, verifications: 0, serviceRequests: 0 });
    // Service requests: Sulawesi Selatan has Pangkep's two and the moved holder's one (Parepare's office).
    expect(row(body, '73')).toEqual({ code: '73', name: 'SULAWESI SELATAN', registrations: 4, activations: 2, verifications: 2, serviceRequests: 3 });
    expect(row(body, '51')).toEqual({ code: '51', name: 'BALI', registrations: 1, activations: 1, verifications: 1, serviceRequests: 2 });
    expect(row(body, '99')).toEqual({ code: '99', name: 'TIDAK DIKENAL', registrations: 1, activations: 0, verifications: 0, serviceRequests: 0 });
    expect(body.total).toEqual({ registrations: 6, activations: 3, verifications: 3, serviceRequests: 5 });
    for (const m of ['registrations', 'activations', 'verifications', 'serviceRequests'] as const) expect(sum(body, m)).toBe(body.total[m]);
    expect(body).not.toHaveProperty('serviceRequests');
    // One entry per local day of the period, zeros included; the 31 October 18.00Z registration is 1 November WIB.
    expect(body.byDay).toHaveLength(23);
    expect(body.byDay[0]).toEqual({ day: '2026-11-01', registrations: 1, activations: 0, verifications: 0, serviceRequests: 0 });
    // WIB days: 16.59.59Z is still the 22nd, 17.00Z the 23rd.
    expect(body.byDay.find((d) => d.day === '2026-11-22')).toEqual({ day: '2026-11-22', registrations: 1, activations: 1, verifications: 1, serviceRequests: 3 });
    expect(body.byDay.find((d) => d.day === '2026-11-23')).toEqual({ day: '2026-11-23', registrations: 1, activations: 1, verifications: 2, serviceRequests: 2 });
    expect(body.byDay.reduce((s, d) => s + d.serviceRequests, 0)).toBe(5);
    expect(body.byDay.reduce((s, d) => s + d.registrations, 0)).toBe(6);
  });

  it('today and this year follow the local calendar of the injected clock', async () => {
    const today = await stats('period=today');
    expect(today.period).toEqual({ kind: 'today', from: '2026-11-23', to: '2026-11-23' });
    // 23.30 WIB on the 22nd is not today nationally.
    expect(today.total).toEqual({ registrations: 1, activations: 1, verifications: 2, serviceRequests: 2 });
    expect(row(today, '51')!.serviceRequests).toBe(1);
    const year = await stats('period=year');
    expect(year.period).toEqual({ kind: 'year', from: '2026-01-01', to: '2026-11-23' });
    expect(year.total.registrations).toBe(7);
    expect(row(year, '51')!.registrations).toBe(2);

    // The clock moves past midnight WIB (17.00Z): "today" is the 24th and empty.
    ctx.clock.set('2026-11-23T17:30:00Z');
    try {
      // Nine hours on, the sessions from before are idle: log in again at the new time.
      const later = await createOperatorSession(ctx, 'supervisor');
      const next = await stats('period=today', later.token);
      expect(next.period.from).toBe('2026-11-24');
      expect(next.total).toEqual({ registrations: 0, activations: 0, verifications: 0, serviceRequests: 0 });
    } finally {
      ctx.clock.set('2026-11-23T08:00:00Z');
    }
  });

  it('a range takes inclusive local days', async () => {
    const body = await stats('period=range&from=2026-01-01&to=2026-01-01');
    expect(body.period).toEqual({ kind: 'range', from: '2026-01-01', to: '2026-01-01' });
    expect(body.total.registrations).toBe(1);
    expect(row(body, '51')!.registrations).toBe(1);
    // from/to alone mean a range.
    const implied = await stats('from=2026-11-20&to=2026-11-21');
    expect(implied.period.kind).toBe('range');
    expect(implied.total).toEqual({ registrations: 2, activations: 1, verifications: 0, serviceRequests: 0 });
    expect(implied.byDay.map((d) => d.day)).toEqual(['2026-11-20', '2026-11-21']);
  });

  it('drills down: province → its regencies (in the province zone) → a regency’s districts', async () => {
    const regencies = await stats('level=regency&parent=73&period=today', admin.token);
    expect(regencies.zone).toBe('WITA');
    expect(regencies.parent).toEqual({ level: 'province', code: '73', name: 'SULAWESI SELATAN' });
    expect(regencies.breadcrumb.map((b) => b.code)).toEqual(['73']);
    // 00.30 WITA on the 23rd is today in Sulawesi Selatan.
    expect(regencies.total.registrations).toBe(2);
    // Midnight WITA: the 16.00Z request is today in Pangkep, the 15.59.59Z one is not; the moved holder's is Parepare's.
    expect(row(regencies, '7310')).toMatchObject({ name: 'KABUPATEN PANGKAJENE DAN KEPULAUAN', registrations: 1, serviceRequests: 1 });
    expect(row(regencies, '7372')).toMatchObject({ name: 'KOTA PAREPARE', registrations: 1, activations: 1, verifications: 0, serviceRequests: 1 });
    expect(regencies.total.serviceRequests).toBe(2);
    expect(regencies.rows.every((r) => r.code.startsWith('73') && r.code.length === 4)).toBe(true);
    expect(regencies.byDay).toEqual([{ day: '2026-11-23', registrations: 2, activations: 1, verifications: 1, serviceRequests: 2 }]);
    // Bali is WITA too: both requests around midnight WIB are 23 November there.
    const bali = await stats('level=regency&parent=51&period=today');
    expect(row(bali, '5108')).toMatchObject({ serviceRequests: 2 });

    const districts = await stats('level=district&parent=7310');
    expect(districts.zone).toBe('WITA');
    expect(districts.breadcrumb.map((b) => b.code)).toEqual(['73', '7310']);
    expect(districts.rows.every((r) => r.code.startsWith('7310') && r.code.length === 6)).toBe(true);
    expect(row(districts, '731001')).toMatchObject({ registrations: 2, activations: 1, verifications: 2, serviceRequests: 2 });
    expect(row(districts, '731004')).toMatchObject({ registrations: 1, activations: 0, verifications: 0, serviceRequests: 0 });
    // The moved holder's NIK is in 731001, but the request belongs to the Parepare office: not counted here.
    expect(districts.total).toEqual({ registrations: 3, activations: 1, verifications: 2, serviceRequests: 2 });
    for (const m of ['registrations', 'activations', 'verifications', 'serviceRequests'] as const) expect(sum(districts, m)).toBe(districts.total[m]);

    // In Parepare's districts the moved holder's request has no known district (the office is a regency), and the
    // districts still sum to the regency's row.
    const parepare = await stats('level=district&parent=7372');
    expect(row(parepare, '737200')).toEqual({ code: '737200', name: 'TIDAK DIKENAL', registrations: 0, activations: 0, verifications: 0, serviceRequests: 1 });
    expect(parepare.total.serviceRequests).toBe(1);
    expect(sum(parepare, 'serviceRequests')).toBe(1);
  });

  it('400 invalid_request for a bad level, parent or period', async () => {
    for (const query of [
      'level=village',
      'level=regency',
      'level=regency&parent=7310',
      'level=district&parent=73',
      'level=province&parent=73',
      'parent=73x',
      'period=week',
      'period=range',
      'period=range&from=2026-11-01',
      'period=month&from=2026-11-01',
      'from=2026-13-01&to=2026-11-01',
      'from=2026-11-22&to=2026-11-01',
      'from=2020-01-01&to=2026-11-01',
    ]) {
      const res = await ctx.app.request(`/v1/operator/stats?${query}`, { headers: operatorAuth(supervisor.token) });
      const body = (await res.json()) as { code: string };
      expect(`${query} → ${res.status} ${body.code}`).toBe(`${query} → 400 invalid_request`);
    }
  });

  it('403 forbidden for a plain operator; 401 without a session', async () => {
    const res = await ctx.app.request('/v1/operator/stats', { headers: operatorAuth(operator.token) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
    expect((await ctx.app.request('/v1/operator/stats')).status).toBe(401);
  });

  it('is in /openapi.json with its query parameters', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(doc.paths['/v1/operator/stats']?.get?.parameters?.map((p) => p.name)).toEqual(['level', 'parent', 'period', 'from', 'to']);
    expect(doc.paths['/v1/operator/stats.csv']?.get).toBeDefined();
  });
});

describe('GET /v1/operator/stats.csv', () => {
  it('the same table as CSV: KODE, PROVINSI, counts, the TOTAL row first, same filters', async () => {
    const res = await ctx.app.request('/v1/operator/stats.csv', { headers: operatorAuth(supervisor.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ikd-stats_province_2026-11-01_2026-11-23.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, 3)).toEqual(['KODE,PROVINSI,JUMLAH PENDAFTARAN,JUMLAH AKTIVASI,JUMLAH VERIFIKASI,JUMLAH PELAYANAN', ',TOTAL,6,3,3,5', '11,ACEH,0,0,0,0']);
    expect(lines).toContain('73,SULAWESI SELATAN,4,2,2,3');
    expect(lines).toContain('51,BALI,1,1,1,2');
    expect(lines).toHaveLength(1 + 1 + 39 + 1);

    const drill = await ctx.app.request('/v1/operator/stats.csv?level=district&parent=7310&period=today', { headers: operatorAuth(admin.token) });
    expect(drill.status).toBe(200);
    const drillLines = (await drill.text()).split('\r\n');
    expect(drillLines[0]).toBe('KODE,KECAMATAN,JUMLAH PENDAFTARAN,JUMLAH AKTIVASI,JUMLAH VERIFIKASI,JUMLAH PELAYANAN');
    // Today in WITA: the request at 00.00 WITA, not the one a second before.
    expect(drillLines[1]).toBe(',TOTAL,1,0,1,1');
    expect(drillLines).toContain('731001,LIUKANG TANGAYA,1,0,1,1');

    const regencyCsv = await (await ctx.app.request('/v1/operator/stats.csv?level=regency&parent=73', { headers: operatorAuth(admin.token) })).text();
    expect(regencyCsv.split('\r\n')).toContain('7372,KOTA PAREPARE,1,1,0,1');
  });

  it('refuses what the JSON refuses', async () => {
    const bad = await ctx.app.request('/v1/operator/stats.csv?period=range', { headers: operatorAuth(supervisor.token) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_request');
    expect((await ctx.app.request('/v1/operator/stats.csv', { headers: operatorAuth(operator.token) })).status).toBe(403);
  });
});

describe('GET /operator/stats (page)', () => {
  const cookie = (token: string) => ({ Cookie: `__Host-ikd_op=${token}` });

  it('shows the table with the TOTAL row, drill-down links that keep the period, the charts and the aggregates-only footnote', async () => {
    const res = await ctx.app.request('/operator/stats?period=year', { headers: cookie(supervisor.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toMatch(/<tr class="total" id="stats-total"><td><\/td><th scope="row">TOTAL<\/th><td class="num" data-measure="registrations">7<\/td>/);
    expect(html).toContain('href="/operator/stats?level=regency&amp;parent=73&amp;period=year"');
    expect(html).toContain('href="/v1/operator/stats.csv?level=province&amp;period=year"');
    expect(html).toContain('id="stats-chart-days"');
    expect(html).toContain('id="stats-chart-regions"');
    expect(html).toContain('src="/assets/vendor/chart.js"');
    expect(html).toContain('id="stats-footnote"');
    // The fourth column: its header and the total (Pangkep 2, Bali 2, Parepare 1 this year).
    expect(html).toMatch(/<th scope="col" class="num">Pelayanan<\/th>/);
    expect(html).toContain('<td class="num" data-measure="serviceRequests">5</td>');
    expect(html).not.toContain('stats-service-requests');
  });

  it('403 page for a plain operator, 401 page without a session, 400 page for a bad filter', async () => {
    const forbidden = await ctx.app.request('/operator/stats', { headers: cookie(operator.token) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await forbidden.text()).toContain('data-status="403"');
    const anonymous = await ctx.app.request('/operator/stats');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('data-status="401"');
    const bad = await ctx.app.request('/operator/stats?level=regency', { headers: cookie(admin.token) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-status="400"');
  });
});
