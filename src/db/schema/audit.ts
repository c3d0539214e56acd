/** The append-only, hash-chained audit log of every operator and admin action. */
import { bigint, bigserial, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable('audit_log', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  actorType: text('actor_type', { enum: ['operator', 'system', 'resident'] }).notNull(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id').notNull(),
  details: jsonb('details').notNull(),
  /** hash of the row before (64 zeros for the first). */
  prevHash: text('prev_hash').notNull(),
  /** SHA-256 over prevHash and this row's canonical content. */
  hash: text('hash').notNull(),
});

/**
 * One signed checkpoint of the chain's head per day (WIB), mailed to the auditor. `jws` is the signed string; the
 * other columns copy its payload for reading (audit:verify checks they agree). Append-only in the database.
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  /** YYYY-MM-DD in WIB: at most one checkpoint a day. */
  day: text('day').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
  kid: text('kid').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
  jws: text('jws').notNull(),
  /** The auditor address it was mailed to (AUDIT_CHECKPOINT_EMAIL then), or null when none was configured. */
  mailedTo: text('mailed_to'),
  outboxId: text('outbox_id'),
});
