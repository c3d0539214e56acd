/** KTP digital (SOP step 6–7): PIN again → a QR token valid 90 s, single use; a new one revokes the earlier ones. */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { renderQrPngDataUrl, renderQrSvg } from '../crypto/qr.js';
import { encodeKtpToken, KTP_ELEMENTS, type KtpElement } from '../crypto/token-codec.js';
import { preparedStatement } from '../db/prepared.js';
import { accounts, ktpTokens } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { judgePin } from './pin-attempts.js';
import type { ResidentPrincipal } from './login.js';

export const KTP_TOKEN_TTL_SECONDS = 90;
/** Per account: each issuance costs an argon2 verify, so a live session cannot turn into a CPU sink. */
export const QR_RATE_LIMIT = { limit: 30, windowSeconds: 60 } as const;

export type QrFormat = 'svg' | 'png' | 'none';

export interface IssuedKtpToken {
  token: string;
  expiresAt: string;
  ttlSeconds: typeof KTP_TOKEN_TTL_SECONDS;
  svg?: string;
  png?: string;
}

/**
 * POST /v1/me/ktp/qr. The PIN is judged under the lock (a wrong one is 401 pin_invalid and counts); then ONE
 * statement resets the failure counter, revokes the account's earlier live tokens and stores the new one.
 */
export async function issueKtpToken(
  deps: Deps,
  input: { resident: ResidentPrincipal; pin: string; elements?: readonly KtpElement[]; format?: QrFormat },
): Promise<IssuedKtpToken> {
  const { db, clock, keys } = deps;
  const now = clock.now();
  const accountId = input.resident.accountId;
  // The rate-limit hit rides in the statement that takes the PIN attempt: one round trip fewer on the hot path.
  await judgePin(deps, {
    accountId,
    pin: input.pin,
    wrongPin: 'pin_invalid',
    resetOnSuccess: false,
    rateLimit: { key: `qr:account:${accountId}`, ...QR_RATE_LIMIT },
  });

  const elements = KTP_ELEMENTS.filter((e) => (input.elements ?? KTP_ELEMENTS).includes(e));
  const tokenId = randomBytes(12);
  // Whole seconds (the envelope's expiry is uint32 seconds), never longer than 90 s.
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + KTP_TOKEN_TTL_SECONDS) * 1000);
  const { token, kid } = encodeKtpToken(keys, { tokenId, elements, expiresAt });

  const store = preparedStatement(db, 'ktp_token_issue', () => {
    const account = sql.placeholder('accountId');
    const at = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`with reset as (
                 update ${accounts} set pin_failures = 0 where id = ${account} and pin_failures <> 0
               ), revoked as (
                 update ${ktpTokens} set revoked_at = ${at}
                 where account_id = ${account} and used_at is null and revoked_at is null and expires_at > ${at}
               )
               insert into ${ktpTokens} (id, account_id, kid, elements, issued_at, expires_at)
               values (${sql.placeholder('id')}, ${account}, ${sql.placeholder('kid')}, ${sql.placeholder('elements')}::text[],
                       ${at}, ${sql.placeholder('expiresAt')}::timestamptz)`;
  });
  // The elements as an array literal: they come from the fixed KTP_ELEMENTS list, so no quoting is needed.
  // Timestamps as ISO text: drizzle turns off postgres.js's Date serializer for raw SQL.
  await store({ accountId, now: now.toISOString(), id: tokenId.toString('hex'), kid, elements: `{${elements.join(',')}}`, expiresAt: expiresAt.toISOString() });

  const format = input.format ?? 'svg';
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    ttlSeconds: KTP_TOKEN_TTL_SECONDS,
    ...(format === 'svg' ? { svg: renderQrSvg(token) } : {}),
    ...(format === 'png' ? { png: await renderQrPngDataUrl(token) } : {}),
  };
}
