/** The holder's own latest KTP QR as the resident's screen follows it: live, used (by whom, at which desk), expired, revoked. */
import { and, desc, eq } from 'drizzle-orm';
import { accessLog, ktpTokens, verifiers } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from './login.js';

export interface KtpQrStatus {
  status: 'live' | 'used' | 'expired' | 'revoked';
  usedAt?: string;
  verifier?: { name: string };
  counter?: string;
}

/** GET /v1/me/ktp/qr/status: polled every ~1.5 s while the QR is on screen; 404 not_found before any QR. */
export async function readKtpQrStatus(deps: Pick<Deps, 'db' | 'clock'>, resident: ResidentPrincipal): Promise<KtpQrStatus> {
  const [token] = await deps.db
    .select({ id: ktpTokens.id, expiresAt: ktpTokens.expiresAt, usedAt: ktpTokens.usedAt, revokedAt: ktpTokens.revokedAt, verifierName: verifiers.name })
    .from(ktpTokens)
    .leftJoin(verifiers, eq(verifiers.id, ktpTokens.usedBy))
    .where(eq(ktpTokens.accountId, resident.accountId))
    .orderBy(desc(ktpTokens.issuedAt))
    .limit(1);
  if (!token) throw new AppError('not_found');
  if (token.usedAt) {
    // Read along access_log_account_idx from the newest row (the redemption is among the account's last entries), so
    // the poll needs no index of its own and the redemption's insert maintains none more.
    const [entry] = await deps.db
      .select({ counter: accessLog.counter })
      .from(accessLog)
      .where(and(eq(accessLog.accountId, resident.accountId), eq(accessLog.tokenId, token.id), eq(accessLog.outcome, 'verified')))
      .orderBy(desc(accessLog.seq))
      .limit(1);
    return {
      status: 'used',
      usedAt: token.usedAt.toISOString(),
      ...(token.verifierName ? { verifier: { name: token.verifierName } } : {}),
      ...(entry?.counter ? { counter: entry.counter } : {}),
    };
  }
  if (token.revokedAt) return { status: 'revoked' };
  return { status: token.expiresAt.getTime() <= deps.clock.now().getTime() ? 'expired' : 'live' };
}
