/**
 * The holder's side of Pelayanan: create a request with its attachments, list and read them, send corrections,
 * cancel, download an issued document, rate once (SKM). A request is only ever its holder's: another gets 404.
 */
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { newId } from '../../crypto/secrets.js';
import { serviceRequestAttachments, serviceRequestCounters, serviceRequestDocuments, serviceRequestHistory, serviceRequests } from '../../db/schema/index.js';
import type { DbOrTx, Tx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError, type FieldError } from '../../errors.js';
import { ianaZone } from '../local-time.js';
import { zoneOfProvince } from '../local-time.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { appendAudit } from '../audit/audit.js';
import { enforceRateLimits } from '../limits/rate-limit.js';
import { issuedDocumentPdf } from '../issued-documents/issue.js';
import { decodeAttachments, MAX_ATTACHMENTS, type AttachmentInput, type DecodedAttachment } from './attachments.js';
import { findServiceType, type Fulfilment, type ServiceType } from './catalog.js';
import { applyTransition, lockServiceRequest, notifySubmitted, type ServiceRequestRow } from './transitions.js';

export interface DeliveryAddress {
  street: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  regency: string;
  province: string;
  postalCode?: string;
  phone?: string;
}

export interface CreateServiceRequestInput {
  resident: ResidentPrincipal;
  type: string;
  details: unknown;
  attachments: AttachmentInput[];
  fulfilment: Fulfilment;
  deliveryAddress?: DeliveryAddress;
}

/** Details checked against the type's zod schema; field errors under `details.`. */
function parseDetails(service: ServiceType, details: unknown): Record<string, unknown> {
  const parsed = service.details.safeParse(details);
  if (!parsed.success) {
    throw new AppError('invalid_request', {
      errors: parsed.error.issues.map((i) => ({ path: ['details', ...i.path.map(String)].join('.'), message: i.message }) satisfies FieldError),
    });
  }
  return parsed.data;
}

function checkKinds(service: ServiceType, attachments: readonly AttachmentInput[], path = 'attachments'): void {
  const kinds = new Set(service.requirements.map((r) => r.kind));
  const errors = attachments.flatMap((a, i) => (kinds.has(a.kind) ? [] : [{ path: `${path}.${i}.kind`, message: `not a requirement of ${service.type}` }]));
  if (errors.length) throw new AppError('invalid_request', { errors });
}

/** 422 requirements_missing listing the required kinds absent from `present`. */
function requireKinds(required: readonly string[], present: ReadonlySet<string>): void {
  const missing = required.filter((k) => !present.has(k));
  if (missing.length) throw new AppError('requirements_missing', { detail: `Missing: ${missing.join(', ')}`, extensions: { missing } });
}

/**
 * The request number: office code, the office's local day, and that office's sequence of the day
 * (7310-20261202-000123). A resident reads it over the phone or at the counter; the office and day in it tell
 * the officer where and when to look without a lookup. One conditional upsert per number, so two at once never collide.
 */
async function nextRequestNumber(tx: DbOrTx, officeCode: string, now: Date): Promise<string> {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: ianaZone(zoneOfProvince(officeCode)), year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now)
    .replaceAll('-', '');
  const [row] = await tx
    .insert(serviceRequestCounters)
    .values({ officeCode, day, last: 1 })
    .onConflictDoUpdate({ target: [serviceRequestCounters.officeCode, serviceRequestCounters.day], set: { last: sql`${serviceRequestCounters.last} + 1` } })
    .returning({ last: serviceRequestCounters.last });
  return `${officeCode}-${day}-${String(row!.last).padStart(6, '0')}`;
}

async function storeAttachments(tx: Tx, requestId: string, attachments: readonly DecodedAttachment[], now: Date): Promise<void> {
  if (!attachments.length) return;
  await tx.insert(serviceRequestAttachments).values(
    attachments.map((a) => ({ id: newId('att'), requestId, kind: a.kind, filename: a.filename, contentType: a.contentType, size: a.data.length, data: a.data, createdAt: now })),
  );
}

/**
 * Requests one account may submit per hour. iCore's busiest residents file a handful (a KK change, then the KTP-el
 * and the KIA it brings); each request may carry 16 MB of attachments, so the limit also bounds what one account can
 * make the database store. Checked before the body is decoded.
 */
export const SERVICE_REQUEST_RATE_LIMIT = { limit: 10, windowSeconds: 3600 } as const;

/** POST /v1/me/service-requests → { id, number, status: "submitted", slaDueAt }. */
export async function createServiceRequest(deps: Deps, input: CreateServiceRequestInput) {
  await enforceRateLimits(deps.db, [{ key: `service-request:account:${input.resident.accountId}`, ...SERVICE_REQUEST_RATE_LIMIT }], deps.clock.now());
  const service = findServiceType(input.type);
  if (!service) throw new AppError('invalid_request', { errors: [{ path: 'type', message: 'not a service of GET /v1/services' }] });
  const details = parseDetails(service, input.details);
  if (!service.fulfilment.includes(input.fulfilment)) {
    throw new AppError('invalid_request', { errors: [{ path: 'fulfilment', message: `one of ${service.fulfilment.join(', ')} for ${service.type}` }] });
  }
  if (input.fulfilment === 'delivery' && !input.deliveryAddress) {
    throw new AppError('invalid_request', { errors: [{ path: 'deliveryAddress', message: 'required for delivery' }] });
  }
  checkKinds(service, input.attachments);
  requireKinds(
    service.requirements.filter((r) => r.required).map((r) => r.kind),
    new Set(input.attachments.map((a) => a.kind)),
  );
  const attachments = decodeAttachments(input.attachments);
  const resident = await deps.registry.findResident(input.resident.nik);
  // The office of the holder's domicile (the registry's regency); the NIK's regency when the record has none.
  const officeCode = resident?.regencyCode || input.resident.nik.slice(0, 4);
  const now = deps.clock.now();
  const id = newId('srq');
  const created = await deps.db.transaction(async (tx) => {
    const number = await nextRequestNumber(tx, officeCode, now);
    const [row] = await tx
      .insert(serviceRequests)
      .values({
        id,
        number,
        accountId: input.resident.accountId,
        nik: input.resident.nik,
        officeCode,
        type: service.type,
        status: 'submitted',
        details,
        fulfilment: input.fulfilment,
        deliveryAddress: input.fulfilment === 'delivery' ? (input.deliveryAddress as unknown as Record<string, string>) : null,
        slaDueAt: new Date(now.getTime() + service.slaHours * 3600_000),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await storeAttachments(tx, id, attachments, now);
    await tx.insert(serviceRequestHistory).values({ requestId: id, at: now, status: 'submitted', by: 'resident', actorId: input.resident.accountId });
    await notifySubmitted(deps, tx, row!, now);
    await appendAudit(
      tx,
      { actorType: 'resident', actorId: input.resident.accountId, action: 'service_request.create', targetType: 'service_request', targetId: id, details: { number, type: service.type, attachments: attachments.length } },
      now,
    );
    return row!;
  });
  return { id: created.id, number: created.number, status: 'submitted' as const, slaDueAt: created.slaDueAt.toISOString() };
}

// The cursor is opaque and only pages through the caller's own rows.
function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([A-Za-z0-9_-]{1,60})$/.exec(text);
  if (!m || Number.isNaN(Date.parse(m[1]!))) throw new AppError('invalid_request', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
  return { at: new Date(m[1]!), id: m[2]! };
}

export const PAGE_SIZE = 50;

/** GET /v1/me/service-requests: newest first. */
export async function listServiceRequests(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal, cursor?: string) {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rows = await deps.db
    .select({ id: serviceRequests.id, number: serviceRequests.number, type: serviceRequests.type, status: serviceRequests.status, createdAt: serviceRequests.createdAt, updatedAt: serviceRequests.updatedAt, slaDueAt: serviceRequests.slaDueAt })
    .from(serviceRequests)
    .where(
      and(
        eq(serviceRequests.accountId, resident.accountId),
        after ? or(lt(serviceRequests.createdAt, after.at), and(eq(serviceRequests.createdAt, after.at), lt(serviceRequests.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(serviceRequests.createdAt), desc(serviceRequests.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), slaDueAt: r.slaDueAt.toISOString() })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** The request as its holder and the office see it: history, attachments' metadata, delivery, documents. */
export async function describeServiceRequest(db: DbOrTx, row: ServiceRequestRow) {
  const [history, attachments, documents] = await Promise.all([
    db.select().from(serviceRequestHistory).where(eq(serviceRequestHistory.requestId, row.id)).orderBy(asc(serviceRequestHistory.seq)),
    db
      .select({ id: serviceRequestAttachments.id, kind: serviceRequestAttachments.kind, filename: serviceRequestAttachments.filename, contentType: serviceRequestAttachments.contentType, size: serviceRequestAttachments.size })
      .from(serviceRequestAttachments)
      .where(eq(serviceRequestAttachments.requestId, row.id))
      .orderBy(asc(serviceRequestAttachments.createdAt), asc(serviceRequestAttachments.id)),
    db.select().from(serviceRequestDocuments).where(eq(serviceRequestDocuments.requestId, row.id)).orderBy(asc(serviceRequestDocuments.createdAt), asc(serviceRequestDocuments.documentId)),
  ]);
  const delivery =
    row.fulfilment === 'delivery' && ['out_for_delivery', 'delivered', 'delivery_failed'].includes(row.status)
      ? {
          status: row.status,
          ...(row.deliveryReceivedBy ? { receivedBy: row.deliveryReceivedBy } : {}),
          ...(row.deliveryFailedReason && row.status === 'delivery_failed' ? { reason: row.deliveryFailedReason } : {}),
          ...(row.deliveryAt ? { at: row.deliveryAt.toISOString() } : {}),
        }
      : undefined;
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    status: row.status,
    details: row.details,
    fulfilment: row.fulfilment,
    ...(row.deliveryAddress ? { deliveryAddress: row.deliveryAddress } : {}),
    ...(delivery ? { delivery } : {}),
    ...(row.status === 'needs_correction' && row.corrections ? { corrections: row.corrections } : {}),
    ...(row.rejectReason ? { rejectReason: row.rejectReason } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    slaDueAt: row.slaDueAt.toISOString(),
    ...(row.completedAt ? { completedAt: row.completedAt.toISOString() } : {}),
    history: history.map((h) => ({
      at: h.at.toISOString(),
      status: h.status,
      ...(h.note ? { note: h.note } : {}),
      ...(h.corrections ? { corrections: h.corrections } : {}),
      by: h.by,
    })),
    attachments,
    ...(row.completedAt ? { documents: documents.map((d) => ({ id: d.documentId, type: d.type, number: d.number, checkCode: d.checkCode, sha256: d.sha256 })) } : {}),
    ...(row.ratingScore ? { rating: { score: row.ratingScore, ...(row.ratingComment ? { comment: row.ratingComment } : {}), at: row.ratedAt!.toISOString() } } : {}),
  };
}

async function ownRequest(db: DbOrTx, resident: ResidentPrincipal, id: string): Promise<ServiceRequestRow> {
  const [row] = await db
    .select()
    .from(serviceRequests)
    .where(and(eq(serviceRequests.id, id), eq(serviceRequests.accountId, resident.accountId)))
    .limit(1);
  if (!row) throw new AppError('not_found');
  return row;
}

/** Every request of the holder, oldest first, as GET /v1/me/service-requests/{id} describes it (GET /v1/me/export). */
export async function exportServiceRequests(db: DbOrTx, accountId: string) {
  const rows = await db.select().from(serviceRequests).where(eq(serviceRequests.accountId, accountId)).orderBy(asc(serviceRequests.createdAt), asc(serviceRequests.id));
  return Promise.all(rows.map((row) => describeServiceRequest(db, row)));
}

/** GET /v1/me/service-requests/{id}. */
export async function readServiceRequest(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal, id: string) {
  return describeServiceRequest(deps.db, await ownRequest(deps.db, resident, id));
}

/** The locked row of the holder's own request (404 for anyone else's). */
async function lockOwnRequest(tx: Tx, resident: ResidentPrincipal, id: string): Promise<ServiceRequestRow> {
  const row = await lockServiceRequest(tx, id);
  if (!row || row.accountId !== resident.accountId) throw new AppError('not_found');
  return row;
}

/**
 * POST /v1/me/service-requests/{id}/corrections: from needs_correction back to submitted. New attachments replace
 * the request's earlier ones of the same kind; every kind the operator listed must come with a new file.
 */
export async function submitCorrections(
  deps: Deps,
  input: { resident: ResidentPrincipal; id: string; attachments?: AttachmentInput[]; details?: unknown; note?: string },
) {
  const uploads = input.attachments ?? [];
  const decoded = decodeAttachments(uploads);
  const updated = await deps.db.transaction(async (tx) => {
    const row = await lockOwnRequest(tx, input.resident, input.id);
    if (row.status !== 'needs_correction') throw new AppError('invalid_transition', { detail: `${row.status} → submitted is not a step of this request.` });
    const service = findServiceType(row.type)!;
    checkKinds(service, uploads);
    const details = input.details === undefined ? undefined : parseDetails(service, input.details);
    requireKinds(row.corrections ?? [], new Set(uploads.map((a) => a.kind)));
    const replaced = [...new Set(decoded.map((a) => a.kind))];
    if (replaced.length) {
      await tx.delete(serviceRequestAttachments).where(and(eq(serviceRequestAttachments.requestId, row.id), inArray(serviceRequestAttachments.kind, replaced)));
    }
    await storeAttachments(tx, row.id, decoded, deps.clock.now());
    const kept = await tx.select({ kind: serviceRequestAttachments.kind }).from(serviceRequestAttachments).where(eq(serviceRequestAttachments.requestId, row.id));
    if (kept.length > MAX_ATTACHMENTS) {
      throw new AppError('invalid_request', { errors: [{ path: 'attachments', message: `a request may hold at most ${MAX_ATTACHMENTS} files` }] });
    }
    requireKinds(
      service.requirements.filter((r) => r.required).map((r) => r.kind),
      new Set(kept.map((k) => k.kind)),
    );
    return applyTransition(deps, tx, row, { to: 'submitted', actor: 'resident', actorId: input.resident.accountId, note: input.note }, details ? { details } : {});
  });
  return { id: updated.id, number: updated.number, status: updated.status, slaDueAt: updated.slaDueAt.toISOString() };
}

/** POST /v1/me/service-requests/{id}/cancel: only before processing. */
export async function cancelServiceRequest(deps: Deps, resident: ResidentPrincipal, id: string) {
  const updated = await deps.db.transaction(async (tx) => {
    const row = await lockOwnRequest(tx, resident, id);
    return applyTransition(deps, tx, row, { to: 'cancelled', actor: 'resident', actorId: resident.accountId });
  });
  return { id: updated.id, number: updated.number, status: updated.status };
}

/** Statuses after which the SKM survey is open: the document is in the holder's hands (or downloadable). */
const RATABLE = new Set(['completed', 'picked_up', 'delivered']);

/** POST /v1/me/service-requests/{id}/rating: once, 1..4 (SKM four-point scale). */
export async function rateServiceRequest(deps: Deps, input: { resident: ResidentPrincipal; id: string; score: number; comment?: string }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await lockOwnRequest(tx, input.resident, input.id);
    if (row.ratingScore !== null) throw new AppError('already_rated');
    if (!RATABLE.has(row.status)) throw new AppError('invalid_transition', { detail: 'A request is rated once it is completed.' });
    const [rated] = await tx
      .update(serviceRequests)
      .set({ ratingScore: input.score, ratingComment: input.comment ?? null, ratedAt: now })
      .where(and(eq(serviceRequests.id, row.id), sql`${serviceRequests.ratingScore} is null`))
      .returning({ id: serviceRequests.id });
    if (!rated) throw new AppError('already_rated');
    await appendAudit(
      tx,
      { actorType: 'resident', actorId: input.resident.accountId, action: 'service_request.rate', targetType: 'service_request', targetId: row.id, details: { score: input.score } },
      now,
    );
    return { score: input.score, ...(input.comment ? { comment: input.comment } : {}), at: now.toISOString() };
  });
}

/** GET /v1/me/service-requests/{id}/documents/{documentId}.pdf: the issued PDF of the holder's own completed request. */
export async function serviceRequestDocument(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal, id: string, documentId: string): Promise<Uint8Array> {
  const row = await ownRequest(deps.db, resident, id);
  const [doc] = await deps.db
    .select({ documentId: serviceRequestDocuments.documentId })
    .from(serviceRequestDocuments)
    .where(and(eq(serviceRequestDocuments.requestId, row.id), eq(serviceRequestDocuments.documentId, documentId)))
    .limit(1);
  if (!doc) throw new AppError('not_found');
  const pdf = await issuedDocumentPdf(deps, resident.accountId, doc.documentId);
  if (!pdf) throw new AppError('not_found');
  return pdf;
}
