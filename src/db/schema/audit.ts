/** The append-only, hash-chained audit log of every operator and admin action. */
import { bigserial, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
