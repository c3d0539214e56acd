/** GET /v1/admin/stats (supervisor, admin) and GET /v1/admin/audit, /v1/admin/audit/verify (admin). */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, accounts, registrations } from '../../src/db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';

let ctx: TestContext;
let admin: Awaited<ReturnType<typeof createOperatorSession>>;
let supervisor: Awaited<ReturnType<typeof createOperatorSession>>;
let operator: Awaited<ReturnType<typeof createOperatorSession>>;

// The test clock starts at 2026-11-23T08:00Z.
const day = (d: string, time = '10:00:00') => new Date(`${d}T${time}Z`);
const PANGKEP = '7310014501900001'; // Sulawesi Selatan (73)
const BULELENG = '5108015002950002'; // Bali (51)
const PAREPARE = '7372016003850003'; // Sulawesi Selatan (73)

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
    reg('reg_1', PANGKEP, day('2026-11-20')),
    reg('reg_2', BULELENG, day('2026-11-20', '23:59:59')),
    reg('reg_3', PAREPARE, day('2026-11-21', '00:00:00')),
    reg('reg_4', PANGKEP, day('2026-11-22')),
    // Outside the default 30 days:
    reg('reg_old', PANGKEP, day('2026-09-01')),
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
  await db.insert(accounts).values([acc('acc_1', PANGKEP, day('2026-11-21')), acc('acc_2', BULELENG, day('2026-11-22'))]);
  const log = (accountId: string | null, outcome: 'verified' | 'expired' | 'invalid', at: Date) => ({
    at,
    tokenId: null,
    accountId,
    verifierId: 'ver_1',
    outcome,
    elements: ['nik'],
  });
  await db.insert(accessLog).values([
    log('acc_1', 'verified', day('2026-11-22')),
    log('acc_1', 'verified', day('2026-11-23', '07:00:00')),
    log('acc_2', 'verified', day('2026-11-23', '07:30:00')),
    log('acc_1', 'expired', day('2026-11-23', '07:40:00')),
    log(null, 'invalid', day('2026-11-23', '07:41:00')),
  ]);
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

describe('GET /v1/admin/stats', () => {
  it('counts by province (named) and by WIB day (UTC+7) over the last 30 days', async () => {
    const res = await ctx.app.request('/v1/admin/stats', { headers: operatorAuth(supervisor.token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      from: '2026-10-25',
      to: '2026-11-23',
      zone: 'WIB',
      registrations: {
        total: 4,
        byProvince: [
          { code: '73', name: 'SULAWESI SELATAN', count: 3 },
          { code: '51', name: 'BALI', count: 1 },
        ],
        // reg_2 (2026-11-20 23:59:59 UTC) is 06:59 on the 21st in Jakarta.
        byDay: [
          { day: '2026-11-20', count: 1 },
          { day: '2026-11-21', count: 2 },
          { day: '2026-11-22', count: 1 },
        ],
      },
      activations: {
        total: 2,
        byProvince: [
          { code: '51', name: 'BALI', count: 1 },
          { code: '73', name: 'SULAWESI SELATAN', count: 1 },
        ],
        byDay: [
          { day: '2026-11-21', count: 1 },
          { day: '2026-11-22', count: 1 },
        ],
      },
      // Only successful redemptions count as verifications.
      verifications: {
        total: 3,
        byProvince: [
          { code: '73', name: 'SULAWESI SELATAN', count: 2 },
          { code: '51', name: 'BALI', count: 1 },
        ],
        byDay: [
          { day: '2026-11-22', count: 1 },
          { day: '2026-11-23', count: 2 },
        ],
      },
      // No service request in this database (Pelayanan's figures are tested in service-requests-stats.test.ts).
      serviceRequests: {
        count: 0,
        completed: 0,
        medianHoursToCompletion: null,
        withinSlaShare: null,
        ratings: 0,
        skmIndex: null,
        byType: [],
        byStatus: [],
        byRegency: [],
        byMonth: [],
      },
    });
  });

  it('days are local days of ?zone= (WIB, WITA, WIT or UTC): from/to and byDay move with it', async () => {
    const get = async (query: string) => {
      const res = await ctx.app.request(`/v1/admin/stats?${query}`, { headers: operatorAuth(admin.token) });
      expect(res.status).toBe(200);
      return (await res.json()) as { zone: string; registrations: { total: number; byDay: unknown[] } };
    };
    // 2026-11-21 in UTC holds reg_3 only; in WIB (from 2026-11-20T17:00Z) also reg_2, at 23:59:59 UTC.
    const utc = await get('from=2026-11-21&to=2026-11-21&zone=UTC');
    expect(utc.zone).toBe('UTC');
    expect(utc.registrations.byDay).toEqual([{ day: '2026-11-21', count: 1 }]);
    for (const zone of ['WIB', 'WITA', 'WIT']) {
      const local = await get(`from=2026-11-21&to=2026-11-21&zone=${zone}`);
      expect(local.zone).toBe(zone);
      expect(local.registrations.byDay).toEqual([{ day: '2026-11-21', count: 2 }]);
    }
    // The WIT day of 2026-11-20 ends at 15:00 UTC: reg_1 (10:00) in it, reg_2 not.
    expect((await get('from=2026-11-20&to=2026-11-20&zone=WIT')).registrations.byDay).toEqual([{ day: '2026-11-20', count: 1 }]);
    const bad = await ctx.app.request('/v1/admin/stats?zone=PST', { headers: operatorAuth(admin.token) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_request');
  });

  it('takes from/to (inclusive UTC days with zone=UTC)', async () => {
    const res = await ctx.app.request('/v1/admin/stats?from=2026-09-01&to=2026-11-20&zone=UTC', { headers: operatorAuth(admin.token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { registrations: { total: number; byDay: unknown[] }; verifications: { total: number } };
    expect(body.registrations.total).toBe(3);
    expect(body.registrations.byDay).toEqual([
      { day: '2026-09-01', count: 1 },
      { day: '2026-11-20', count: 2 },
    ]);
    expect(body.verifications.total).toBe(0);
  });

  it('400 for a bad or reversed period', async () => {
    for (const query of ['from=2026-13-01', 'to=yesterday', 'from=2026-11-22&to=2026-11-01', 'from=2020-01-01&to=2026-11-01']) {
      const res = await ctx.app.request(`/v1/admin/stats?${query}`, { headers: operatorAuth(admin.token) });
      expect(`${query} ${res.status}`).toBe(`${query} 400`);
    }
  });

  it('an operator gets 403; no session gets 401', async () => {
    expect((await ctx.app.request('/v1/admin/stats', { headers: operatorAuth(operator.token) })).status).toBe(403);
    expect((await ctx.app.request('/v1/admin/stats')).status).toBe(401);
  });
});

describe('GET /v1/admin/audit', () => {
  it('admins page through the chain in order; the read itself is recorded', async () => {
    const first = await ctx.app.request('/v1/admin/audit?limit=2', { headers: operatorAuth(admin.token) });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { items: { seq: number; prevHash: string; hash: string; action: string; at: string }[]; nextAfterSeq: number };
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]!.prevHash).toBe('0'.repeat(64));
    expect(page1.items[1]!.prevHash).toBe(page1.items[0]!.hash);
    expect(page1.items[0]!.action).toBe('operator.created');
    expect(page1.items[0]!.at).toBe('2026-11-23T08:00:00.000Z');
    expect(page1.nextAfterSeq).toBe(page1.items[1]!.seq);

    const second = await ctx.app.request(`/v1/admin/audit?afterSeq=${page1.nextAfterSeq}&limit=500`, { headers: operatorAuth(admin.token) });
    const page2 = (await second.json()) as { items: { seq: number; prevHash: string; hash: string; action: string; actorId: string }[]; nextAfterSeq: number | null };
    expect(page2.items[0]!.prevHash).toBe(page1.items[1]!.hash);
    expect(page2.nextAfterSeq).toBeNull();
    // The first read is in the chain now, by this admin.
    expect(page2.items.at(-1)).toMatchObject({ action: 'audit.read', actorId: admin.operator.id });
  });

  it('verify: ok with the count and head; after tampering (triggers bypassed) it names the row', async () => {
    const ok = await ctx.app.request('/v1/admin/audit/verify', { headers: operatorAuth(admin.token) });
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as { ok: boolean; checked: number; head: { seq: number } };
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(5);

    const victim = result.head.seq - 2;
    await ctx.deps.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(sql`update audit_log set actor_id = 'someone_else' where seq = ${victim}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });
    const broken = (await (await ctx.app.request('/v1/admin/audit/verify', { headers: operatorAuth(admin.token) })).json()) as Record<string, unknown>;
    expect(broken).toMatchObject({ ok: false, firstBrokenSeq: victim, problem: 'hash_mismatch' });
  });

  it('supervisors and operators get 403', async () => {
    for (const { token } of [supervisor, operator]) {
      expect((await ctx.app.request('/v1/admin/audit', { headers: operatorAuth(token) })).status).toBe(403);
      expect((await ctx.app.request('/v1/admin/audit/verify', { headers: operatorAuth(token) })).status).toBe(403);
    }
  });

  it('400 for a bad page size', async () => {
    for (const q of ['limit=0', 'limit=501', 'afterSeq=-1', 'limit=abc']) {
      expect((await ctx.app.request(`/v1/admin/audit?${q}`, { headers: operatorAuth(admin.token) })).status).toBe(400);
    }
  });
});
