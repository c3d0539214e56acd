/**
 * A counter redeems a KTP token (POST /v1/verify): decode and check it in memory, then ONE prepared statement
 * authenticates the verifier, marks the token used (only if unused, unrevoked, unexpired, its holder active) and
 * writes the access-log row. Failures are classified and logged too, invalid tokens with no account.
 */
import { sql } from 'drizzle-orm';
import { sha256Hex } from '../../crypto/secrets.js';
import { decodeKtpToken, type KtpElement } from '../../crypto/token-codec.js';
import { preparedStatement } from '../../db/prepared.js';
import { accessLog, accounts, ktpTokens, verifiers } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { KtpFields } from '../../registry/port.js';
import { stampedPhotoDataUrl } from './photo.js';

/** How late a scan may arrive: the server's clock judges, with this much slack for scanning and sending. */
export const EXPIRY_TOLERANCE_MS = 2_000;

/** What the verifier middleware hands over: the key is authenticated inside the redemption statement itself. */
export interface VerifierCredential {
  apiKeyHash: string;
}

export type DisclosedResident = Partial<KtpFields>;

export interface Verification {
  verifiedAt: string;
  resident: DisclosedResident;
  photo?: string;
}

type Outcome = 'expired' | 'already_used' | 'revoked' | 'account_inactive' | 'invalid';

const OUTCOME_ERROR = {
  expired: 'token_expired',
  already_used: 'token_already_used',
  revoked: 'token_revoked',
  account_inactive: 'account_inactive',
  invalid: 'token_invalid',
} as const;

export async function redeemKtpToken(
  deps: Deps,
  input: { verifier: VerifierCredential; token: unknown; counter?: string },
): Promise<Verification> {
  const { db, clock, keys } = deps;
  const now = clock.now();
  const counter = input.counter ?? null;
  const decoded = decodeKtpToken(keys, input.token);
  if (!decoded.ok) {
    await logFailure(deps, { verifier: input.verifier, tokenId: null, accountId: null, outcome: 'invalid', counter, now });
    throw new AppError('token_invalid');
  }

  const redeem = preparedStatement<{
    verifier_id: string;
    verifier_name: string;
    account_id: string | null;
    nik: string | null;
    disclosed: string[] | null;
  }>(db, 'ktp_token_redeem', () => {
    const at = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`with v as (
                 select id, name, allowed_elements from ${verifiers}
                 where api_key_hash = ${sql.placeholder('apiKeyHash')} and status = 'active'
               ), r as (
                 update ${ktpTokens} t set used_at = ${at}, used_by = v.id
                 from v, ${accounts} a
                 where t.id = ${sql.placeholder('tokenId')} and t.used_at is null and t.revoked_at is null
                   and t.expires_at > ${sql.placeholder('notBefore')}::timestamptz
                   and a.id = t.account_id and a.status = 'active' and (a.locked_until is null or a.locked_until <= ${at})
                 returning t.id, t.account_id, a.nik,
                   array(select e from unnest(t.elements) e where e = any(v.allowed_elements)) as disclosed
               ), logged as (
                 insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter)
                 select ${at}, r.id, r.account_id, v.id, 'verified', r.disclosed, ${sql.placeholder('counter')} from r, v
               )
               select v.id as verifier_id, v.name as verifier_name, r.account_id, r.nik, r.disclosed
               from v left join r on true`;
  });
  const [row] = await redeem({
    apiKeyHash: input.verifier.apiKeyHash,
    tokenId: decoded.tokenId,
    // Timestamps as ISO text: drizzle turns off postgres.js's Date serializer for raw SQL.
    now: now.toISOString(),
    notBefore: new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString(),
    counter,
  });
  if (!row) throw new AppError('verifier_unauthorized');
  if (!row.account_id || !row.nik || !row.disclosed) {
    const failure = await classifyFailure(deps, decoded.tokenId, now);
    await logFailure(deps, { verifier: input.verifier, tokenId: decoded.tokenId, accountId: failure.accountId, outcome: failure.outcome, counter, now });
    throw new AppError(OUTCOME_ERROR[failure.outcome]);
  }

  const disclosed = row.disclosed as KtpElement[];
  deps.logger.debug('ktp token redeemed', { verifierId: row.verifier_id, accountId: row.account_id, elements: disclosed });
  return {
    verifiedAt: now.toISOString(),
    ...(await disclose(deps, row.nik, disclosed, { verifierName: row.verifier_name, at: now })),
  };
}

/** Why the redemption statement changed nothing, from the token's and its holder's state right after it. */
async function classifyFailure(deps: Pick<Deps, 'db'>, tokenId: string, now: Date): Promise<{ outcome: Outcome; accountId: string | null }> {
  const [t] = await queryRows<{ account_id: string; used: boolean; revoked: boolean; expired: boolean; holder_active: boolean }>(
    deps.db,
    sql`select t.account_id, t.used_at is not null as used, t.revoked_at is not null as revoked,
               t.expires_at <= ${new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString()}::timestamptz as expired,
               coalesce(a.status = 'active' and (a.locked_until is null or a.locked_until <= ${now.toISOString()}::timestamptz), false)
                 as holder_active
        from ${ktpTokens} t left join ${accounts} a on a.id = t.account_id
        where t.id = ${tokenId}`,
  );
  // Signed by us but unknown to the database (issued elsewhere, or the row is gone): not a token we can honour.
  if (!t) return { outcome: 'invalid', accountId: null };
  const outcome: Outcome = t.used
    ? 'already_used'
    : t.revoked
      ? 'revoked'
      : t.expired
        ? 'expired'
        : !t.holder_active
          ? 'account_inactive'
          : 'already_used'; // nothing left to block it: another counter's redemption was in flight
  return { outcome, accountId: t.account_id };
}

/** Logs a refused attempt; the statement also authenticates the verifier (no row: 401, nothing logged). */
async function logFailure(
  deps: Pick<Deps, 'db'>,
  entry: { verifier: VerifierCredential; tokenId: string | null; accountId: string | null; outcome: Outcome; counter: string | null; now: Date },
): Promise<void> {
  const logged = await queryRows<{ verifier_id: string }>(
    deps.db,
    sql`insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter)
        select ${entry.now.toISOString()}::timestamptz, ${entry.tokenId}, ${entry.accountId}, id, ${entry.outcome}, '{}', ${entry.counter}
        from ${verifiers} where api_key_hash = ${entry.verifier.apiKeyHash} and status = 'active'
        returning verifier_id`,
  );
  if (logged.length === 0) throw new AppError('verifier_unauthorized');
}

/** The registry's data for the disclosed elements, and the stamped photo when 'photo' is one of them. */
async function disclose(
  deps: Pick<Deps, 'registry'>,
  nik: string,
  elements: readonly KtpElement[],
  stamp: { verifierName: string; at: Date },
): Promise<{ resident: DisclosedResident; photo?: string }> {
  const wants = new Set(elements);
  const [record, photo] = await Promise.all([
    elements.some((e) => e !== 'nik' && e !== 'photo') ? deps.registry.findResident(nik) : null,
    wants.has('photo') ? deps.registry.residentPhoto(nik) : null,
  ]);
  const resident: DisclosedResident = {};
  for (const element of elements) {
    if (element === 'photo') continue;
    if (element === 'nik') resident.nik = nik;
    else if (record) resident[element] = record[element as Exclude<KtpElement, 'nik' | 'photo'>] as never;
  }
  const stamped = photo ? stampedPhotoDataUrl(photo, stamp) : null;
  return { resident, ...(stamped ? { photo: stamped } : {}) };
}

/** The key's hash, as the verifiers table stores it. */
export const verifierCredential = (apiKey: string): VerifierCredential => ({ apiKeyHash: sha256Hex(apiKey) });
