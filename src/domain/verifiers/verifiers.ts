/**
 * Verifiers (public-service counters): an admin or the CLI creates one, revokes it or rotates its key; the key is shown
 * once and stored as SHA-256. Nothing caches a key: every request checks the row, so a revocation holds at once.
 */
import { and, asc, eq } from 'drizzle-orm';
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import type { KtpElement } from '../../crypto/token-codec.js';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS, type TokenDocument } from '../../crypto/token-codec.js';
import { verifiers } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { VerifierCredential } from '../credential/redemption.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';
import { isDataBalikanKind } from '../holder/data-balikan.js';

/** A recognisable prefix lets secret scanners find leaked keys; 256 random bits follow. */
export const VERIFIER_KEY_PREFIX = 'ikdv_';

export interface NewVerifier {
  name: string;
  allowedElements: readonly KtpElement[];
  /** The document types this counter may receive; default ['ktp']. */
  allowedDocuments?: readonly TokenDocument[];
  /** The data-balikan kinds this institution may write back (snake_case); default none. */
  dataBalikanKinds?: readonly string[];
  actor: { actorType: AuditEntry['actorType']; actorId: string };
}

/** Creates the verifier and audits it in one transaction; returns the API key, which is never stored or shown again. */
export async function createVerifier(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, input: NewVerifier): Promise<{ id: string; apiKey: string }> {
  const now = deps.clock.now();
  const id = newId('vrf');
  const apiKey = `${VERIFIER_KEY_PREFIX}${randomSecret(32)}`;
  const allowedElements = KTP_ELEMENTS.filter((e) => input.allowedElements.includes(e));
  const allowedDocuments = TOKEN_DOCUMENTS.filter((d) => (input.allowedDocuments ?? ['ktp']).includes(d));
  const dataBalikanKinds = [...new Set(input.dataBalikanKinds ?? [])].sort();
  const badKind = dataBalikanKinds.find((k) => !isDataBalikanKind(k));
  if (badKind !== undefined) {
    throw new AppError('invalid_request', { errors: [{ path: 'dataBalikanKinds', message: `not a snake_case kind: ${badKind.slice(0, 60)}` }] });
  }
  await deps.db.transaction(async (tx) => {
    await tx.insert(verifiers).values({
      id,
      name: input.name,
      apiKeyHash: sha256Hex(apiKey),
      allowedElements,
      allowedDocuments,
      dataBalikanKinds,
      status: 'active',
      createdBy: input.actor.actorId,
      createdAt: now,
    });
    await appendAudit(
      tx,
      { ...input.actor, action: 'verifier.create', targetType: 'verifier', targetId: id, details: { name: input.name, allowedElements, allowedDocuments, dataBalikanKinds } },
      now,
    );
  });
  deps.logger.info('verifier created', { verifierId: id, allowedElements, allowedDocuments, dataBalikanKinds });
  return { id, apiKey };
}

export interface VerifierSummary {
  id: string;
  name: string;
  allowedElements: KtpElement[];
  status: 'active' | 'revoked';
  createdAt: Date;
}

type Actor = NewVerifier['actor'];

const summaryColumns = {
  id: verifiers.id,
  name: verifiers.name,
  allowedElements: verifiers.allowedElements,
  status: verifiers.status,
  createdAt: verifiers.createdAt,
};

/** Every verifier, oldest first (a ministry has hundreds of counters, not millions). */
export async function listVerifiers(deps: Pick<Deps, 'db'>): Promise<VerifierSummary[]> {
  const rows = await deps.db.select(summaryColumns).from(verifiers).orderBy(asc(verifiers.createdAt), asc(verifiers.id));
  return rows as VerifierSummary[];
}

/** The active verifier holding this key, or null: GET /v1/verifier/me. */
export type VerifierSelf = Pick<VerifierSummary, 'id' | 'name' | 'allowedElements'> & { allowedDocuments: string[]; dataBalikanKinds: string[] };

export async function findVerifierByKey(deps: Pick<Deps, 'db'>, credential: VerifierCredential): Promise<VerifierSelf | null> {
  const [row] = await deps.db
    .select({
      id: verifiers.id,
      name: verifiers.name,
      allowedElements: verifiers.allowedElements,
      allowedDocuments: verifiers.allowedDocuments,
      dataBalikanKinds: verifiers.dataBalikanKinds,
    })
    .from(verifiers)
    .where(and(eq(verifiers.apiKeyHash, credential.apiKeyHash), eq(verifiers.status, 'active')));
  return row ? (row as VerifierSelf) : null;
}

/** Revokes the verifier: its key answers 401 verifier_unauthorized from the next request on. Idempotent; audited once. */
export async function revokeVerifier(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, input: { id: string; actor: Actor }): Promise<{ id: string; status: 'revoked' }> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ status: verifiers.status }).from(verifiers).where(eq(verifiers.id, input.id)).for('update');
    if (!existing) throw new AppError('not_found');
    if (existing.status === 'revoked') return;
    await tx.update(verifiers).set({ status: 'revoked' }).where(eq(verifiers.id, input.id));
    await appendAudit(tx, { ...input.actor, action: 'verifier.revoke', targetType: 'verifier', targetId: input.id }, now);
  });
  deps.logger.info('verifier revoked', { verifierId: input.id });
  return { id: input.id, status: 'revoked' };
}

/** A new key for an active verifier, shown once; the old one answers 401 from the next request on. Audited. */
export async function rotateVerifierKey(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, input: { id: string; actor: Actor }): Promise<{ id: string; apiKey: string }> {
  const now = deps.clock.now();
  const apiKey = `${VERIFIER_KEY_PREFIX}${randomSecret(32)}`;
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ status: verifiers.status }).from(verifiers).where(eq(verifiers.id, input.id)).for('update');
    if (!existing) throw new AppError('not_found');
    // A revoked counter stays revoked: a new key would silently bring it back.
    if (existing.status !== 'active') throw new AppError('conflict', { detail: 'The verifier is revoked' });
    await tx.update(verifiers).set({ apiKeyHash: sha256Hex(apiKey) }).where(eq(verifiers.id, input.id));
    await appendAudit(tx, { ...input.actor, action: 'verifier.rotate_key', targetType: 'verifier', targetId: input.id }, now);
  });
  deps.logger.info('verifier key rotated', { verifierId: input.id });
  return { id: input.id, apiKey };
}
