/** The hash-chained audit log: appends chain, concurrent appends stay one chain, tampering is found and named. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
import { queryRows, type Database } from '../../src/db/types.js';
import { appendAudit, auditRowHash, canonicalJson, GENESIS_HASH, verifyAuditChain, type AuditEntry } from '../../src/domain/audit/audit.js';
import { createTestDatabase, usingPostgres } from '../helpers/context.js';

let database: Database;
const at = new Date('2026-11-23T08:00:00.123Z');
const entry = (i: number, details: Record<string, unknown> = {}): AuditEntry => ({
  actorType: 'operator',
  actorId: `op_${i}`,
  action: 'registration.approved',
  targetType: 'registration',
  targetId: `reg_${i}`,
  details: { i, ...details },
});

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** Runs SQL as an attacker with DDL rights would: with the append-only triggers switched off. */
async function tamper(statement: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  });
}

describe('canonical form', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(new Date('2026-01-02T03:04:05.006Z'))).toBe('"2026-01-02T03:04:05.006Z"');
  });

  it('the hash covers every field and the previous hash', () => {
    const row = { at, ...entry(1), details: { i: 1 } } as Required<AuditEntry> & { at: Date };
    const base = auditRowHash(GENESIS_HASH, row);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      auditRowHash('1'.repeat(64), row),
      auditRowHash(GENESIS_HASH, { ...row, at: new Date(at.getTime() + 1) }),
      auditRowHash(GENESIS_HASH, { ...row, actorType: 'system' }),
      auditRowHash(GENESIS_HASH, { ...row, actorId: 'op_2' }),
      auditRowHash(GENESIS_HASH, { ...row, action: 'registration.rejected' }),
      auditRowHash(GENESIS_HASH, { ...row, targetType: 'account' }),
      auditRowHash(GENESIS_HASH, { ...row, targetId: 'reg_2' }),
      auditRowHash(GENESIS_HASH, { ...row, details: { i: 2 } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});

describe('the chain', () => {
  it('an empty log verifies; appended rows link to each other from the genesis hash', async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 0, head: null });
    const first = await database.db.transaction((tx) => appendAudit(tx, entry(1, { nested: { b: 2, a: [1, 'x'] }, text: 'Jl. Poros <b>&"\'' }), at));
    const second = await appendAudit(database.db, entry(2), at); // bare database: it opens its own transaction
    const rows = await database.db.select().from(auditLog).orderBy(auditLog.seq);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(first.hash);
    expect(rows[1]!.hash).toBe(second.hash);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 2, head: { seq: second.seq, hash: second.hash } });
  });

  it('a rolled-back append leaves no trace in the chain (only a gap in seq)', async () => {
    await database.db
      .transaction(async (tx) => {
        await appendAudit(tx, entry(3), at);
        throw new Error('the change failed');
      })
      .catch(() => {});
    await appendAudit(database.db, entry(4), at);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('20 appends in parallel, each in its own transaction doing more work after it, form one valid chain', async () => {
    const before = (await verifyAuditChain(database.db)) as { checked: number };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await appendAudit(tx, entry(100 + i), at);
          // The rest of the caller's transaction: the lock must hold until commit.
          await tx.execute(usingPostgres() ? sql`select pg_sleep(0.005)` : sql`select 1`);
        }),
      ),
    );
    // And 10 more through the bare database handle (each its own transaction inside appendAudit).
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit(database.db, entry(200 + i), at)));
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: true, checked: before.checked + 30 });
    const [{ forks }] = (await queryRows<{ forks: number }>(
      database.db,
      sql`select (count(*) - count(distinct prev_hash))::int as forks from audit_log`,
    )) as [{ forks: number }];
    expect(Number(forks)).toBe(0);
  });
});

describe('append-only in the database', () => {
  it('UPDATE, DELETE and TRUNCATE of audit_log raise', async () => {
    const attempts = [
      sql`update audit_log set details = '{"i":999}' where seq = (select min(seq) from audit_log)`,
      sql`delete from audit_log where seq = (select max(seq) from audit_log)`,
      sql`truncate audit_log`,
    ];
    for (const statement of attempts) {
      await expect(database.db.execute(statement)).rejects.toThrow();
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describe('tampering past the triggers is detected and named', () => {
  it('an edited row: hash_mismatch at that seq', async () => {
    const rows = await database.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(auditLog.seq);
    const victim = rows[5]!.seq;
    await tamper(sql`update audit_log set details = jsonb_set(details, '{i}', '7') where seq = ${victim}`);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 5, firstBrokenSeq: victim, problem: 'hash_mismatch' });
  });

  it('an edited row with its own hash recomputed: the next row no longer links (chain_broken)', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 5; i++) await appendAudit(fresh.db, entry(i), at);
      const rows = await fresh.db.select().from(auditLog).orderBy(auditLog.seq);
      const victim = rows[2]!;
      const forged = auditRowHash(victim.prevHash, { ...victim, details: { i: 42 } });
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`update audit_log set details = '{"i":42}', hash = ${forged} where seq = ${victim.seq}`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
      expect(await verifyAuditChain(fresh.db)).toEqual({ ok: false, checked: 3, firstBrokenSeq: rows[3]!.seq, problem: 'chain_broken' });
    } finally {
      await fresh.close();
    }
  });

  it('a deleted row: chain_broken at the row after it', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 6; i++) await appendAudit(fresh.db, entry(i), at);
      const rows = await fresh.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(auditLog.seq);
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`delete from audit_log where seq = ${rows[3]!.seq}`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
      expect(await verifyAuditChain(fresh.db)).toEqual({ ok: false, checked: 3, firstBrokenSeq: rows[4]!.seq, problem: 'chain_broken' });

      // Deleting the first row is caught too: the new first row does not start from the genesis hash.
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`delete from audit_log where seq = ${rows[0]!.seq}`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, firstBrokenSeq: rows[1]!.seq, problem: 'chain_broken' });
    } finally {
      await fresh.close();
    }
  });

  it('verifies across batch boundaries', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 7; i++) await appendAudit(fresh.db, entry(i), at);
      expect(await verifyAuditChain(fresh.db, 2)).toMatchObject({ ok: true, checked: 7 });
      const rows = await fresh.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(auditLog.seq);
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`update audit_log set actor_id = 'op_x' where seq = ${rows[6]!.seq}`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
      expect(await verifyAuditChain(fresh.db, 2)).toEqual({ ok: false, checked: 6, firstBrokenSeq: rows[6]!.seq, problem: 'hash_mismatch' });
    } finally {
      await fresh.close();
    }
  });
});
