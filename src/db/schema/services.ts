/** Pelayanan: residents' online requests for population documents, their history, attachments and issued documents. */
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea } from './enrolment.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const serviceRequests = pgTable(
  'service_requests',
  {
    id: text('id').primaryKey(),
    /** Human-readable: office code, local day, that office's sequence of the day (7310-20261202-000123). */
    number: text('number').notNull(),
    accountId: text('account_id').notNull(),
    nik: text('nik').notNull(),
    /** The regency (first 4 NIK digits) whose Dukcapil office serves the request. */
    officeCode: text('office_code').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    fulfilment: text('fulfilment', { enum: ['download', 'pickup', 'delivery'] }).notNull(),
    deliveryAddress: jsonb('delivery_address').$type<Record<string, string>>(),
    deliveryReceivedBy: text('delivery_received_by'),
    deliveryFailedReason: text('delivery_failed_reason'),
    deliveryAt: ts('delivery_at'),
    rejectReason: text('reject_reason'),
    /** The attachment kinds the operator last asked to correct. */
    corrections: jsonb('corrections').$type<string[]>(),
    slaDueAt: ts('sla_due_at').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    completedAt: ts('completed_at'),
    /** When it reached a state with nothing left to do (the attachments' retention counts from here). */
    closedAt: ts('closed_at'),
    ratingScore: integer('rating_score'),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
  },
  (t) => [
    uniqueIndex('service_requests_number_idx').on(t.number),
    index('service_requests_account_idx').on(t.accountId, t.createdAt),
    index('service_requests_queue_idx').on(t.officeCode, t.createdAt, t.id),
    index('service_requests_created_idx').on(t.createdAt),
  ],
);

export const serviceRequestHistory = pgTable(
  'service_request_history',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    requestId: text('request_id').notNull(),
    at: ts('at').notNull(),
    status: text('status').notNull(),
    note: text('note'),
    corrections: jsonb('corrections').$type<string[]>(),
    by: text('by', { enum: ['resident', 'operator', 'courier'] }).notNull(),
    actorId: text('actor_id').notNull(),
  },
  (t) => [index('service_request_history_request_idx').on(t.requestId, t.seq)],
);

export const serviceRequestAttachments = pgTable(
  'service_request_attachments',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id').notNull(),
    kind: text('kind').notNull(),
    filename: text('filename').notNull(),
    /** From the magic bytes, never from what the client declared. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('service_request_attachments_request_idx').on(t.requestId)],
);

export const serviceRequestDocuments = pgTable(
  'service_request_documents',
  {
    requestId: text('request_id').notNull(),
    documentId: text('document_id').notNull(),
    type: text('type').notNull(),
    number: text('number').notNull(),
    checkCode: text('check_code').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('service_request_documents_key_idx').on(t.requestId, t.documentId)],
);

export const serviceRequestCounters = pgTable(
  'service_request_counters',
  {
    officeCode: text('office_code').notNull(),
    day: text('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [uniqueIndex('service_request_counters_key_idx').on(t.officeCode, t.day)],
);
