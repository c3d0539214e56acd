/**
 * One status change of a service request: the conditional update, its history row, the holder's e-mail, the issued
 * documents on `completed`, and the audit row, all in the caller's transaction. Illegal → 409 invalid_transition.
 */
import { eraseIfHolderDeleted } from './erasure.js';
import { and, eq } from 'drizzle-orm';
import { serviceRequestDocuments, serviceRequestHistory, serviceRequests } from '../../db/schema/index.js';
import type { Tx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { accountRecipient } from '../../email/recipient.js';
import { enqueueEmail } from '../../email/outbox.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';
import { issueDocument } from '../issued-documents/issue.js';
import { findServiceType, SLA_HOURS, type Fulfilment } from './catalog.js';
import { documentFields } from './document-fields.js';
import type { FamilyCard, RegistryResident } from '../../registry/port.js';
import { actorMayTake, findTransition, isClosed, type RequestStatus, type TransitionActor } from './state-machine.js';

export type ServiceRequestRow = typeof serviceRequests.$inferSelect;

export interface TransitionInput {
  to: RequestStatus;
  actor: TransitionActor;
  actorId: string;
  note?: string;
  corrections?: string[];
  reason?: string;
  receivedBy?: string;
  /**
   * `completed`: the holder's registry record and family card, read BEFORE the transaction (the registry reads through
   * the pool, and PGlite has one connection: a read from inside the transaction would wait for it forever).
   */
  holder?: { resident: RegistryResident | null; family: FamilyCard | null };
}

/** The row, locked for the transaction (a concurrent change waits and then sees the new status). */
export async function lockServiceRequest(tx: Tx, id: string): Promise<ServiceRequestRow | undefined> {
  const [row] = await tx.select().from(serviceRequests).where(eq(serviceRequests.id, id)).for('update').limit(1);
  return row;
}

/**
 * Applies `to` to the locked `request`. The caller checked who may see the request; this checks the state machine,
 * the actor's right to the step and the fields the step needs. Returns the updated row.
 */
export async function applyTransition(
  deps: Pick<Deps, 'clock' | 'config' | 'keys'>,
  tx: Tx,
  request: ServiceRequestRow,
  input: TransitionInput,
  extra: Partial<ServiceRequestRow> = {},
): Promise<ServiceRequestRow> {
  const now = deps.clock.now();
  const from = request.status as RequestStatus;
  const transition = findTransition(from, input.to, request.fulfilment as Fulfilment);
  if (!transition) throw new AppError('invalid_transition', { detail: `${from} → ${input.to} is not a step of this request.` });
  // A step that exists but is someone else's (an operator cancelling, a resident completing) is just as illegal.
  if (!actorMayTake(input.actor, transition)) throw new AppError('invalid_transition', { detail: `${from} → ${input.to} is not a ${input.actor}'s step.` });
  requireFields(input);

  const changes: Partial<ServiceRequestRow> = { status: input.to, updatedAt: now, ...extra };
  if (input.to === 'needs_correction') changes.corrections = input.corrections ?? [];
  if (input.to === 'rejected') changes.rejectReason = input.reason ?? null;
  if (input.to === 'completed') changes.completedAt = now;
  if (input.to === 'delivered') Object.assign(changes, { deliveryReceivedBy: input.receivedBy ?? null, deliveryAt: now, deliveryFailedReason: null });
  if (input.to === 'delivery_failed') Object.assign(changes, { deliveryFailedReason: input.reason ?? null, deliveryAt: now });
  if (input.to === 'out_for_delivery') changes.deliveryAt = now;
  // Back from the holder's corrections, the office gets a fresh SLA: the wait was the holder's.
  if (from === 'needs_correction' && input.to === 'submitted') {
    changes.slaDueAt = new Date(now.getTime() + (findServiceType(request.type)?.slaHours ?? SLA_HOURS) * 3600_000);
    changes.corrections = null;
  }
  if (isClosed(input.to, request.fulfilment as Fulfilment)) changes.closedAt = now;

  const [updated] = await tx
    .update(serviceRequests)
    .set(changes)
    .where(and(eq(serviceRequests.id, request.id), eq(serviceRequests.status, from)))
    .returning();
  if (!updated) throw new AppError('invalid_transition', { detail: 'The request changed meanwhile.' });
  if (updated.closedAt && changes.closedAt) await eraseIfHolderDeleted(tx, updated.id);

  await tx.insert(serviceRequestHistory).values({
    requestId: request.id,
    at: now,
    status: input.to,
    note: input.note ?? input.reason ?? null,
    corrections: input.to === 'needs_correction' ? (input.corrections ?? []) : null,
    by: input.actor,
    actorId: input.actorId,
  });

  const documents = input.to === 'completed' ? await issueOutputs(deps, tx, updated, input.holder ?? { resident: null, family: null }) : [];

  await notifyHolder(deps, tx, updated, input, now);
  const actor: Pick<AuditEntry, 'actorType' | 'actorId'> =
    input.actor === 'resident' ? { actorType: 'resident', actorId: request.accountId } : { actorType: 'operator', actorId: input.actorId };
  // Last write of the transaction (appendAudit takes the chain's lock until commit).
  await appendAudit(
    tx,
    {
      ...actor,
      action: 'service_request.transition',
      targetType: 'service_request',
      targetId: request.id,
      details: {
        number: request.number,
        from,
        to: input.to,
        ...(input.corrections ? { corrections: input.corrections } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.receivedBy ? { receivedBy: input.receivedBy } : {}),
        ...(documents.length ? { documents: documents.map((d) => d.id) } : {}),
      },
    },
    now,
  );
  return updated;
}

function requireFields(input: TransitionInput): void {
  const missing = (path: string, message: string) => new AppError('invalid_request', { errors: [{ path, message }] });
  if (input.to === 'needs_correction' && !input.corrections?.length) throw missing('corrections', 'list the attachment kinds to correct');
  if ((input.to === 'rejected' || input.to === 'delivery_failed') && !input.reason) throw missing('reason', 'required for this step');
  if (input.to === 'delivered' && !input.receivedBy) throw missing('receivedBy', 'the name of who received the documents');
}

/** `completed`: one issued document per output of the type, signed and stored in this transaction. */
async function issueOutputs(
  deps: Pick<Deps, 'clock' | 'config' | 'keys'>,
  tx: Tx,
  request: ServiceRequestRow,
  { resident, family }: { resident: RegistryResident | null; family: FamilyCard | null },
) {
  const service = findServiceType(request.type);
  if (!service) return [];
  const issuedAt = deps.clock.now();
  const refs = [];
  for (const output of service.outputs) {
    const ref = await issueDocument(deps, tx, {
      accountId: request.accountId,
      nik: request.nik,
      holderName: resident?.name ?? '',
      type: output.type,
      title: output.title,
      fields: documentFields(output, request, resident, family),
      officeCode: request.officeCode,
      serviceRequestId: request.id,
      issuedAt,
    });
    refs.push(ref);
    await tx.insert(serviceRequestDocuments).values({
      requestId: request.id,
      documentId: ref.id,
      type: ref.type,
      number: ref.number,
      checkCode: ref.checkCode,
      sha256: ref.sha256,
      createdAt: issuedAt,
    });
  }
  return refs;
}

async function notifyHolder(deps: Pick<Deps, 'config'>, tx: Tx, request: ServiceRequestRow, input: TransitionInput, now: Date): Promise<void> {
  const recipient = await accountRecipient(tx, request.accountId);
  if (!recipient || !recipient.to) return;
  await enqueueEmail(tx, {
    to: recipient.to,
    template: 'service_request_status',
    lang: recipient.lang,
    data: {
      name: recipient.name,
      zone: recipient.zone,
      number: request.number,
      service: findServiceType(request.type)?.title ?? request.type,
      status: input.to,
      at: now,
      ...(input.note ? { note: input.note } : {}),
      ...(input.corrections?.length && input.to === 'needs_correction' ? { corrections: input.corrections } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.receivedBy ? { receivedBy: input.receivedBy } : {}),
      link: `${deps.config.publicBaseUrl}/app#pelayanan=${request.id}`,
    },
    now,
  });
}

/** The e-mail on creation (submitted) goes the same way as any change. */
export async function notifySubmitted(deps: Pick<Deps, 'config'>, tx: Tx, request: ServiceRequestRow, now: Date): Promise<void> {
  await notifyHolder(deps, tx, request, { to: 'submitted', actor: 'resident', actorId: request.accountId }, now);
}
