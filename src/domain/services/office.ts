/**
 * The office's side of Pelayanan: the queue (the operator's office, oldest first, overdue flagged; supervisors and
 * admins see every office; couriers the office's delivery requests), a request with the holder's registry record,
 * its attachments, and the transitions. A request outside the caller's view is 404, as if it did not exist.
 */
import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { serviceRequestAttachments, serviceRequests } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { OperatorPrincipal } from '../operators/operators.js';
import { findServiceType, type Fulfilment } from './catalog.js';
import { decodeCursor, describeServiceRequest, PAGE_SIZE } from './requests.js';
import { COURIER_STATUSES, OPEN_STATUSES, stepsFor, type RequestStatus, type TransitionActor } from './state-machine.js';
import { applyTransition, lockServiceRequest, type ServiceRequestRow } from './transitions.js';

const seesAllOffices = (op: OperatorPrincipal) => op.role === 'supervisor' || op.role === 'admin';

/** An operator's office is a regency code; a province office (2 digits) sees its regencies, a district office its regency. */
const officePrefix = (op: OperatorPrincipal) => op.officeCode.slice(0, 4);

/** Which requests the caller may see at all, as a SQL condition. */
function visibleTo(op: OperatorPrincipal): SQL | undefined {
  const conditions: SQL[] = [];
  if (!seesAllOffices(op)) conditions.push(sql`starts_with(${serviceRequests.officeCode}, ${officePrefix(op)})`);
  if (op.role === 'courier') {
    conditions.push(eq(serviceRequests.fulfilment, 'delivery'));
    conditions.push(inArray(serviceRequests.status, [...COURIER_STATUSES]));
  }
  return conditions.length ? and(...conditions) : undefined;
}

function mayView(op: OperatorPrincipal, row: ServiceRequestRow): boolean {
  if (!seesAllOffices(op) && !row.officeCode.startsWith(officePrefix(op))) return false;
  if (op.role === 'courier') return row.fulfilment === 'delivery' && (COURIER_STATUSES as readonly string[]).includes(row.status);
  return true;
}

const isOverdue = (row: Pick<ServiceRequestRow, 'status' | 'slaDueAt'>, now: Date) =>
  (OPEN_STATUSES as readonly string[]).includes(row.status) && row.slaDueAt.getTime() < now.getTime();

export interface QueueFilter {
  status?: RequestStatus;
  type?: string;
  overdue?: boolean;
  cursor?: string;
}

/** GET /v1/operator/service-requests: oldest first, with slaDueAt and overdue. */
export async function officeQueue(deps: Pick<Deps, 'db' | 'clock'>, operator: OperatorPrincipal, filter: QueueFilter) {
  const now = deps.clock.now();
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const overdueSql = sql`(${inArray(serviceRequests.status, [...OPEN_STATUSES])} and ${serviceRequests.slaDueAt} < ${nowSql})`;
  const rows = await deps.db
    .select({
      id: serviceRequests.id,
      number: serviceRequests.number,
      type: serviceRequests.type,
      status: serviceRequests.status,
      nik: serviceRequests.nik,
      officeCode: serviceRequests.officeCode,
      fulfilment: serviceRequests.fulfilment,
      createdAt: serviceRequests.createdAt,
      updatedAt: serviceRequests.updatedAt,
      slaDueAt: serviceRequests.slaDueAt,
    })
    .from(serviceRequests)
    .where(
      and(
        visibleTo(operator),
        filter.status ? eq(serviceRequests.status, filter.status) : undefined,
        filter.type ? eq(serviceRequests.type, filter.type) : undefined,
        filter.overdue === undefined ? undefined : filter.overdue ? overdueSql : sql`not ${overdueSql}`,
        after ? or(gt(serviceRequests.createdAt, after.at), and(eq(serviceRequests.createdAt, after.at), gt(serviceRequests.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(serviceRequests.createdAt), asc(serviceRequests.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      slaDueAt: r.slaDueAt.toISOString(),
      overdue: isOverdue(r, now),
    })),
    nextCursor: rows.length > PAGE_SIZE && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`, 'utf8').toString('base64url') : null,
  };
}

async function visibleRequest(deps: Pick<Deps, 'db'>, operator: OperatorPrincipal, id: string): Promise<ServiceRequestRow> {
  const [row] = await deps.db.select().from(serviceRequests).where(eq(serviceRequests.id, id)).limit(1);
  if (!row || !mayView(operator, row)) throw new AppError('not_found');
  return row;
}

/** GET /v1/operator/service-requests/{id}: the request, overdue, and the holder's registry record. */
export async function officeRequest(deps: Pick<Deps, 'db' | 'clock' | 'registry'>, operator: OperatorPrincipal, id: string) {
  const row = await visibleRequest(deps, operator, id);
  const [described, resident] = await Promise.all([describeServiceRequest(deps.db, row), deps.registry.findResident(row.nik)]);
  const record = resident
    ? {
        nik: resident.nik,
        kk: resident.kk,
        name: resident.name,
        birthPlace: resident.birthPlace,
        birthDate: resident.birthDate,
        sex: resident.sex,
        address: resident.address,
        religion: resident.religion,
        maritalStatus: resident.maritalStatus,
        occupation: resident.occupation,
        citizenship: resident.citizenship,
      }
    : null;
  const actor: TransitionActor = operator.role === 'courier' ? 'courier' : 'operator';
  return {
    ...described,
    nik: row.nik,
    officeCode: row.officeCode,
    overdue: isOverdue(row, deps.clock.now()),
    resident: record,
    // The steps this operator may take now, from the state machine itself: the page shows a button for each.
    allowedSteps: stepsFor(actor, row.status as RequestStatus, row.fulfilment as Fulfilment),
  };
}

/** GET …/attachments/{attachmentId}: the stored bytes and their sniffed type. */
export async function officeAttachment(deps: Pick<Deps, 'db'>, operator: OperatorPrincipal, id: string, attachmentId: string) {
  const row = await visibleRequest(deps, operator, id);
  const [file] = await deps.db
    .select()
    .from(serviceRequestAttachments)
    .where(and(eq(serviceRequestAttachments.id, attachmentId), eq(serviceRequestAttachments.requestId, row.id)))
    .limit(1);
  if (!file) throw new AppError('not_found');
  return { filename: file.filename, contentType: file.contentType, data: file.data };
}

export interface OfficeTransitionInput {
  operator: OperatorPrincipal;
  id: string;
  to: RequestStatus;
  note?: string;
  corrections?: string[];
  reason?: string;
  receivedBy?: string;
}

/** POST …/transition: one step of the state machine, by an operator (or supervisor/admin) or a courier. */
export async function officeTransition(deps: Deps, input: OfficeTransitionInput) {
  const actor: TransitionActor = input.operator.role === 'courier' ? 'courier' : 'operator';
  // Read outside the transaction (see TransitionInput.holder); a request the caller cannot see is 404 before anything.
  const seen = await visibleRequest(deps, input.operator, input.id);
  const resident = input.to === 'completed' ? await deps.registry.findResident(seen.nik) : null;
  const holder = input.to === 'completed' ? { resident, family: resident ? await deps.registry.familyCard(resident.kk) : null } : undefined;
  const updated = await deps.db.transaction(async (tx) => {
    const row = await lockServiceRequest(tx, input.id);
    if (!row || !mayView(input.operator, row)) throw new AppError('not_found');
    if (input.to === 'needs_correction') {
      const kinds = new Set(findServiceType(row.type)?.requirements.map((r) => r.kind));
      const unknown = (input.corrections ?? []).filter((k) => !kinds.has(k));
      if (unknown.length) throw new AppError('invalid_request', { errors: [{ path: 'corrections', message: `not requirements of ${row.type}: ${unknown.join(', ')}` }] });
    }
    return applyTransition(deps, tx, row, {
      to: input.to,
      actor,
      actorId: input.operator.id,
      note: input.note,
      corrections: input.corrections,
      reason: input.reason,
      receivedBy: input.receivedBy,
      holder,
    });
  });
  // The steps open to this operator from the new status (none once a courier's request is delivered).
  return { id: updated.id, number: updated.number, status: updated.status, allowedSteps: stepsFor(actor, updated.status as RequestStatus, seen.fulfilment as Fulfilment) };
}
