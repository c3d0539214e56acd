/**
 * Issue #15 point 11b: the signed daily checkpoint of the audit chain's head. The maintenance job makes one a day
 * (WIB), stores it and mails it to the auditor through the outbox in one transaction; verification fails when a row
 * before it was changed, even with every hash recomputed, and when the checkpoint itself was altered or forged.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing, KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';
import { toBase64Url, fromBase64Url } from '../../src/crypto/encoding.js';
import { auditCheckpoints, auditLog, outbox } from '../../src/db/schema/index.js';
import type { Db } from '../../src/db/types.js';
import { appendAudit, auditRowHash, verifyAuditChain } from '../../src/domain/audit/audit.js';
import {
  checkpointDay,
  createDailyCheckpoint,
  findCheckpoints,
  listStoredCheckpoints,
  signCheckpoint,
  verifierFromJwks,
  verifyCheckpoints,
  type CheckpointInput,
} from '../../src/domain/audit/checkpoint.js';
import { runMaintenance } from '../../src/domain/maintenance/purge.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

const AUDITOR = 'auditor@inspektorat.example.id';
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ config: { AUDIT_CHECKPOINT_EMAIL: AUDITOR } });
});
afterAll(async () => {
  await ctx?.close();
});

const event = (i: number) => ({ actorType: 'system' as const, actorId: 'test', action: 'test.event', targetType: 't', targetId: `row-${i}`, details: { i } });

async function appendSome(db: Db, n: number, at: Date) {
  for (let i = 0; i < n; i++) await appendAudit(db, event(i), at);
}

const stored = async (db: Db): Promise<CheckpointInput[]> =>
  (await listStoredCheckpoints(db)).map((row) => ({ source: `stored ${row.day}`, jws: row.jws, stored: row }));

/** As an attacker with DDL rights: the append-only triggers off, then on again. */
async function asAttacker(db: Db, work: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<void>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await tx.execute(sql`alter table audit_checkpoints disable trigger audit_checkpoints_no_update_delete`);
    await work(tx);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    await tx.execute(sql`alter table audit_checkpoints enable trigger audit_checkpoints_no_update_delete`);
  });
}

/** Edits one row and recomputes its hash and every hash after it, so the chain alone verifies again. */
async function rewriteHistory(db: Db, seq: number, details: Record<string, unknown>) {
  await asAttacker(db, async (tx) => {
    const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
    let prevHash: string | undefined;
    for (const row of rows) {
      if (row.seq < seq) {
        prevHash = row.hash;
        continue;
      }
      const content = { ...row, details: row.seq === seq ? details : (row.details as Record<string, unknown>) };
      const hash = auditRowHash(prevHash!, content);
      await tx.execute(sql`update audit_log set details = ${JSON.stringify(content.details)}::jsonb, prev_hash = ${prevHash!}, hash = ${hash} where seq = ${row.seq}`);
      prevHash = hash;
    }
  });
}

describe('the daily job', () => {
  it('checkpointDay is the WIB calendar day: 16:59:59 UTC is still today, 17:00 UTC is tomorrow', () => {
    expect(checkpointDay(new Date('2026-11-23T16:59:59.999Z'))).toBe('2026-11-23');
    expect(checkpointDay(new Date('2026-11-23T17:00:00.000Z'))).toBe('2026-11-24');
  });

  it('is idempotent per day: two runs the same day make one checkpoint and one e-mail; the next WIB day makes another', async () => {
    await appendSome(ctx.deps.db, 3, ctx.clock.now());
    ctx.clock.set('2026-11-23T08:00:00.000Z');
    const first = await runMaintenance(ctx.deps);
    expect(first).toMatchObject({ status: 'done', checkpoint: { status: 'created', day: '2026-11-23', mailed: true } });
    ctx.clock.set('2026-11-23T16:59:00.000Z'); // 23.59 WIB: still the same day
    const second = await runMaintenance(ctx.deps);
    expect(second).toMatchObject({ status: 'done', checkpoint: { status: 'exists', day: '2026-11-23' } });
    // Called straight and concurrently, too: still one.
    const racing = await Promise.all([createDailyCheckpoint(ctx.deps), createDailyCheckpoint(ctx.deps)]);
    expect(racing.map((r) => r.status)).toEqual(['exists', 'exists']);

    expect(await ctx.deps.db.select({ day: auditCheckpoints.day }).from(auditCheckpoints)).toEqual([{ day: '2026-11-23' }]);
    const mails = await ctx.deps.db.select().from(outbox).where(eq(outbox.template, 'audit_checkpoint'));
    expect(mails).toHaveLength(1);

    ctx.clock.set('2026-11-23T17:00:00.000Z'); // 00.00 WIB on the 24th
    const next = await runMaintenance(ctx.deps);
    expect(next).toMatchObject({ status: 'done', checkpoint: { status: 'created', day: '2026-11-24' } });
    expect((await listStoredCheckpoints(ctx.deps.db)).map((c) => c.day)).toEqual(['2026-11-23', '2026-11-24']);
    expect(await ctx.deps.db.select().from(outbox).where(eq(outbox.template, 'audit_checkpoint'))).toHaveLength(2);
  });

  it('two concurrent first calls of a day make exactly one checkpoint and one e-mail', async () => {
    ctx.clock.set('2026-11-25T03:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 4 }, () => createDailyCheckpoint(ctx.deps)));
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'exists', 'exists', 'exists']);
    expect(await ctx.deps.db.select().from(auditCheckpoints).where(eq(auditCheckpoints.day, '2026-11-25'))).toHaveLength(1);
    const mails = await ctx.deps.db.select({ to: outbox.to }).from(outbox).where(eq(outbox.template, 'audit_checkpoint'));
    expect(mails).toHaveLength(3);
  });

  it("the e-mail goes to the auditor, pending in the outbox, and carries the stored checkpoint whole; the chain records it", async () => {
    const [checkpoint] = (await listStoredCheckpoints(ctx.deps.db)).filter((c) => c.day === '2026-11-24');
    const [mail] = await ctx.deps.db.select().from(outbox).where(eq(outbox.id, checkpoint!.outboxId!));
    expect(mail).toMatchObject({ to: AUDITOR, template: 'audit_checkpoint', status: 'pending' });
    expect(checkpoint!.mailedTo).toBe(AUDITOR);
    expect(findCheckpoints(mail!.text)).toEqual([checkpoint!.jws]);
    expect(mail!.text).toContain(`seq ${checkpoint!.seq}`);
    expect(mail!.text).toContain(checkpoint!.headHash);
    expect(mail!.text).toContain(ctx.deps.keys.jwks().keys[0]!.x);

    // The payload says what the columns say, signed with the current key.
    const [header, payload] = checkpoint!.jws.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(fromBase64Url(p)).toString('utf8')) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'EdDSA', kid: ctx.deps.keys.currentKid, typ: 'ikd-audit-checkpoint' });
    expect(payload).toEqual({
      typ: 'ikd-audit-checkpoint',
      iss: 'https://ikd.test',
      day: '2026-11-24',
      seq: checkpoint!.seq,
      head: checkpoint!.headHash,
      at: '2026-11-23T17:00:00.000Z',
    });

    // audit.checkpoint is the row right after the signed head, linked onto it.
    const [row] = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.seq, checkpoint!.seq + 1));
    expect(row).toMatchObject({ action: 'audit.checkpoint', targetId: '2026-11-24', prevHash: checkpoint!.headHash });
  });

  it('audit_checkpoints is append-only in the database', async () => {
    await expect(ctx.deps.db.execute(sql`update audit_checkpoints set seq = 1`)).rejects.toThrow();
    await expect(ctx.deps.db.execute(sql`delete from audit_checkpoints`)).rejects.toThrow();
    await expect(ctx.deps.db.execute(sql`truncate audit_checkpoints`)).rejects.toThrow();
  });
});

describe('verification', () => {
  let fresh: TestContext;
  beforeAll(async () => {
    fresh = await createTestContext();
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('an intact chain verifies against every stored checkpoint, and against the one from the e-mail', async () => {
    const { results, chain } = await verifyCheckpoints(ctx.deps.db, ctx.deps.keys, await stored(ctx.deps.db));
    expect(chain.ok).toBe(true);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const [mail] = await ctx.deps.db.select().from(outbox).where(eq(outbox.template, 'audit_checkpoint')).limit(1);
    const fromMail = findCheckpoints(mail!.text).map((jws) => ({ source: 'mail', jws }));
    expect((await verifyCheckpoints(ctx.deps.db, ctx.deps.keys, fromMail)).results).toMatchObject([{ ok: true, source: 'mail' }]);
  });

  it('without AUDIT_CHECKPOINT_EMAIL the checkpoint is stored and no e-mail is written', async () => {
    const db = fresh.deps.db;
    await appendSome(db, 2, fresh.clock.now());
    expect(await runMaintenance(fresh.deps)).toMatchObject({ checkpoint: { status: 'created', mailed: false } });
    const [checkpoint] = await listStoredCheckpoints(db);
    expect(checkpoint).toMatchObject({ mailedTo: null, outboxId: null, seq: 2 });
    expect(await db.select().from(outbox)).toEqual([]);
    expect((await verifyCheckpoints(db, fresh.deps.keys, await stored(db))).results).toMatchObject([{ ok: true, seq: 2 }]);
  });

  it('after an UPDATE of an old row with every hash recomputed the chain alone verifies, but the checkpoint fails', async () => {
    const db = fresh.deps.db;
    fresh.clock.advance(24 * 3600_000);
    await appendSome(db, 3, fresh.clock.now()); // seq 4-6 (3 is the first audit.checkpoint)
    expect(await createDailyCheckpoint(fresh.deps)).toMatchObject({ status: 'created', seq: 6 });
    await appendSome(db, 2, fresh.clock.now());
    expect((await verifyCheckpoints(db, fresh.deps.keys, await stored(db))).results).toMatchObject([{ ok: true }, { ok: true }]);

    await rewriteHistory(db, 4, { i: 0, note: 'never happened' });
    // The point: the chain is self-consistent again...
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 9 });
    // ...and the head signed after the edited row no longer matches (the one before it still does).
    const after = await verifyCheckpoints(db, fresh.deps.keys, await stored(db));
    expect(after.chain.ok).toBe(true);
    expect(after.results).toMatchObject([
      { ok: true, seq: 2 },
      { ok: false, problem: 'head_mismatch', seq: 6 },
    ]);
    expect((after.results[1] as { message: string }).message).toMatch(/^the chain up to seq 6 hashes to [0-9a-f]{16}…, the checkpoint signed [0-9a-f]{16}…/);

    // The same kind of edit without recomputing is named as a broken row before the checkpoint.
    await asAttacker(db, async (tx) => {
      await tx.execute(sql`update audit_log set target_id = 'forged' where seq = 5`);
    });
    expect((await verifyCheckpoints(db, fresh.deps.keys, await stored(db))).results).toMatchObject([
      { ok: true, seq: 2 },
      { ok: false, problem: 'chain_broken', message: "audit row seq 5, at or before the checkpoint's seq 6, was changed or removed (hash_mismatch)" },
    ]);
  });

  it('a row changed only after the checkpoint leaves it valid; the signed head row deleted fails it; so does a tampered stored row', async () => {
    const other = await createTestContext();
    try {
      const db = other.deps.db;
      await appendSome(db, 3, other.clock.now());
      await createDailyCheckpoint(other.deps);
      await appendSome(db, 3, other.clock.now());
      await rewriteHistory(db, 6, { i: 99 });
      expect((await verifyCheckpoints(db, other.deps.keys, await stored(db))).results).toMatchObject([{ ok: true, seq: 3 }]);

      // Deleting the signed head row and everything after: the chain alone is fine, the checkpoint is not.
      await asAttacker(db, async (tx) => {
        await tx.execute(sql`delete from audit_log where seq >= 3`);
      });
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 2 });
      expect((await verifyCheckpoints(db, other.deps.keys, await stored(db))).results).toMatchObject([
        { ok: false, problem: 'row_missing', message: "the chain ends at seq 2, before the checkpoint's seq 3: rows were cut off its end" },
      ]);

      // The stored row's columns edited: they no longer say what its signature covers.
      const [row] = await listStoredCheckpoints(db);
      await asAttacker(db, async (tx) => {
        await tx.execute(sql`update audit_checkpoints set seq = 2, head_hash = ${'0'.repeat(64)}`);
      });
      expect((await verifyCheckpoints(db, other.deps.keys, await stored(db))).results).toMatchObject([{ ok: false, problem: 'row_mismatch' }]);

      // Its signed string replaced by one with a new payload under the old signature.
      const [h, p, s] = row!.jws.split('.');
      const payload = JSON.parse(Buffer.from(fromBase64Url(p!)).toString('utf8')) as Record<string, unknown>;
      const forged = `${h}.${toBase64Url(new Uint8Array(Buffer.from(JSON.stringify({ ...payload, seq: 2 }))))}.${s}`;
      await asAttacker(db, async (tx) => {
        await tx.execute(sql`update audit_checkpoints set jws = ${forged}, seq = 2, head_hash = ${row!.headHash}`);
      });
      expect((await verifyCheckpoints(db, other.deps.keys, await stored(db))).results).toMatchObject([{ ok: false, problem: 'bad_signature' }]);
    } finally {
      await other.close();
    }
  });

  it('a forged checkpoint fails: a changed payload under the old signature, a foreign key, a key reusing the kid', async () => {
    const [checkpoint] = await listStoredCheckpoints(ctx.deps.db);
    const [h, p, s] = checkpoint!.jws.split('.');
    const payload = JSON.parse(Buffer.from(fromBase64Url(p!)).toString('utf8')) as Record<string, unknown>;
    const altered = `${h}.${toBase64Url(new Uint8Array(Buffer.from(JSON.stringify({ ...payload, head: 'f'.repeat(64) }))))}.${s}`;
    const foreign = new KeyRing(generateKeyRing());
    const sameKid = generateKeyRing();
    sameKid.keys[0]!.kid = ctx.deps.keys.currentKid;
    sameKid.current = ctx.deps.keys.currentKid;
    const signedPayload = { ...(payload as Parameters<typeof signCheckpoint>[1]), head: 'f'.repeat(64) };
    const { results } = await verifyCheckpoints(ctx.deps.db, ctx.deps.keys, [
      { source: 'altered', jws: altered },
      { source: 'foreign', jws: signCheckpoint(foreign, signedPayload) },
      { source: 'same kid', jws: signCheckpoint(new KeyRing(sameKid), signedPayload) },
      { source: 'garbage', jws: 'not-a-checkpoint' },
    ]);
    expect(results).toMatchObject([
      { ok: false, source: 'altered', problem: 'bad_signature' },
      { ok: false, source: 'foreign', problem: 'unknown_key', kid: foreign.currentKid },
      { ok: false, source: 'same kid', problem: 'bad_signature' },
      { ok: false, source: 'garbage', problem: 'malformed' },
    ]);
    expect((results[0] as { message: string }).message).toBe(`the signature does not verify with key ${ctx.deps.keys.currentKid}: the checkpoint was altered or forged`);
  });

  it('a checkpoint signed before a key rotation verifies with the rotated ring (old key kept) and with a saved JWKS', async () => {
    const [checkpoint] = await listStoredCheckpoints(ctx.deps.db);
    const rotated = new KeyRing(rotateKeyRing(ctx.deps.keys.stored));
    expect(rotated.currentKid).not.toBe(checkpoint!.kid);
    const input = [{ source: 'old', jws: checkpoint!.jws }];
    expect((await verifyCheckpoints(ctx.deps.db, rotated, input)).results).toMatchObject([{ ok: true, kid: checkpoint!.kid }]);
    const jwks = JSON.parse(JSON.stringify(ctx.deps.keys.jwks())) as unknown;
    expect((await verifyCheckpoints(ctx.deps.db, verifierFromJwks(jwks), input)).results).toMatchObject([{ ok: true }]);
    // Rotated twice, the signing key is gone from the ring: named, not passed.
    const twice = new KeyRing(rotateKeyRing(rotated.stored));
    expect((await verifyCheckpoints(ctx.deps.db, twice, input)).results).toMatchObject([{ ok: false, problem: 'unknown_key' }]);
  });
});
