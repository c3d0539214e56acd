/**
 * The maintenance job (src/domain/maintenance/): rows just past each retention cutoff are deleted, rows just inside it
 * stay, the access log stays whole, and concurrent runs do the work once. PGlite, or PostgreSQL with DATABASE_URL.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessLog,
  activations,
  appMeta,
  challenges,
  ktpTokens,
  operatorSessions,
  outbox,
  rateLimits,
  residentSessions,
} from '../../src/db/schema/index.js';
import { MAINTENANCE_LOCK_KEY, MAINTENANCE_META_KEY, purgeTable, runMaintenance } from '../../src/domain/maintenance/purge.js';
import { LONGEST_RATE_LIMIT_WINDOW_MS, retentionFor, type RetentionTable } from '../../src/domain/maintenance/retention.js';
import { SESSION_IDLE_MS } from '../../src/domain/operators/operators.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { createTestContext, usingPostgres, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** A moment one second past (due) or one second short of (kept) the table's cutoff, now − grace. */
function around(table: RetentionTable): { due: Date; kept: Date } {
  const cutoff = ctx.clock.now().getTime() - retentionFor(table).graceMs;
  return { due: new Date(cutoff - SECOND), kept: new Date(cutoff + SECOND) };
}
const later = (ms: number) => new Date(ctx.clock.now().getTime() + ms);

async function ids(table: typeof challenges | typeof residentSessions | typeof operatorSessions | typeof outbox | typeof ktpTokens | typeof activations) {
  const rows = await ctx.deps.db.select({ id: table.id }).from(table).orderBy(asc(table.id));
  return rows.map((r) => r.id).sort();
}

async function seedEverything() {
  const db = ctx.deps.db;
  const c = around('challenges');
  await db.insert(challenges).values([
    { id: 'ch-due', nonce: 'n1', purpose: 'login', createdAt: new Date(c.due.getTime() - 2 * MINUTE), expiresAt: c.due },
    { id: 'ch-due-used', nonce: 'n2', purpose: 'registration_qr', createdAt: new Date(c.due.getTime() - 2 * MINUTE), expiresAt: c.due, usedAt: c.due },
    { id: 'ch-kept', nonce: 'n3', purpose: 'login', createdAt: new Date(c.kept.getTime() - 2 * MINUTE), expiresAt: c.kept },
    { id: 'ch-live', nonce: 'n4', purpose: 'login', createdAt: ctx.clock.now(), expiresAt: later(2 * MINUTE) },
  ]);

  // A window ends LONGEST_RATE_LIMIT_WINDOW_MS after it starts; the grace counts from that end.
  const r = around('rate_limits');
  await db.insert(rateLimits).values([
    { key: 'rl:due', windowStart: new Date(r.due.getTime() - LONGEST_RATE_LIMIT_WINDOW_MS), count: 3 },
    { key: 'rl:kept', windowStart: new Date(r.kept.getTime() - LONGEST_RATE_LIMIT_WINDOW_MS), count: 3 },
    { key: 'rl:live', windowStart: ctx.clock.now(), count: 1 },
  ]);

  const s = around('resident_sessions');
  const rs = (id: string, expiresAt: Date, revokedAt: Date | null = null) => ({
    id,
    tokenHash: `h-${id}`,
    accountId: 'acc-1',
    deviceId: 'dev-1',
    createdAt: new Date(expiresAt.getTime() - 15 * MINUTE),
    expiresAt,
    revokedAt,
  });
  await db.insert(residentSessions).values([
    rs('rs-due-expired', s.due),
    rs('rs-kept-expired', s.kept),
    // Revoked long before its expiry would have come: the revocation is the end of life.
    rs('rs-due-revoked', later(10 * MINUTE), s.due),
    rs('rs-kept-revoked', later(10 * MINUTE), s.kept),
    rs('rs-live', later(10 * MINUTE)),
  ]);

  const o = around('operator_sessions');
  const os = (id: string, fields: { expiresAt: Date; lastSeenAt?: Date; revokedAt?: Date }) => ({
    id,
    tokenHash: `h-${id}`,
    operatorId: 'op-1',
    createdAt: new Date(ctx.clock.now().getTime() - 20 * 24 * 3600 * SECOND),
    lastSeenAt: fields.lastSeenAt ?? ctx.clock.now(),
    expiresAt: fields.expiresAt,
    revokedAt: fields.revokedAt ?? null,
  });
  await db.insert(operatorSessions).values([
    os('os-due-expired', { expiresAt: o.due, lastSeenAt: new Date(o.due.getTime() - SESSION_IDLE_MS) }),
    os('os-kept-expired', { expiresAt: o.kept, lastSeenAt: new Date(o.kept.getTime() - SESSION_IDLE_MS) }),
    // Idle: it ended SESSION_IDLE_MS after it was last seen, long before its 12 h end.
    os('os-due-idle', { expiresAt: later(6 * 3600 * SECOND), lastSeenAt: new Date(o.due.getTime() - SESSION_IDLE_MS) }),
    os('os-kept-idle', { expiresAt: later(6 * 3600 * SECOND), lastSeenAt: new Date(o.kept.getTime() - SESSION_IDLE_MS) }),
    os('os-due-revoked', { expiresAt: later(6 * 3600 * SECOND), revokedAt: o.due }),
    os('os-kept-revoked', { expiresAt: later(6 * 3600 * SECOND), revokedAt: o.kept }),
    os('os-live', { expiresAt: later(6 * 3600 * SECOND) }),
  ]);

  const m = around('outbox');
  const mail = (id: string, status: 'pending' | 'sent' | 'failed', at: Date, sentAt: Date | null) => ({
    id,
    idempotencyKey: `ikd-${id}`,
    to: 'warga@example.id',
    subject: 's',
    text: 't',
    html: '<p>t</p>',
    template: 'activation',
    status,
    nextAttemptAt: at,
    createdAt: at,
    sentAt,
  });
  await db.insert(outbox).values([
    mail('mail-due-sent', 'sent', m.due, m.due),
    mail('mail-kept-sent', 'sent', m.due, m.kept),
    // Only delivered e-mails go: a failed one waits for someone to look, a pending one for delivery.
    mail('mail-old-failed', 'failed', m.due, null),
    mail('mail-old-pending', 'pending', m.due, null),
  ]);

  const k = around('ktp_tokens');
  const token = (id: string, expiresAt: Date, fields: { usedAt?: Date; revokedAt?: Date } = {}) => ({
    id,
    accountId: 'acc-1',
    kid: 'k1',
    elements: ['nik', 'name'],
    issuedAt: new Date(expiresAt.getTime() - 90 * SECOND),
    expiresAt,
    usedAt: fields.usedAt ?? null,
    usedBy: fields.usedAt ? 'ver-1' : null,
    revokedAt: fields.revokedAt ?? null,
  });
  await db.insert(ktpTokens).values([
    token('tok-due-used', k.due, { usedAt: new Date(k.due.getTime() - 30 * SECOND) }),
    token('tok-due-revoked', k.due, { revokedAt: new Date(k.due.getTime() - 30 * SECOND) }),
    token('tok-due-expired', k.due),
    token('tok-kept-used', k.kept, { usedAt: new Date(k.kept.getTime() - 30 * SECOND) }),
    token('tok-kept-expired', k.kept),
    token('tok-live', later(60 * SECOND)),
  ]);
  // The scans of purged tokens: the access log carries everything the holder's history shows by itself.
  await db.insert(accessLog).values([
    { at: k.due, tokenId: 'tok-due-used', accountId: 'acc-1', verifierId: 'ver-1', outcome: 'verified', elements: ['nik'], counter: 'loket 1' },
    { at: k.due, tokenId: 'tok-due-used', accountId: 'acc-1', verifierId: 'ver-2', outcome: 'already_used', elements: [], counter: null },
    { at: k.due, tokenId: 'tok-due-revoked', accountId: 'acc-1', verifierId: 'ver-1', outcome: 'revoked', elements: [], counter: null },
    { at: k.kept, tokenId: 'tok-kept-used', accountId: 'acc-1', verifierId: 'ver-1', outcome: 'verified', elements: ['nik', 'name'], counter: null },
    { at: k.kept, tokenId: null, accountId: null, verifierId: 'ver-1', outcome: 'invalid', elements: [], counter: null },
  ]);

  const a = around('activations');
  const activation = (id: string, expiresAt: Date, fields: { consumedAt?: Date; voidedAt?: Date } = {}) => ({
    id,
    registrationId: `reg-${id}`,
    tokenHash: `th-${id}`,
    codeHash: `ch-${id}`,
    createdAt: new Date(expiresAt.getTime() - 24 * 3600 * SECOND),
    expiresAt,
    consumedAt: fields.consumedAt ?? null,
    voidedAt: fields.voidedAt ?? null,
  });
  await db.insert(activations).values([
    activation('act-due-consumed', a.due, { consumedAt: new Date(a.due.getTime() - 3600 * SECOND) }),
    activation('act-due-voided', a.due, { voidedAt: new Date(a.due.getTime() - 3600 * SECOND) }),
    activation('act-due-expired', a.due),
    activation('act-kept-expired', a.kept),
    activation('act-live', later(3600 * SECOND)),
  ]);
}

describe('the maintenance job', () => {
  it('deletes exactly the rows past their cutoff and keeps every access-log row', async () => {
    await seedEverything();
    const logBefore = await ctx.deps.db.select().from(accessLog).orderBy(asc(accessLog.seq));
    expect(logBefore).toHaveLength(5);

    const run = await runMaintenance(ctx.deps);
    expect(run.status).toBe('done');
    if (run.status !== 'done') return;
    expect(run.purged).toEqual({
      challenges: 2,
      rate_limits: 1,
      resident_sessions: 2,
      operator_sessions: 3,
      outbox: 1,
      ktp_tokens: 3,
      activations: 3,
      pin_resets: 0,
      operator_login_locks: 0,
      registrations: 0,
      // Masuk dengan IKD's tables (their purge is tested in test/http/oidc-holder.test.ts): nothing seeded here.
      oidc_authorizations: 0,
      oidc_access_tokens: 0,
      oidc_client_assertions: 0,
      // Pelayanan's tables (their purge is tested in test/http/issued-documents.test.ts and the retention rules'): none seeded here.
      service_request_attachments: 0,
      issued_document_counters: 0,
      // Counter QR requests (their purge is tested in test/http/verification-requests.test.ts): none seeded here.
      verification_requests: 0,
    });

    expect(await ids(challenges)).toEqual(['ch-kept', 'ch-live']);
    const limits = await ctx.deps.db.select({ key: rateLimits.key }).from(rateLimits);
    expect(limits.map((l) => l.key).sort()).toEqual(['rl:kept', 'rl:live']);
    expect(await ids(residentSessions)).toEqual(['rs-kept-expired', 'rs-kept-revoked', 'rs-live']);
    expect(await ids(operatorSessions)).toEqual(['os-kept-expired', 'os-kept-idle', 'os-kept-revoked', 'os-live']);
    expect(await ids(outbox)).toEqual(['mail-kept-sent', 'mail-old-failed', 'mail-old-pending']);
    expect(await ids(ktpTokens)).toEqual(['tok-kept-expired', 'tok-kept-used', 'tok-live']);
    expect(await ids(activations)).toEqual(['act-kept-expired', 'act-live']);

    // The access log is untouched: same rows, same token ids, accounts and outcomes.
    expect(await ctx.deps.db.select().from(accessLog).orderBy(asc(accessLog.seq))).toEqual(logBefore);

    // The run leaves its mark, and a second run finds nothing more to do.
    const [mark] = await ctx.deps.db.select().from(appMeta).where(eq(appMeta.key, MAINTENANCE_META_KEY));
    expect(mark?.value).toMatchObject({ at: ctx.clock.now().toISOString(), purged: run.purged });
    const again = await runMaintenance(ctx.deps);
    expect(again.status === 'done' && Object.values(again.purged).every((n) => n === 0)).toBe(true);
  });

  it('deletes a backlog in bounded batches until none is left', async () => {
    const expiresAt = new Date(ctx.clock.now().getTime() - retentionFor('challenges').graceMs - MINUTE);
    await ctx.deps.db.insert(challenges).values(
      Array.from({ length: 11 }, (_, i) => ({ id: `batch-${i}`, nonce: 'n', purpose: 'login' as const, createdAt: expiresAt, expiresAt })),
    );
    const cutoff = new Date(ctx.clock.now().getTime() - retentionFor('challenges').graceMs);
    expect(await purgeTable(ctx.deps, 'challenges', cutoff, 3)).toBe(11);
    expect((await ids(challenges)).filter((id) => id.startsWith('batch-'))).toEqual([]);
  });

  it('runs once when two runs start together: the other reports skipped', async () => {
    const runs = await Promise.all([runMaintenance(ctx.deps), runMaintenance(ctx.deps)]);
    expect(runs.map((r) => r.status).sort()).toEqual(['done', 'skipped']);
    expect(runs.find((r) => r.status === 'skipped')).toMatchObject({ reason: 'locked' });
  });

  it('skips while another holder has the advisory lock', async () => {
    const held = await ctx.deps.database.withAdvisoryLock(MAINTENANCE_LOCK_KEY, () => runMaintenance(ctx.deps));
    expect(held).toEqual({ acquired: true, value: { status: 'skipped', reason: 'locked' } });
    // Released afterwards: the next run takes it.
    expect((await runMaintenance(ctx.deps)).status).toBe('done');
  });

  it('skips a run less than minIntervalMs after the last one, so timers in several processes run it once a period', async () => {
    expect((await runMaintenance(ctx.deps, { minIntervalMs: 5 * MINUTE })).status).toBe('skipped');
    ctx.clock.advance(5 * MINUTE);
    expect((await runMaintenance(ctx.deps, { minIntervalMs: 5 * MINUTE })).status).toBe('done');
    ctx.clock.advance(4 * MINUTE);
    expect(await runMaintenance(ctx.deps, { minIntervalMs: 5 * MINUTE })).toMatchObject({ status: 'skipped', reason: 'recent' });
  });

  it.runIf(usingPostgres())('holds the lock with a pool of one connection too (a session lock there)', async () => {
    const key = MAINTENANCE_LOCK_KEY + 1000 + (process.pid % 1000); // its own key: nothing else in the run takes it
    const single = createPostgresDatabase(process.env.DATABASE_URL!, { max: 1 });
    const other = createPostgresDatabase(process.env.DATABASE_URL!, { max: 1 });
    try {
      const outcome = await single.withAdvisoryLock(key, async () => ({
        sameProcess: await single.withAdvisoryLock(key, async () => 'ran'),
        otherProcess: await other.withAdvisoryLock(key, async () => 'ran'),
      }));
      expect(outcome).toEqual({ acquired: true, value: { sameProcess: { acquired: false }, otherProcess: { acquired: false } } });
      expect(await other.withAdvisoryLock(key, async () => 'ran')).toEqual({ acquired: true, value: 'ran' });
    } finally {
      await Promise.all([single.close(), other.close()]);
    }
  });

  it('logs each run and skip without row contents', () => {
    const lines = ctx.logLines.filter((l) => l.includes('maintenance'));
    expect(lines.some((l) => l.includes('"maintenance run"'))).toBe(true);
    expect(lines.some((l) => l.includes('"maintenance skipped"'))).toBe(true);
    expect(lines.join('\n')).not.toContain('th-act');
  });
});
