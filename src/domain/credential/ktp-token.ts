/** KTP digital (SOP step 6–7): PIN again → a QR token valid 90 s, single use; a new one revokes the earlier ones. */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { renderQrPngDataUrl, renderQrSvg } from '../../crypto/qr.js';
import { encodeKtpToken, KTP_ELEMENTS, type KtpElement, type TokenDocument } from '../../crypto/token-codec.js';
import { preparedStatement } from '../../db/prepared.js';
import { sha256Hex } from '../../crypto/secrets.js';
import { accounts, ktpTokens, rateLimits } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { liveResidentSession } from './login.js';
import { attemptSlotCondition, judgeAttempt, type PinAttemptSlot } from './pin-attempts.js';
import { rateLimitWindow } from '../limits/rate-limit.js';

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

/** A resident's bearer token as the QR route holds it before it is checked: its hash, checked inside issuance. */
export interface ResidentTokenCredential {
  accessTokenHash: string;
}

export const residentTokenCredential = (accessToken: string): ResidentTokenCredential => ({ accessTokenHash: sha256Hex(accessToken) });

/**
 * POST /v1/me/ktp/qr, in two round trips to the database. The first authenticates the session (the same conditions
 * as requireResident), counts the per-account rate limit and takes the PIN attempt slot (the slot only within the
 * limit); the PIN is then judged under that lock (a wrong one is 401 pin_invalid and counts); the second resets the
 * failure counter, revokes the account's earlier live tokens and stores the new one.
 *
 * The first commits synchronously, like every other write: a counted PIN attempt survives a database crash. The
 * second commits asynchronously (PostgreSQL's per-transaction synchronous_commit = off): it returns before its WAL
 * is flushed, and only a crash of PostgreSQL or its machine within wal_writer_delay (200 ms; 3× that at worst) loses it,
 * whole, never half. What such a loss costs is bounded and fails closed: the new QR does not redeem (409) and the
 * resident makes another; the counter reset is lost, so the account counts one attempt more than it should; an
 * earlier token stays unrevoked for the rest of its 90 s. A redemption commits synchronously, which flushes all WAL
 * before it, so a token that was redeemed was stored durably. On a 2-core machine the flush wait was 0.12 ms of
 * PostgreSQL CPU and ~7 % of issuance throughput (docs/performance.md).
 */
export async function issueKtpToken(
  deps: Deps,
  input: {
    credential: ResidentTokenCredential;
    pin: string;
    elements?: readonly KtpElement[];
    format?: QrFormat;
    /** A document QR (POST /v1/me/documents/{type}/qr); the caller has checked that the holder has it. */
    document?: TokenDocument;
  },
): Promise<IssuedKtpToken> {
  const { db, clock, keys } = deps;
  const now = clock.now();
  const attempt = preparedStatement<{ account_id: string; hits: number | null } & Partial<PinAttemptSlot>>(db, 'ktp_issue_attempt', () => {
    const moment = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`with session as (
                 select s.account_id from ${liveResidentSession(sql`${sql.placeholder('tokenHash')}`, moment)}
               ), hit as (
                 insert into ${rateLimits} (key, window_start, count)
                 select 'qr:account:' || account_id, ${sql.placeholder('windowStart')}::timestamptz, 1 from session
                 on conflict (key, window_start) do update set count = ${rateLimits.count} + 1
                 returning count
               ), slot as (
                 update ${accounts} set pin_failures = pin_failures + 1, updated_at = ${moment}
                 where id = (select account_id from session) and ${attemptSlotCondition(moment)}
                   and (select count from hit) <= ${QR_RATE_LIMIT.limit}
                 returning pin_hash, pin_failures, lock_count
               )
               select session.account_id, hit.count as hits, slot.pin_hash, slot.pin_failures, slot.lock_count
               from session left join hit on true left join slot on true`;
  });
  const { windowStart, retryAfter } = rateLimitWindow(QR_RATE_LIMIT, now);
  const [row] = await attempt({ tokenHash: input.credential.accessTokenHash, windowStart: windowStart.toISOString(), now: now.toISOString() });
  // No live session: nothing was counted. Over the per-account limit: 429, and no attempt was taken.
  if (!row) throw new AppError('unauthorized');
  if (Number(row.hits ?? 0) > QR_RATE_LIMIT.limit) throw new AppError('rate_limited', { retryAfter });
  const accountId = row.account_id;
  const slot = row.pin_hash ? { pin_hash: row.pin_hash, pin_failures: Number(row.pin_failures), lock_count: Number(row.lock_count) } : undefined;
  await judgeAttempt(deps, { accountId, pin: input.pin, wrongPin: 'pin_invalid', resetOnSuccess: false }, slot, now);

  const elements = KTP_ELEMENTS.filter((e) => (input.elements ?? KTP_ELEMENTS).includes(e));
  const tokenId = randomBytes(12);
  // Whole seconds (the envelope's expiry is uint32 seconds), never longer than 90 s.
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + KTP_TOKEN_TTL_SECONDS) * 1000);
  const document = input.document ?? 'ktp';
  const { token, kid } = encodeKtpToken(keys, { tokenId, elements, expiresAt, document });

  const store = preparedStatement(db, 'ktp_token_issue', () => {
    const account = sql.placeholder('accountId');
    const at = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`with reset as (
                 update ${accounts} set pin_failures = 0 where id = ${account} and pin_failures <> 0
               ), revoked as (
                 -- A live token was issued within its lifetime (expires_at <= issued_at + TTL): the issued_at bound keeps
                 -- this a short range of ktp_tokens_account_idx instead of every token the account ever had.
                 update ${ktpTokens} set revoked_at = ${at}
                 where account_id = ${account} and issued_at > ${at} - ${sql.raw(`interval '${KTP_TOKEN_TTL_SECONDS} seconds'`)}
                   and used_at is null and revoked_at is null and expires_at > ${at}
               ), stored as (
                 insert into ${ktpTokens} (id, account_id, kid, elements, document, issued_at, expires_at)
                 values (${sql.placeholder('id')}, ${account}, ${sql.placeholder('kid')}, ${sql.placeholder('elements')}::text[],
                         ${sql.placeholder('document')}, ${at}, ${sql.placeholder('expiresAt')}::timestamptz)
               )
               -- This transaction only (is_local): commit without waiting for the WAL flush. See the function's comment.
               select set_config('synchronous_commit', 'off', true)`;
  });
  // The elements as an array literal: they come from the fixed KTP_ELEMENTS list, so no quoting is needed.
  // Timestamps as ISO text: drizzle turns off postgres.js's Date serializer for raw SQL.
  await store({ accountId, now: now.toISOString(), id: tokenId.toString('hex'), kid, elements: `{${elements.join(',')}}`, document, expiresAt: expiresAt.toISOString() });

  const format = input.format ?? 'svg';
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    ttlSeconds: KTP_TOKEN_TTL_SECONDS,
    ...(format === 'svg' ? { svg: renderQrSvg(token) } : {}),
    ...(format === 'png' ? { png: await renderQrPngDataUrl(token) } : {}),
  };
}
