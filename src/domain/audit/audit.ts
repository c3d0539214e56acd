/** The audit log: every operator and admin action, appended in the caller's transaction, rows hash-chained. */
import { asc, desc, gt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { auditLog } from '../../db/schema/index.js';
import type { DbOrTx } from '../../db/types.js';
import { sha256Hex } from '../../crypto/secrets.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actorType: 'operator' | 'system' | 'resident';
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Stable JSON: keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}

export function auditRowHash(prevHash: string, row: { at: Date } & Required<AuditEntry>): string {
  return sha256Hex(
    canonicalJson([prevHash, row.at.toISOString(), row.actorType, row.actorId, row.action, row.targetType, row.targetId, row.details]),
  );
}

/** The one advisory-lock key audit appends take (an arbitrary constant, unique in this service). */
export const AUDIT_LOCK_KEY = 7210001;

/**
 * Appends one row. Call it inside the transaction of the change it records. The advisory lock serialises
 * appends until that transaction ends, so two transactions cannot both chain onto the same previous row; the
 * caller's transaction must be READ COMMITTED (the default), so the read after the lock sees the latest row.
 * Called with the bare database it opens its own transaction: in autocommit the lock would end with its statement.
 * Make it the LAST write of the transaction: the lock is global until commit, so a transaction that appends and then
 * waits for a row another appender holds would deadlock with it.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry, at: Date): Promise<{ seq: number; hash: string }> {
  if (!(tx instanceof PgTransaction)) return tx.transaction((own) => appendAudit(own, entry, at));
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Round-trip the details through JSON so what is hashed is exactly what jsonb gives back.
  const details = JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>;
  const row = { ...entry, details, at: new Date(Math.floor(at.getTime())) };
  const hash = auditRowHash(prevHash, row);
  const [inserted] = await tx
    .insert(auditLog)
    .values({ ...row, prevHash, hash })
    .returning({ seq: auditLog.seq });
  return { seq: inserted!.seq, hash };
}

export type AuditVerification =
  /** head: the last row, to be written down elsewhere — the chain alone cannot show that rows were cut off its end. */
  | { ok: true; checked: number; head: { seq: number; hash: string } | null }
  | { ok: false; checked: number; firstBrokenSeq: number; problem: 'hash_mismatch' | 'chain_broken' };

/** Walks the chain in order; names the first row whose hash or link does not hold. */
export async function verifyAuditChain(db: DbOrTx, batchSize = 1000): Promise<AuditVerification> {
  return (await walkAuditChain(db, new Set(), batchSize)).chain;
}

/**
 * The same walk, also noting the hash the chain has at each of `seqs` (rows checked up to there): what a signed
 * checkpoint is compared with. A seq with no row is absent from `hashes`.
 */
export async function walkAuditChain(
  db: DbOrTx,
  seqs: ReadonlySet<number>,
  batchSize = 1000,
): Promise<{ chain: AuditVerification; hashes: Map<number, string> }> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let afterSeq = 0;
  let head: { seq: number; hash: string } | null = null;
  const hashes = new Map<number, string>();
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.seq} > ${afterSeq}`)
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    if (rows.length === 0) return { chain: { ok: true, checked, head }, hashes };
    for (const row of rows) {
      if (row.prevHash !== prevHash) return { chain: { ok: false, checked, firstBrokenSeq: row.seq, problem: 'chain_broken' }, hashes };
      const expected = auditRowHash(prevHash, {
        at: row.at,
        actorType: row.actorType,
        actorId: row.actorId,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        details: row.details as Record<string, unknown>,
      });
      if (expected !== row.hash) return { chain: { ok: false, checked, firstBrokenSeq: row.seq, problem: 'hash_mismatch' }, hashes };
      prevHash = row.hash;
      head = { seq: row.seq, hash: row.hash };
      if (seqs.has(row.seq)) hashes.set(row.seq, row.hash);
      checked++;
      afterSeq = row.seq;
    }
  }
}

export type AuditRow = typeof auditLog.$inferSelect;

/** A page of the chain in order, for admins: rows after `afterSeq`, at most `limit`. */
export async function listAudit(db: DbOrTx, options: { afterSeq?: number; limit: number }): Promise<{ items: AuditRow[]; nextAfterSeq: number | null }> {
  const items = await db
    .select()
    .from(auditLog)
    .where(gt(auditLog.seq, options.afterSeq ?? 0))
    .orderBy(asc(auditLog.seq))
    .limit(options.limit + 1);
  const more = items.length > options.limit;
  const page = more ? items.slice(0, options.limit) : items;
  return { items: page, nextAfterSeq: more ? page[page.length - 1]!.seq : null };
}

/** An admin reads a page of the chain; the reading is itself recorded. */
export async function readAuditPage(
  deps: { db: DbOrTx; clock: { now(): Date } },
  reader: { actorId: string },
  options: { afterSeq?: number; limit: number },
): Promise<{ items: AuditRow[]; nextAfterSeq: number | null }> {
  const page = await listAudit(deps.db, options);
  await appendAudit(
    deps.db,
    {
      actorType: 'operator',
      actorId: reader.actorId,
      action: 'audit.read',
      targetType: 'audit_log',
      targetId: String(options.afterSeq ?? 0),
      details: { limit: options.limit, rows: page.items.length },
    },
    deps.clock.now(),
  );
  return page;
}
