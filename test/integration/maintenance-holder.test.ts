/**
 * The maintenance job's holder-side steps (#12 points 4–5): rejected or expired registrations lose their selfie after
 * 30 days (the row stays), pending and approved ones keep it; Lupa PIN codes and operator login-failure counters are
 * deleted once past their end plus a day. Injected clock; PGlite, or PostgreSQL with DATABASE_URL.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorLoginLocks, pinResets, registrations } from '../../src/db/schema/index.js';
import { purgeExpiredRows, runMaintenance } from '../../src/domain/maintenance/purge.js';
import { retentionFor } from '../../src/domain/maintenance/retention.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SELFIE = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const at = (ms: number) => new Date(ctx.clock.now().getTime() + ms);

type Status = (typeof registrations.$inferInsert)['status'];
function registration(id: string, status: Status, fields: { createdAt?: Date; expiresAt?: Date; decidedAt?: Date | null } = {}) {
  const createdAt = fields.createdAt ?? ctx.clock.now();
  return {
    id,
    nik: '3171011501900001',
    name: 'Warga Uji',
    birthDate: '1990-01-15',
    email: `${id}@example.id`,
    phone: '+6281200000000',
    devicePublicKey: `pk-${id}`,
    selfie: SELFIE,
    selfieType: 'image/jpeg',
    kind: 'new' as const,
    status,
    decidedAt: fields.decidedAt ?? null,
    decidedBy: fields.decidedAt ? 'op-1' : null,
    createdAt,
    expiresAt: fields.expiresAt ?? new Date(createdAt.getTime() + 7 * DAY),
  };
}

async function selfies() {
  const rows = await ctx.deps.db
    .select({ id: registrations.id, status: registrations.status, selfie: registrations.selfie, selfieType: registrations.selfieType, email: registrations.email })
    .from(registrations)
    .orderBy(asc(registrations.id));
  return Object.fromEntries(rows.map((r) => [r.id, { status: r.status, selfie: r.selfie !== null, selfieType: r.selfieType, email: r.email }]));
}

describe('registrations lose their selfie 30 days after rejection or expiry', () => {
  it('day 29 keeps, day 31 blanks the selfie of rejected and expired ones; pending and approved ones keep theirs', async () => {
    expect(retentionFor('registrations').graceMs).toBe(30 * DAY);
    const t0 = ctx.clock.now();
    // Rejected today (operator or registry); expired today: marked, and a pending one past its 7 days nobody marked yet.
    await ctx.deps.db.insert(registrations).values([
      registration('reg-rejected', 'rejected', { createdAt: new Date(t0.getTime() - DAY), decidedAt: t0 }),
      registration('reg-rejected-registry', 'rejected', { decidedAt: t0 }),
      registration('reg-expired', 'expired', { createdAt: new Date(t0.getTime() - 7 * DAY), expiresAt: t0 }),
      registration('reg-expired-unmarked', 'pending_verification', { createdAt: new Date(t0.getTime() - 7 * DAY), expiresAt: t0 }),
      // Approved today (and their 7-day window over long before day 31): the counter and the account still need them.
      registration('reg-approved', 'awaiting_activation', { createdAt: new Date(t0.getTime() - 7 * DAY), expiresAt: t0, decidedAt: t0 }),
      registration('reg-active', 'active', { createdAt: new Date(t0.getTime() - 7 * DAY), expiresAt: t0, decidedAt: t0 }),
    ]);

    ctx.clock.advance(29 * DAY);
    expect((await purgeExpiredRows(ctx.deps)).registrations).toBe(0);
    expect(Object.values(await selfies()).every((r) => r.selfie && r.selfieType === 'image/jpeg')).toBe(true);

    // A registration sent on day 30, still pending on day 31.
    ctx.clock.advance(1 * DAY);
    await ctx.deps.db.insert(registrations).values(registration('reg-pending', 'pending_verification'));

    ctx.clock.advance(1 * DAY);
    const run = await runMaintenance(ctx.deps);
    expect(run.status).toBe('done');
    if (run.status !== 'done') return;
    expect(run.purged.registrations).toBe(4);

    const after = await selfies();
    for (const id of ['reg-rejected', 'reg-rejected-registry', 'reg-expired', 'reg-expired-unmarked']) {
      expect(after[id], id).toMatchObject({ selfie: false, selfieType: null });
    }
    for (const id of ['reg-approved', 'reg-active', 'reg-pending']) {
      expect(after[id], id).toMatchObject({ selfie: true, selfieType: 'image/jpeg' });
    }
    // The row itself stays (the operator's record of the decision), with its status.
    expect(Object.keys(after)).toHaveLength(7);
    expect(after['reg-rejected']).toMatchObject({ status: 'rejected', email: 'reg-rejected@example.id' });
    expect(after['reg-expired-unmarked']).toMatchObject({ status: 'pending_verification' });

    // No image bytes of a blanked registration are left in the row.
    const [blanked] = await ctx.deps.db.select().from(registrations).where(eq(registrations.id, 'reg-expired'));
    expect(blanked?.selfie).toBeNull();
    expect((await purgeExpiredRows(ctx.deps)).registrations).toBe(0);
  });
});

describe('pin_resets and operator_login_locks are purged', () => {
  it('deletes Lupa PIN codes a day past their expiry, consumed, voided or not, and keeps newer ones', async () => {
    const grace = retentionFor('pin_resets').graceMs;
    expect(grace).toBe(DAY);
    const reset = (id: string, expiresAt: Date, fields: { consumedAt?: Date; voidedAt?: Date } = {}) => ({
      id,
      accountId: 'acc-1',
      deviceId: 'dev-1',
      codeHash: `code-${id}`,
      createdAt: new Date(expiresAt.getTime() - 15 * MINUTE),
      expiresAt,
      consumedAt: fields.consumedAt ?? null,
      voidedAt: fields.voidedAt ?? null,
    });
    const due = at(-grace - MINUTE);
    const kept = at(-grace + MINUTE);
    await ctx.deps.db.insert(pinResets).values([
      reset('prs-due-expired', due),
      reset('prs-due-consumed', due, { consumedAt: new Date(due.getTime() - 5 * MINUTE) }),
      reset('prs-due-voided', due, { voidedAt: new Date(due.getTime() - 5 * MINUTE) }),
      reset('prs-kept', kept),
      reset('prs-live', at(10 * MINUTE)),
    ]);
    expect((await purgeExpiredRows(ctx.deps)).pin_resets).toBe(3);
    const left = await ctx.deps.db.select({ id: pinResets.id }).from(pinResets);
    expect(left.map((r) => r.id).sort()).toEqual(['prs-kept', 'prs-live']);
  });

  it('deletes login-failure counters a day after their last failure and their lock, and keeps a counter still counting', async () => {
    const grace = retentionFor('operator_login_locks').graceMs;
    expect(grace).toBe(DAY);
    const due = at(-grace - MINUTE);
    const kept = at(-grace + MINUTE);
    const lock = (usernameHash: string, lastAttemptAt: Date, lockedUntil: Date | null, failures = 3) => ({ usernameHash, address: '10.0.0.1', failures, lastAttemptAt, lockedUntil });
    await ctx.deps.db.insert(operatorLoginLocks).values([
      lock('u-due', due, null),
      lock('u-due-locked', new Date(due.getTime() - 15 * MINUTE), due, 0),
      lock('u-kept', kept, null),
      // Last tried long ago but locked until recently: the lock's end is what counts.
      lock('u-kept-locked', at(-3 * DAY), kept, 0),
      lock('u-live', at(-MINUTE), null, 4),
    ]);
    expect((await purgeExpiredRows(ctx.deps)).operator_login_locks).toBe(2);
    const left = await ctx.deps.db.select({ u: operatorLoginLocks.usernameHash }).from(operatorLoginLocks);
    expect(left.map((r) => r.u).sort()).toEqual(['u-kept', 'u-kept-locked', 'u-live']);
  });
});
