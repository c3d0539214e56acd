/** Documents the service issues on a completed service request (API.md Part 2 "Pelayanan"): signed PDFs with a check code. */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea } from './enrolment.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const issuedDocuments = pgTable(
  'issued_documents',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    nik: text('nik').notNull(),
    holderName: text('holder_name').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    number: text('number').notNull(),
    /** 10 Crockford base32 characters (50 bits), stored without the hyphen. */
    checkCode: text('check_code').notNull(),
    officeCode: text('office_code').notNull(),
    /** The office's name as printed, e.g. "Dinas Kependudukan dan Pencatatan Sipil KABUPATEN PANGKAJENE DAN KEPULAUAN". */
    issuedBy: text('issued_by').notNull(),
    serviceRequestId: text('service_request_id'),
    issuedAt: ts('issued_at').notNull(),
    /** What the form prints (the issuing input), for GET /v1/me/documents and a document QR. */
    fields: jsonb('fields').notNull(),
    pdf: bytea('pdf').notNull(),
    /** SHA-256 of the PDF bytes, hex. */
    sha256: text('sha256').notNull(),
    /** The key ring kid that signed the issuing data (issued-documents/signature.ts), and the signature, base64url. */
    kid: text('kid').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [
    uniqueIndex('issued_documents_check_code_idx').on(t.checkCode),
    index('issued_documents_sha256_idx').on(t.sha256),
    index('issued_documents_account_idx').on(t.accountId, t.issuedAt),
    index('issued_documents_request_idx').on(t.serviceRequestId),
  ],
);

/** Per office, prefix and day: the running number printed in a register-style document number (…-0001). */
export const issuedDocumentCounters = pgTable(
  'issued_document_counters',
  {
    officeCode: text('office_code').notNull(),
    prefix: text('prefix').notNull(),
    day: text('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeCode, t.prefix, t.day] })],
);
