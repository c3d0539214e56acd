/**
 * Pelayanan when a holder deletes their IKD account (DELETE /v1/me). The request rows stay (the office's record and
 * the statistics count them), the person goes:
 * - every attachment of the holder's requests is deleted at once (whatever the request's state);
 * - requests nobody has started processing (submitted, in_review, needs_correction) are cancelled, as the holder
 *   could have done, with a history row saying why;
 * - closed requests lose what describes the person: details, delivery address, who received it, the rating comment;
 * - a request already in processing or on its way (completed awaiting pickup or delivery) keeps its details and
 *   address until it closes, since the office is issuing a civil-registration document the person still needs;
 *   the step that closes it erases them (`eraseIfHolderDeleted`).
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { accounts, serviceRequestAttachments, serviceRequestHistory, serviceRequests } from '../../db/schema/index.js';
import type { DbOrTx } from '../../db/types.js';

const NOT_STARTED = ['submitted', 'in_review', 'needs_correction'];

const erased = { details: {}, deliveryAddress: null, deliveryReceivedBy: null, ratingComment: null } as const;

export async function eraseHolderServiceRequests(tx: DbOrTx, accountId: string, now: Date): Promise<{ cancelled: number; attachments: number }> {
  const own = tx.select({ id: serviceRequests.id }).from(serviceRequests).where(eq(serviceRequests.accountId, accountId));
  const attachments = await tx.delete(serviceRequestAttachments).where(inArray(serviceRequestAttachments.requestId, own)).returning({ id: serviceRequestAttachments.id });
  const cancelled = await tx
    .update(serviceRequests)
    .set({ status: 'cancelled', corrections: null, updatedAt: now, closedAt: now })
    .where(and(eq(serviceRequests.accountId, accountId), inArray(serviceRequests.status, NOT_STARTED)))
    .returning({ id: serviceRequests.id });
  if (cancelled.length) {
    await tx
      .insert(serviceRequestHistory)
      .values(cancelled.map((r) => ({ requestId: r.id, at: now, status: 'cancelled', note: 'account_deleted', by: 'resident' as const, actorId: accountId })));
  }
  await tx.update(serviceRequests).set(erased).where(and(eq(serviceRequests.accountId, accountId), isNotNull(serviceRequests.closedAt)));
  return { cancelled: cancelled.length, attachments: attachments.length };
}

/** After a step that closed `requestId`: if its holder has deleted the account meanwhile, erase the person's fields. */
export async function eraseIfHolderDeleted(tx: DbOrTx, requestId: string): Promise<void> {
  await tx
    .update(serviceRequests)
    .set(erased)
    .where(
      and(
        eq(serviceRequests.id, requestId),
        isNotNull(serviceRequests.closedAt),
        sql`exists (select 1 from ${accounts} where ${accounts.id} = ${serviceRequests.accountId} and ${accounts.status} = 'deleted')`,
      ),
    );
}
