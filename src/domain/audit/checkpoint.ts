/**
 * Signed daily checkpoints of the audit chain's head. The chain alone shows an edited row only to someone who does
 * not recompute every hash after it; whoever can write the database can. Once a day the maintenance job signs
 * {day, seq, head hash, time} with the service's Ed25519 key (the key ring that signs KTP tokens), stores it in
 * audit_checkpoints and mails it to the auditor through the outbox, all in one transaction. `npm run audit:verify`
 * checks a checkpoint's signature and that the chain up to its seq still hashes to the signed head.
 *
 * The signed string is a compact JWS (RFC 7515, alg EdDSA, the kid of the signing key), so any JOSE library and the
 * public keys at /.well-known/jwks.json verify it too.
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, verify as edVerify, type KeyObject } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { fromBase64Url, toBase64Url } from '../../crypto/encoding.js';
import type { KeyRing } from '../../crypto/keyring.js';
import { auditCheckpoints, auditLog } from '../../db/schema/index.js';
import type { Db, DbOrTx } from '../../db/types.js';
import type { Clock } from '../../deps.js';
import { enqueueEmail } from '../../email/outbox.js';
import { appendAudit, AUDIT_LOCK_KEY, canonicalJson, GENESIS_HASH, walkAuditChain, type AuditVerification } from './audit.js';

export const CHECKPOINT_TYP = 'ikd-audit-checkpoint';

const payloadSchema = z.object({
  typ: z.literal(CHECKPOINT_TYP),
  /** The service (its public base URL): an auditor of several deployments can tell them apart. */
  iss: z.string(),
  /** YYYY-MM-DD in WIB. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The head's seq: the chain's last row when signed (0: the chain was empty). */
  seq: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  /** When it was signed (ISO 8601, UTC). */
  at: z.string(),
});
export type CheckpointPayload = z.infer<typeof payloadSchema>;

const headerSchema = z.object({ alg: z.literal('EdDSA'), kid: z.string().min(1).max(64), typ: z.literal(CHECKPOINT_TYP) });

/** What checks a signature: the key ring (current and still-kept rotated-out keys), or public keys from a JWKS. */
export interface CheckpointVerifier {
  has(kid: string): boolean;
  verify(kid: string, data: Uint8Array, signature: Uint8Array): boolean;
}

/** The calendar day in WIB (UTC+7), the service's own zone: the day a checkpoint belongs to. */
export function checkpointDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));
const b64json = (value: unknown) => toBase64Url(new Uint8Array(Buffer.from(canonicalJson(value), 'utf8')));

/** Signs with the ring's current key: `header.payload.signature`, each base64url. */
export function signCheckpoint(keys: KeyRing, payload: CheckpointPayload): string {
  const signingInput = `${b64json({ alg: 'EdDSA', kid: keys.currentKid, typ: CHECKPOINT_TYP })}.${b64json(payload)}`;
  const { signature } = keys.sign(ascii(signingInput));
  return `${signingInput}.${toBase64Url(signature)}`;
}

/** Every checkpoint in a text (a saved e-mail, a file of several): compact JWS whose header and payload are JSON. */
export function findCheckpoints(text: string): string[] {
  return [...new Set(text.match(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}(?![A-Za-z0-9_-])/g) ?? [])];
}

export type SignatureCheck =
  | { ok: true; kid: string; payload: CheckpointPayload }
  | { ok: false; problem: 'malformed' | 'unknown_key' | 'bad_signature'; kid?: string; payload?: CheckpointPayload; message: string };

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(fromBase64Url(part)).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Parses a checkpoint and checks its signature; never throws. */
export function checkCheckpointSignature(verifier: CheckpointVerifier, jws: string): SignatureCheck {
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return { ok: false, problem: 'malformed', message: 'not a checkpoint (expected three base64url parts: header.payload.signature)' };
  }
  const header = headerSchema.safeParse(parseJson(parts[0]!));
  const payload = payloadSchema.safeParse(parseJson(parts[1]!));
  if (!header.success || !payload.success) {
    return { ok: false, problem: 'malformed', message: `not an IKD audit checkpoint (its ${!header.success ? 'header' : 'payload'} does not parse)` };
  }
  const { kid } = header.data;
  if (!verifier.has(kid)) {
    return {
      ok: false,
      problem: 'unknown_key',
      kid,
      payload: payload.data,
      message: `signed by key ${kid}, which is not among the public keys given (rotated out of the ring? pass the JWKS kept from then with --jwks)`,
    };
  }
  const signature = fromBase64Url(parts[2]!);
  if (!verifier.verify(kid, ascii(`${parts[0]}.${parts[1]}`), signature)) {
    return { ok: false, problem: 'bad_signature', kid, payload: payload.data, message: `the signature does not verify with key ${kid}: the checkpoint was altered or forged` };
  }
  return { ok: true, kid, payload: payload.data };
}

/** Public keys from a JWKS document (e.g. a saved /.well-known/jwks.json): Ed25519 keys by kid. */
export function verifierFromJwks(jwks: unknown): CheckpointVerifier {
  const parsed = z
    .object({ keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string() }).loose()) })
    .parse(jwks);
  const byKid = new Map<string, KeyObject>(
    parsed.keys.map((k) => [k.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.x }, format: 'jwk' })]),
  );
  return {
    has: (kid) => byKid.has(kid),
    verify(kid, data, signature) {
      const key = byKid.get(kid);
      if (!key || signature.length !== 64) return false;
      try {
        return edVerify(null, data, key, signature);
      } catch {
        return false;
      }
    },
  };
}

export type DailyCheckpoint =
  | { status: 'created'; day: string; seq: number; head: string; kid: string; jws: string; outboxId: string | null }
  | { status: 'exists'; day: string };

/**
 * Today's checkpoint (WIB day of the clock), unless one exists: signs the head, stores it, enqueues the auditor's
 * e-mail (when AUDIT_CHECKPOINT_EMAIL is set) and records `audit.checkpoint` in the chain, in one transaction.
 * Idempotent per day: a second call, in this process or another, finds the row and does nothing.
 *
 * The transaction takes the audit lock first, so no append lands between reading the head and signing it, and the
 * audit.checkpoint row links straight onto the signed head. Its other writes are new rows nobody else waits on, so
 * taking the lock early cannot deadlock.
 */
export async function createDailyCheckpoint(deps: { db: Db; clock: Clock; keys: KeyRing; config: Pick<Config, 'publicBaseUrl' | 'auditCheckpointEmail'> }): Promise<DailyCheckpoint> {
  const now = deps.clock.now();
  const day = checkpointDay(now);
  const existsToday = async (db: DbOrTx) =>
    (await db.select({ day: auditCheckpoints.day }).from(auditCheckpoints).where(eq(auditCheckpoints.day, day))).length > 0;
  if (await existsToday(deps.db)) return { status: 'exists', day };

  return deps.db.transaction(async (tx): Promise<DailyCheckpoint> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
    if (await existsToday(tx)) return { status: 'exists', day };
    const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const payload: CheckpointPayload = {
      typ: CHECKPOINT_TYP,
      iss: deps.config.publicBaseUrl,
      day,
      seq: last?.seq ?? 0,
      head: last?.hash ?? GENESIS_HASH,
      at: now.toISOString(),
    };
    const jws = signCheckpoint(deps.keys, payload);
    const kid = deps.keys.currentKid;
    const to = deps.config.auditCheckpointEmail;
    const publicKey = deps.keys.jwks().keys.find((k) => k.kid === kid)!.x;
    const mail = to
      ? await enqueueEmail(tx, {
          to,
          template: 'audit_checkpoint',
          lang: 'id',
          data: { checkpoint: jws, day, seq: payload.seq, head: payload.head, kid, at: now, publicKey },
          now,
        })
      : null;
    await tx.insert(auditCheckpoints).values({
      day,
      seq: payload.seq,
      headHash: payload.head,
      kid,
      signedAt: now,
      jws,
      mailedTo: to ?? null,
      outboxId: mail?.id ?? null,
    });
    await appendAudit(
      tx,
      {
        actorType: 'system',
        actorId: 'maintenance',
        action: 'audit.checkpoint',
        targetType: 'audit_checkpoint',
        targetId: day,
        details: { seq: payload.seq, head: payload.head, kid, mailed: Boolean(to) },
      },
      now,
    );
    return { status: 'created', day, seq: payload.seq, head: payload.head, kid, jws, outboxId: mail?.id ?? null };
  });
}

export type StoredCheckpoint = typeof auditCheckpoints.$inferSelect;

export async function listStoredCheckpoints(db: DbOrTx): Promise<StoredCheckpoint[]> {
  return db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.day));
}

export type CheckpointProblem = SignatureCheck extends infer S ? (S extends { ok: false; problem: infer P } ? P : never) : never;

export type CheckpointResult =
  | { ok: true; source: string; day: string; seq: number; head: string; kid: string }
  | {
      ok: false;
      source: string;
      problem: CheckpointProblem | 'row_mismatch' | 'chain_broken' | 'row_missing' | 'head_mismatch';
      message: string;
      day?: string;
      seq?: number;
      kid?: string;
    };

export interface CheckpointInput {
  /** Where it came from, for the report: "stored 2026-11-23", a file name, "argument 1". */
  source: string;
  jws: string;
  /** The stored row it came from: its columns must agree with the signed payload. */
  stored?: StoredCheckpoint;
}

/**
 * Checks each checkpoint's signature, then walks the chain once: every signed head must be the hash the chain has
 * at that seq. An edited row before a checkpoint fails it even with every hash after it recomputed — the attacker
 * cannot sign the new head. `chain` is the plain chain check, which may fail after the last checkpoint too.
 */
export async function verifyCheckpoints(
  db: DbOrTx,
  verifier: CheckpointVerifier,
  inputs: CheckpointInput[],
  batchSize?: number,
): Promise<{ chain: AuditVerification; results: CheckpointResult[] }> {
  const signed = inputs.map((input) => ({ input, check: checkCheckpointSignature(verifier, input.jws) }));
  const seqs = new Set(signed.flatMap(({ check }) => (check.ok ? [check.payload.seq] : [])));
  const { chain, hashes } = await walkAuditChain(db, seqs, batchSize);
  const results = signed.map(({ input, check }): CheckpointResult => {
    const source = input.source;
    if (!check.ok) return { ok: false, source, problem: check.problem, message: check.message, kid: check.kid, day: check.payload?.day, seq: check.payload?.seq };
    const { payload, kid } = check;
    const where = { source, day: payload.day, seq: payload.seq, kid };
    const stored = input.stored;
    if (stored && (stored.day !== payload.day || stored.seq !== payload.seq || stored.headHash !== payload.head || stored.kid !== kid)) {
      return { ok: false, ...where, problem: 'row_mismatch', message: "the stored row's day, seq, head or key differ from what its signature covers: the row was altered" };
    }
    if (!chain.ok && chain.firstBrokenSeq <= payload.seq) {
      return {
        ok: false,
        ...where,
        problem: 'chain_broken',
        message: `audit row seq ${chain.firstBrokenSeq}, at or before the checkpoint's seq ${payload.seq}, was changed or removed (${chain.problem})`,
      };
    }
    if (payload.seq === 0) {
      return payload.head === GENESIS_HASH
        ? { ok: true, ...where, head: payload.head }
        : { ok: false, ...where, problem: 'head_mismatch', message: 'a checkpoint of the empty chain must sign the genesis hash' };
    }
    const actual = hashes.get(payload.seq);
    if (actual === undefined) {
      const end = chain.ok ? chain.head?.seq ?? 0 : undefined;
      return {
        ok: false,
        ...where,
        problem: 'row_missing',
        message:
          end !== undefined && end < payload.seq
            ? `the chain ends at seq ${end}, before the checkpoint's seq ${payload.seq}: rows were cut off its end`
            : `there is no audit row with seq ${payload.seq}, the head the checkpoint signed: it was deleted`,
      };
    }
    if (actual !== payload.head) {
      return {
        ok: false,
        ...where,
        problem: 'head_mismatch',
        message: `the chain up to seq ${payload.seq} hashes to ${actual.slice(0, 16)}…, the checkpoint signed ${payload.head.slice(0, 16)}…: rows at or before seq ${payload.seq} were changed and the hashes recomputed`,
      };
    }
    return { ok: true, ...where, head: payload.head };
  });
  return { chain, results };
}
