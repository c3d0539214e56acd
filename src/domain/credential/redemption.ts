/**
 * A counter redeems a KTP or document token (POST /v1/verify): decode and check it in memory, then ONE prepared
 * statement authenticates the verifier, marks the token used (only if unused, unrevoked, unexpired, its holder
 * active, its document one the verifier may receive, and for a KTP token at least one element the verifier may see)
 * and writes the access-log row. Failures are classified and logged too, invalid tokens with no account; a token
 * refused for its document, for having nothing to disclose or because the holder blocked this institution stays
 * unused, for a counter that may receive it.
 *
 * Every attempt on a holder's token also writes the holder's per-scan notice (API.md Part 2) as an outbox draft, in
 * the same statement as its access-log row: no extra round trip, and no notice without its row or row without its
 * notice. The outbox worker renders drafts into e-mails (scan-notices.ts), with a fresh lock link each.
 */
import { sql, type SQL } from 'drizzle-orm';
import { sha256Hex } from '../../crypto/secrets.js';
import { decodeKtpToken, type KtpElement, type TokenDocument } from '../../crypto/token-codec.js';
import { preparedStatement } from '../../db/prepared.js';
import { newId, randomSecret } from '../../crypto/secrets.js';
import { accessLog, accounts, holderBlocks, ktpTokens, outbox, verifiers } from '../../db/schema/index.js';
import { districtOfAccount } from '../holder-district.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { KtpFields, RegistryResident } from '../../registry/port.js';
import { documentWithResident } from '../holder/documents.js';
import { zoneOfProvince, type IndonesianZone } from '../local-time.js';

/** How late a scan may arrive: the server's clock judges, with this much slack for scanning and sending. */
export const EXPIRY_TOLERANCE_MS = 2_000;

/** What the verifier middleware hands over: the key is authenticated inside the redemption statement itself. */
export interface VerifierCredential {
  apiKeyHash: string;
}

export type DisclosedResident = Partial<KtpFields>;

export interface DisclosedDocument {
  type: TokenDocument;
  number: string;
  issuedOn: string;
  fields: Record<string, unknown>;
}

export interface Verification {
  verifiedAt: string;
  /** Only for a document token; a KTP token's answer is as before documents existed. */
  document?: DisclosedDocument;
  resident: DisclosedResident;
  photo?: string;
}

type Outcome = 'expired' | 'already_used' | 'revoked' | 'account_inactive' | 'invalid' | 'not_allowed' | 'nothing_to_disclose' | 'refused';

const OUTCOME_ERROR = {
  expired: 'token_expired',
  already_used: 'token_already_used',
  revoked: 'token_revoked',
  account_inactive: 'account_inactive',
  invalid: 'token_invalid',
  not_allowed: 'document_not_allowed',
  nothing_to_disclose: 'nothing_to_disclose',
  refused: 'holder_refused',
} as const;

/**
 * The redemption statement, with named placeholders (apiKeyHash, tokenId, now, notBefore, counter, noticeId,
 * noticeKey). Exported so the bench's bare ceiling runs exactly this text (scripts/bench/ceiling.ts).
 */
export function redeemStatement(): SQL {
  const at = sql`${sql.placeholder('now')}::timestamptz`;
  return sql`with v as (
               select id, name, allowed_elements, allowed_documents from ${verifiers}
               where api_key_hash = ${sql.placeholder('apiKeyHash')} and status = 'active'
             ), r as (
               update ${ktpTokens} t set used_at = ${at}, used_by = v.id
               from v, ${accounts} a
               where t.id = ${sql.placeholder('tokenId')} and t.used_at is null and t.revoked_at is null
                 and t.expires_at > ${sql.placeholder('notBefore')}::timestamptz
                 and a.id = t.account_id and a.status = 'active' and (a.locked_until is null or a.locked_until <= ${at})
                 and t.document = any(v.allowed_documents)
                 and (t.document <> 'ktp' or t.elements && v.allowed_elements)
                 and not exists (select 1 from ${holderBlocks} b where b.account_id = t.account_id and b.verifier_id = v.id)
               returning t.id, t.account_id, a.nik, t.document, a.email, a.scan_notifications,
                 array(select e from unnest(t.elements) e where e = any(v.allowed_elements)) as disclosed
             ), logged as (
               insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter, document, holder_district)
               select ${at}, r.id, r.account_id, v.id, 'verified', r.disclosed, ${sql.placeholder('counter')}, r.document, substr(r.nik, 1, 6)
               from r, v
               returning seq
             ), notice as (
               ${scanNoticeDraft(sql`r.email`, sql`${sql.placeholder('noticeId')}`, sql`${sql.placeholder('noticeKey')}`, at)}
               from r, logged where r.scan_notifications
             )
             select v.id as verifier_id, v.name as verifier_name, r.account_id, r.nik, r.disclosed
             from v left join r on true`;
}

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
  }>(db, 'ktp_token_redeem', redeemStatement);
  const [row] = await redeem({
    apiKeyHash: input.verifier.apiKeyHash,
    tokenId: decoded.tokenId,
    // Timestamps as ISO text: drizzle turns off postgres.js's Date serializer for raw SQL.
    now: now.toISOString(),
    notBefore: new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString(),
    counter,
    ...noticeIds(),
  });
  if (!row) throw new AppError('verifier_unauthorized');
  if (!row.account_id || !row.nik || !row.disclosed) {
    const failure = await classifyFailure(deps, decoded.tokenId, input.verifier, now);
    await logFailure(deps, {
      verifier: input.verifier,
      tokenId: decoded.tokenId,
      accountId: failure.accountId,
      outcome: failure.outcome,
      counter,
      now,
      document: failure.accountId ? decoded.document : null,
    });
    throw new AppError(OUTCOME_ERROR[failure.outcome]);
  }

  const disclosed = row.disclosed as KtpElement[];
  deps.logger.debug('ktp token redeemed', { verifierId: row.verifier_id, accountId: row.account_id, elements: disclosed, document: decoded.document });
  return verificationOf(deps, { nik: row.nik, document: decoded.document, elements: disclosed, verifierName: row.verifier_name, now });
}

/**
 * The body of a successful verification, once the holder's consent is recorded (a redeemed QR token, or an approved and
 * collected counter request): the registry's data for `elements`, the document when one was consented to.
 */
export async function verificationOf(
  deps: Pick<Deps, 'registry' | 'photos'>,
  input: { nik: string; document: TokenDocument; elements: readonly KtpElement[]; verifierName: string; now: Date },
): Promise<Verification> {
  const { nik, now } = input;
  const stamp = { verifierName: input.verifierName, at: now, zone: zoneOfProvince(nik) };
  if (input.document === 'ktp') return { verifiedAt: now.toISOString(), ...(await disclose(deps, nik, input.elements, stamp)) };
  // The document as the registry has it now (the token was the holder's consent to show it), and the KTP elements
  // beside it from the same registry read.
  const found = await documentWithResident(deps.registry, nik, input.document);
  const document: DisclosedDocument = { type: found.document.type, number: found.document.number, issuedOn: found.document.issuedOn, fields: found.document.fields };
  return { verifiedAt: now.toISOString(), document, ...(await disclose(deps, nik, input.elements, stamp, found.resident)) };
}

/** Why the redemption statement changed nothing, from the token's and its holder's state right after it. */
async function classifyFailure(
  deps: Pick<Deps, 'db'>,
  tokenId: string,
  verifier: VerifierCredential,
  now: Date,
): Promise<{ outcome: Outcome; accountId: string | null }> {
  const [t] = await queryRows<{
    account_id: string;
    used: boolean;
    revoked: boolean;
    expired: boolean;
    holder_active: boolean;
    document_allowed: boolean;
    something_to_disclose: boolean;
    refused: boolean;
  }>(
    deps.db,
    sql`select t.account_id, t.used_at is not null as used, t.revoked_at is not null as revoked,
               t.expires_at <= ${new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString()}::timestamptz as expired,
               coalesce(a.status = 'active' and (a.locked_until is null or a.locked_until <= ${now.toISOString()}::timestamptz), false)
                 as holder_active,
               coalesce(t.document = any(v.allowed_documents), false) as document_allowed,
               coalesce(t.document <> 'ktp' or t.elements && v.allowed_elements, false) as something_to_disclose,
               exists (select 1 from ${holderBlocks} b where b.account_id = t.account_id and b.verifier_id = v.id) as refused
        from ${ktpTokens} t left join ${accounts} a on a.id = t.account_id
          left join ${verifiers} v on v.api_key_hash = ${verifier.apiKeyHash} and v.status = 'active'
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
          : !t.document_allowed
            ? 'not_allowed'
            : !t.something_to_disclose
              ? 'nothing_to_disclose'
              : t.refused
                ? 'refused' // the holder blocked this institution: the token stays unused, for another counter
                : 'already_used'; // nothing left to block it: another counter's redemption was in flight
  return { outcome, accountId: t.account_id };
}

/** Logs a refused attempt; the statement also authenticates the verifier (no row: 401, nothing logged). */
async function logFailure(
  deps: Pick<Deps, 'db'>,
  entry: {
    verifier: VerifierCredential;
    tokenId: string | null;
    accountId: string | null;
    outcome: Outcome;
    counter: string | null;
    now: Date;
    document?: TokenDocument | null;
  },
): Promise<void> {
  const at = sql`${entry.now.toISOString()}::timestamptz`;
  const ids = noticeIds();
  const logged = await queryRows<{ verifier_id: string }>(
    deps.db,
    sql`with logged as (
          insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter, document, holder_district)
          select ${at}, ${entry.tokenId}, ${entry.accountId}, id, ${entry.outcome}, '{}', ${entry.counter}, ${entry.document ?? null},
                 ${entry.accountId ? districtOfAccount(entry.accountId) : null}
          from ${verifiers} where api_key_hash = ${entry.verifier.apiKeyHash} and status = 'active'
          returning seq, verifier_id, account_id
        ), notice as (
          ${scanNoticeDraft(sql`a.email`, sql`${ids.noticeId}`, sql`${ids.noticeKey}`, at)}
          from logged join ${accounts} a on a.id = logged.account_id
          where a.scan_notifications and a.status <> 'deleted'
        )
        select verifier_id from logged`,
  );
  if (logged.length === 0) throw new AppError('verifier_unauthorized');
}

/** Fresh outbox ids for a notice: made per attempt (two random draws), used only when the statement writes one. */
export const noticeIds = () => ({ noticeId: newId('msg'), noticeKey: `ikd-${randomSecret(18)}` });

/**
 * The INSERT … SELECT head of a per-scan notice draft, for a CTE whose FROM supplies `logged.seq` (the access-log row)
 * and the holder's address. Subject and body are rendered later by the outbox worker (scan-notices.ts).
 */
export const scanNoticeDraft = (to: SQL, id: SQL, key: SQL, at: SQL) =>
  sql`insert into ${outbox} (id, idempotency_key, "to", subject, text, html, template, status, attempts, next_attempt_at, created_at, access_seq)
      select ${id}, ${key}, ${to}, '', '', '', 'scan_notice', 'draft', 0, ${at}, ${at}, logged.seq`;

/** The registry's data for the disclosed elements, and the stamped photo when 'photo' is one of them. */
async function disclose(
  deps: Pick<Deps, 'registry' | 'photos'>,
  nik: string,
  elements: readonly KtpElement[],
  stamp: { verifierName: string; at: Date; zone: IndonesianZone },
  /** The holder's registry record when the caller has read it already. */
  known?: RegistryResident,
): Promise<{ resident: DisclosedResident; photo?: string }> {
  const wants = new Set(elements);
  const [record, stamped] = await Promise.all([
    known ?? (elements.some((e) => e !== 'nik' && e !== 'photo') ? deps.registry.findResident(nik) : null),
    wants.has('photo') ? deps.photos.stamped(nik, () => deps.registry.residentPhoto(nik), stamp) : null,
  ]);
  const resident: DisclosedResident = {};
  for (const element of elements) {
    if (element === 'photo') continue;
    if (element === 'nik') resident.nik = nik;
    else if (record) resident[element] = record[element as Exclude<KtpElement, 'nik' | 'photo'>] as never;
  }
  return { resident, ...(stamped ? { photo: stamped } : {}) };
}

/** The key's hash, as the verifiers table stores it. */
export const verifierCredential = (apiKey: string): VerifierCredential => ({ apiKeyHash: sha256Hex(apiKey) });
