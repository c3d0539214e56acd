/** Admins list operators and disable or re-enable them; a disabled operator's sessions end and its login fails as a wrong password does. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { operators, operatorSessions } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AuditActor, OperatorRole } from './operators.js';

export interface OperatorSummary {
  id: string;
  username: string;
  name: string;
  role: OperatorRole;
  officeCode: string;
  status: 'active' | 'disabled';
  lockedUntil: Date | null;
  createdAt: Date;
}

/** Every operator, oldest first; never a password hash or TOTP secret. */
export async function listOperators(deps: Pick<Deps, 'db'>): Promise<OperatorSummary[]> {
  return deps.db
    .select({
      id: operators.id,
      username: operators.username,
      name: operators.name,
      role: operators.role,
      officeCode: operators.officeCode,
      status: operators.status,
      lockedUntil: operators.lockedUntil,
      createdAt: operators.createdAt,
    })
    .from(operators)
    .orderBy(asc(operators.createdAt), asc(operators.id));
}

/** The id of the operator with this username (the CLI names operators by username); 404 not_found otherwise. */
export async function operatorIdByUsername(deps: Pick<Deps, 'db'>, username: string): Promise<string> {
  const [row] = await deps.db.select({ id: operators.id }).from(operators).where(eq(operators.username, username.trim().toLowerCase()));
  if (!row) throw new AppError('not_found');
  return row.id;
}

/**
 * Disables the operator and ends every session it has, in one transaction; audited with the number of sessions
 * ended. An admin may not disable themself (the last admin would lock everyone out). Idempotent.
 */
export async function disableOperator(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { id: string; actor: AuditActor },
): Promise<{ id: string; status: 'disabled' }> {
  if (input.actor.actorType === 'operator' && input.actor.actorId === input.id) {
    throw new AppError('conflict', { detail: 'An admin cannot disable their own account' });
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ status: operators.status }).from(operators).where(eq(operators.id, input.id)).for('update');
    if (!existing) throw new AppError('not_found');
    await tx.update(operators).set({ status: 'disabled' }).where(eq(operators.id, input.id));
    const ended = await tx
      .update(operatorSessions)
      .set({ revokedAt: now })
      .where(and(eq(operatorSessions.operatorId, input.id), isNull(operatorSessions.revokedAt)))
      .returning({ id: operatorSessions.id });
    if (existing.status === 'disabled' && ended.length === 0) return;
    await appendAudit(
      tx,
      { ...input.actor, action: 'operator.disable', targetType: 'operator', targetId: input.id, details: { sessionsEnded: ended.length } },
      now,
    );
  });
  return { id: input.id, status: 'disabled' };
}

/** Re-enables a disabled operator; its old sessions stay ended, it logs in again. Idempotent; audited. */
export async function enableOperator(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { id: string; actor: AuditActor },
): Promise<{ id: string; status: 'active' }> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ status: operators.status }).from(operators).where(eq(operators.id, input.id)).for('update');
    if (!existing) throw new AppError('not_found');
    if (existing.status === 'active') return;
    await tx.update(operators).set({ status: 'active', failedLogins: 0, lockedUntil: null }).where(eq(operators.id, input.id));
    await appendAudit(tx, { ...input.actor, action: 'operator.enable', targetType: 'operator', targetId: input.id }, now);
  });
  return { id: input.id, status: 'active' };
}
