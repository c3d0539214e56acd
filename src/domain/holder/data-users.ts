/**
 * Who may see me (Pasal 15 Permendagri 72/2022): the institutions that have scanned the holder, and the holder's
 * blocks. A blocked institution's redemption is refused inside the redemption statement itself (redemption.ts);
 * other writes by an institution about a holder (data balikan) call assertHolderAllows.
 */
import { and, eq, sql } from 'drizzle-orm';
import { accessLog, accounts, holderBlocks, verifiers } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.js';
import type { ResidentPrincipal } from '../credential/login.js';

export interface DataUser {
  verifier: { id: string; name: string };
  firstAccessAt: string | null;
  lastAccessAt: string | null;
  /** Verified redemptions (refused attempts are in the access history, not counted here). */
  verifications: number;
  blocked: boolean;
}

/** GET /v1/me/data-users: every institution with an attempt on the holder's QR, and any the holder blocked. */
export async function listDataUsers(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal): Promise<{ items: DataUser[] }> {
  const rows = await queryRows<{ id: string; name: string; first_at: string | null; last_at: string | null; verifications: number | string; blocked: boolean }>(
    deps.db,
    sql`with seen as (
          select verifier_id, min(at) as first_at, max(at) as last_at, count(*) filter (where outcome = 'verified') as verifications
          from ${accessLog} where account_id = ${resident.accountId} group by verifier_id
        ), blocked as (
          select verifier_id from ${holderBlocks} where account_id = ${resident.accountId}
        )
        select v.id, v.name, seen.first_at, seen.last_at, coalesce(seen.verifications, 0)::int as verifications,
               (blocked.verifier_id is not null) as blocked
        from ${verifiers} v
          left join seen on seen.verifier_id = v.id
          left join blocked on blocked.verifier_id = v.id
        where seen.verifier_id is not null or blocked.verifier_id is not null
        order by seen.last_at desc nulls last, v.name`,
  );
  const iso = (t: string | Date | null) => (t === null ? null : new Date(t).toISOString());
  return {
    items: rows.map((r) => ({
      verifier: { id: r.id, name: r.name },
      firstAccessAt: iso(r.first_at),
      lastAccessAt: iso(r.last_at),
      verifications: Number(r.verifications),
      blocked: Boolean(r.blocked),
    })),
  };
}

/** PUT /v1/me/data-users/{verifierId} { blocked }: idempotent; 404 not_found for an unknown verifier. Audited. */
export async function setDataUserBlocked(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { resident: ResidentPrincipal; verifierId: string; blocked: boolean },
): Promise<{ verifier: { id: string; name: string }; blocked: boolean }> {
  const now = deps.clock.now();
  const accountId = input.resident.accountId;
  return deps.db.transaction(async (tx) => {
    const [verifier] = await tx.select({ id: verifiers.id, name: verifiers.name }).from(verifiers).where(eq(verifiers.id, input.verifierId));
    if (!verifier) throw new AppError('not_found');
    const changed = input.blocked
      ? await tx.insert(holderBlocks).values({ accountId, verifierId: verifier.id, blockedAt: now }).onConflictDoNothing().returning({ id: holderBlocks.verifierId })
      : await tx
          .delete(holderBlocks)
          .where(and(eq(holderBlocks.accountId, accountId), eq(holderBlocks.verifierId, verifier.id)))
          .returning({ id: holderBlocks.verifierId });
    if (changed.length > 0) {
      await appendAudit(
        tx,
        { actorType: 'resident', actorId: accountId, action: input.blocked ? 'data_user.block' : 'data_user.unblock', targetType: 'verifier', targetId: verifier.id, details: {} },
        now,
      );
    }
    return { verifier, blocked: input.blocked };
  });
}

/** Whether the holder of `nik` (a live account) blocked this verifier. */
export async function holderRefuses(db: DbOrTx, input: { nik: string; verifierId: string }): Promise<boolean> {
  const rows = await queryRows<{ refused: boolean }>(
    db,
    sql`select 1 as refused from ${holderBlocks} b join ${accounts} a on a.id = b.account_id
        where a.nik = ${input.nik} and a.status <> 'deleted' and b.verifier_id = ${input.verifierId} limit 1`,
  );
  return rows.length > 0;
}

/** For an institution's writes about a holder (data balikan): 403 holder_refused when the holder blocked it. */
export async function assertHolderAllows(db: DbOrTx, input: { nik: string; verifierId: string }): Promise<void> {
  if (await holderRefuses(db, input)) throw new AppError('holder_refused');
}
