/** The e-mail outbox: written in the same transaction as the change that causes the e-mail; a worker delivers it. */
import { bigint, bigserial, boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    /** Insertion order: "newest first" even when many messages share a created_at (one transaction, a frozen test clock). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** Sent to the provider as Idempotency-Key: a retried delivery is never sent twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    template: text('template').notNull(),
    /** draft: a per-scan notice written by the redemption statement, rendered (→ pending) by the worker. */
    status: text('status', { enum: ['draft', 'pending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    /** While a worker delivers a message it holds this lease; a crashed worker's lease runs out. */
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    /** The access-log row a per-scan notice tells about (drafts only). */
    accessSeq: bigint('access_seq', { mode: 'number' }),
    /** The deletion notice: the last place an erased holder's address lives; blanked once delivered or given up. */
    eraseAfterSend: boolean('erase_after_send').notNull().default(false),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);
