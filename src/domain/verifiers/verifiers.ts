/** Verifiers (public-service counters): an admin or the CLI creates one; its API key is shown once, stored as SHA-256. */
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import type { KtpElement } from '../../crypto/token-codec.js';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS, type TokenDocument } from '../../crypto/token-codec.js';
import { verifiers } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';

/** A recognisable prefix lets secret scanners find leaked keys; 256 random bits follow. */
export const VERIFIER_KEY_PREFIX = 'ikdv_';

export interface NewVerifier {
  name: string;
  allowedElements: readonly KtpElement[];
  /** The document types this counter may receive; default ['ktp']. */
  allowedDocuments?: readonly TokenDocument[];
  actor: { actorType: AuditEntry['actorType']; actorId: string };
}

/** Creates the verifier and audits it in one transaction; returns the API key, which is never stored or shown again. */
export async function createVerifier(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, input: NewVerifier): Promise<{ id: string; apiKey: string }> {
  const now = deps.clock.now();
  const id = newId('vrf');
  const apiKey = `${VERIFIER_KEY_PREFIX}${randomSecret(32)}`;
  const allowedElements = KTP_ELEMENTS.filter((e) => input.allowedElements.includes(e));
  const allowedDocuments = TOKEN_DOCUMENTS.filter((d) => (input.allowedDocuments ?? ['ktp']).includes(d));
  await deps.db.transaction(async (tx) => {
    await tx.insert(verifiers).values({
      id,
      name: input.name,
      apiKeyHash: sha256Hex(apiKey),
      allowedElements,
      allowedDocuments,
      status: 'active',
      createdBy: input.actor.actorId,
      createdAt: now,
    });
    await appendAudit(
      tx,
      { ...input.actor, action: 'verifier.create', targetType: 'verifier', targetId: id, details: { name: input.name, allowedElements, allowedDocuments } },
      now,
    );
  });
  deps.logger.info('verifier created', { verifierId: id, allowedElements, allowedDocuments });
  return { id, apiKey };
}
