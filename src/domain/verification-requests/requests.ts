/**
 * Pindai at a counter (API.md Part 2): the counter opens a request naming who asks for what (its QR, 5 minutes); the
 * holder scans it in the app, sees the verifier and the elements, and approves it with the PIN (sharing all or fewer of
 * the elements) or denies it; the counter polls and receives the result exactly once, through the same disclosure code
 * as a redeemed QR (verificationOf).
 *
 * Binding: a request names no holder when opened (the counter does not know who will scan it). The first holder to
 * decide binds it; from then on it is 404 for every other holder.
 *
 * The access-log row and the per-scan notice of an approval are written with the COLLECT, in the one statement that
 * marks the request collected (like a QR redemption marks its token used): that is the moment data leaves for the
 * counter, so the history never shows a "verified" row for an approval the counter never collected (it expired), and
 * there is never a collect without its row and notice. A refusal because the holder blocked the verifier is logged at
 * the decision (outcome refused, with its notice), as a refused QR scan is.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { renderQrSvg } from '../../crypto/qr.js';
import { randomSecret } from '../../crypto/secrets.js';
import type { KtpElement, TokenDocument } from '../../crypto/token-codec.js';
import { districtOfAccount } from '../holder-district.js';
import { accessLog, accounts, holderBlocks, verificationRequests, verifiers } from '../../db/schema/index.js';
import { preparedStatement } from '../../db/prepared.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { judgePin } from '../credential/pin-attempts.js';
import { noticeIds, scanNoticeDraft, verificationOf, type VerifierCredential, type Verification } from '../credential/redemption.js';
import { PIN_ACTION_RATE_LIMIT } from '../holder/resident.js';
import { enforceRateLimits } from '../limits/rate-limit.js';
import { findVerifierByKey } from '../verifiers/verifiers.js';

export const VERIFICATION_REQUEST_TTL_MS = 5 * 60_000;
/** Opening requests writes rows: per verifier. */
export const OPEN_RATE_LIMIT = { limit: 120, windowSeconds: 60 } as const;

const ID = /^[A-Za-z0-9_-]{22}$/;

export interface OpenedRequest {
  id: string;
  qr: string;
  svg: string;
  expiresAt: string;
}

/** POST /v1/verification-requests: elements default to the verifier's allowance; anything beyond it is refused. */
export async function openVerificationRequest(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { verifier: VerifierCredential; elements?: readonly KtpElement[]; document?: TokenDocument; counter?: string },
): Promise<OpenedRequest> {
  const verifier = await findVerifierByKey(deps, input.verifier);
  if (!verifier) throw new AppError('verifier_unauthorized');
  const allowed = verifier.allowedElements as readonly string[];
  const elements = [...new Set(input.elements ?? (verifier.allowedElements as KtpElement[]))];
  const outside = elements.filter((e) => !allowed.includes(e));
  if (outside.length > 0) throw new AppError('elements_not_allowed', { detail: `Not allowed for this verifier: ${outside.join(', ')}` });
  const document = input.document && input.document !== 'ktp' ? input.document : null;
  if (document && !(verifier.allowedDocuments as readonly string[]).includes(document)) throw new AppError('document_not_allowed');
  if (elements.length === 0 && !document) throw new AppError('nothing_to_disclose');

  const now = deps.clock.now();
  await enforceRateLimits(deps.db, [{ key: `verification-request:verifier:${verifier.id}`, ...OPEN_RATE_LIMIT }], now);
  const id = randomSecret(16); // 128 random bits
  const expiresAt = new Date(now.getTime() + VERIFICATION_REQUEST_TTL_MS);
  await deps.db.insert(verificationRequests).values({
    id,
    verifierId: verifier.id,
    elements,
    document,
    counter: input.counter ?? null,
    status: 'pending',
    createdAt: now,
    expiresAt,
  });
  const qr = `${deps.config.publicBaseUrl}/app#pindai=verify.${id}`;
  return { id, qr, svg: renderQrSvg(qr), expiresAt: expiresAt.toISOString() };
}

type RequestRow = {
  id: string;
  verifier_id: string;
  verifier_name: string;
  elements: string[];
  document: string | null;
  counter: string | null;
  status: 'pending' | 'approved' | 'denied';
  account_id: string | null;
  collected_at: string | Date | null;
  expires_at: string | Date;
};

async function requestById(deps: Pick<Deps, 'db'>, id: string): Promise<RequestRow | null> {
  if (!ID.test(id)) return null;
  const [row] = await queryRows<RequestRow>(
    deps.db,
    sql`select q.id, q.verifier_id, v.name as verifier_name, q.elements, q.document, q.counter, q.status, q.account_id,
               q.collected_at, q.expires_at
        from ${verificationRequests} q join ${verifiers} v on v.id = q.verifier_id and v.status = 'active'
        where q.id = ${id}`,
  );
  return row ?? null;
}

const isExpired = (row: Pick<RequestRow, 'expires_at'>, now: Date) => new Date(row.expires_at) <= now;

export interface HolderRequestView {
  verifier: { id: string; name: string };
  counter?: string;
  elements: string[];
  document?: string;
  expiresAt: string;
  status: 'pending' | 'approved' | 'denied';
  /** The holder blocked this institution: approving is refused (holder_refused). */
  blocked: boolean;
}

/** The request as the holder may see it: 404 unknown or bound to another holder, 410 expired. */
async function holderRequest(deps: Pick<Deps, 'db' | 'clock'>, resident: ResidentPrincipal, id: string, now: Date): Promise<RequestRow> {
  const row = await requestById(deps, id);
  if (!row || (row.account_id !== null && row.account_id !== resident.accountId)) throw new AppError('not_found');
  if (isExpired(row, now)) throw new AppError('request_expired');
  return row;
}

const isBlocked = async (deps: Pick<Deps, 'db'>, accountId: string, verifierId: string) =>
  (await queryRows(deps.db, sql`select 1 as one from ${holderBlocks} where account_id = ${accountId} and verifier_id = ${verifierId}`)).length > 0;

/** GET /v1/me/verification-requests/{id}: who asks for what, before the holder decides. */
export async function readVerificationRequest(deps: Pick<Deps, 'db' | 'clock'>, input: { resident: ResidentPrincipal; id: string }): Promise<HolderRequestView> {
  const row = await holderRequest(deps, input.resident, input.id, deps.clock.now());
  return {
    verifier: { id: row.verifier_id, name: row.verifier_name },
    ...(row.counter ? { counter: row.counter } : {}),
    elements: row.elements,
    ...(row.document ? { document: row.document } : {}),
    expiresAt: new Date(row.expires_at).toISOString(),
    status: row.status,
    blocked: await isBlocked(deps, input.resident.accountId, row.verifier_id),
  };
}

/**
 * POST /v1/me/verification-requests/{id} { decision, pin?, elements? }. Decided once (409 conflict after). Approval: the
 * holder's account must be active, the PIN is judged under the same lock as login (401 pin_invalid, counted), and the
 * shared elements must be a subset of those asked. A blocked verifier: 403 holder_refused, the request denied, logged.
 */
export async function decideVerificationRequest(
  deps: Pick<Deps, 'db' | 'clock' | 'pins' | 'logger'>,
  input: { resident: ResidentPrincipal; id: string; decision: 'approve' | 'deny'; pin?: string; elements?: readonly string[] },
): Promise<{ status: 'approved' | 'denied' }> {
  const now = deps.clock.now();
  const accountId = input.resident.accountId;
  const row = await holderRequest(deps, input.resident, input.id, now);
  if (row.status !== 'pending') throw new AppError('conflict', { detail: `This request was ${row.status} already.` });

  const settle = (status: 'approved' | 'denied', shared: string[] | null, refused: boolean) =>
    deps.db.transaction(async (tx) => {
      const updated = await tx
        .update(verificationRequests)
        .set({ status, accountId, sharedElements: shared, decidedAt: now })
        .where(
          and(
            eq(verificationRequests.id, row.id),
            eq(verificationRequests.status, 'pending'),
            isNull(verificationRequests.accountId),
            sql`${verificationRequests.expiresAt} > ${now.toISOString()}::timestamptz`,
          ),
        )
        .returning({ id: verificationRequests.id });
      if (updated.length === 0) return false;
      if (refused) {
        // As a refused QR scan: the access-log row and, when the holder has notices on, its notice.
        const at = sql`${now.toISOString()}::timestamptz`;
        const ids = noticeIds();
        await queryRows(
          tx,
          sql`with logged as (
                insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter, document, holder_district)
                values (${at}, null, ${accountId}, ${row.verifier_id}, 'refused', '{}', ${row.counter}, ${row.document ?? 'ktp'},
                        ${districtOfAccount(accountId)})
                returning seq, account_id
              ), notice as (
                ${scanNoticeDraft(sql`a.email`, sql`${ids.noticeId}`, sql`${ids.noticeKey}`, at)}
                from logged join ${accounts} a on a.id = logged.account_id
                where a.scan_notifications and a.status <> 'deleted'
              )
              select seq from logged`,
        );
      }
      return true;
    });

  if (input.decision === 'deny') {
    if (!(await settle('denied', null, false))) throw new AppError('conflict');
    return { status: 'denied' };
  }

  const shared = input.elements === undefined ? row.elements : [...new Set(input.elements)];
  const extra = shared.filter((e) => !row.elements.includes(e));
  if (extra.length > 0) {
    throw new AppError('invalid_request', { errors: [{ path: 'elements', message: `not asked for by this counter: ${extra.join(', ').slice(0, 200)}` }] });
  }
  if (shared.length === 0 && !row.document) throw new AppError('invalid_request', { errors: [{ path: 'elements', message: 'share at least one element' }] });
  if (!input.pin) throw new AppError('invalid_request', { errors: [{ path: 'pin', message: 'approval needs the PIN' }] });

  const [account] = await deps.db.select({ status: accounts.status }).from(accounts).where(eq(accounts.id, accountId));
  if (!account || account.status !== 'active') {
    throw new AppError(account?.status === 'suspended' ? 'account_suspended' : account?.status === 'self_locked' ? 'account_self_locked' : 'account_inactive');
  }
  await enforceRateLimits(deps.db, [{ key: `pin:account:${accountId}`, ...PIN_ACTION_RATE_LIMIT }], now);
  if (await isBlocked(deps, accountId, row.verifier_id)) {
    await settle('denied', null, true);
    throw new AppError('holder_refused');
  }
  // The same attempt counter and lockout as login and QR issuance (423 account_locked once locked).
  await judgePin(deps, { accountId, pin: input.pin, wrongPin: 'pin_invalid' });
  if (!(await settle('approved', shared, false))) throw new AppError('conflict');
  deps.logger.info('verification request approved', { accountId, verifierId: row.verifier_id, elements: shared });
  return { status: 'approved' };
}

export type CounterStatus = { status: 'pending' | 'denied' } | ({ status: 'approved' } & Verification);

type CollectRow = {
  verifier_id: string;
  verifier_name: string;
  account_id: string | null;
  nik: string | null;
  disclosed: string[] | null;
  document: string | null;
};

/**
 * The collect, one statement: the verifier by its key; the request marked collected if approved, uncollected,
 * unexpired, the holder active and not blocking it; the access-log row and the notice draft with it. Exported so
 * `npm run bench`'s ceiling runs exactly this statement (scripts/bench/ceiling.ts).
 */
/**
 * The collect statement with named placeholders (apiKeyHash, id, at, noticeId, noticeKey): run as a named prepared
 * statement (parsed and planned once per connection; its CTEs cost more to plan than to run), and rendered by the
 * bench's ceiling from this same builder.
 */
export function collectStatement() {
  const at = sql`${sql.placeholder('at')}::timestamptz`;
  const id = sql.placeholder('id');
  return sql`with v as (
      select id, name, allowed_elements, allowed_documents from ${verifiers}
      where api_key_hash = ${sql.placeholder('apiKeyHash')} and status = 'active'
    ), r as (
      update ${verificationRequests} q set collected_at = ${at}
      from v, ${accounts} a
      where q.id = ${id} and q.verifier_id = v.id and q.status = 'approved' and q.collected_at is null
        and q.expires_at > ${at}
        and a.id = q.account_id and a.status = 'active' and (a.locked_until is null or a.locked_until <= ${at})
        and (q.document is null or q.document = any(v.allowed_documents))
        and not exists (select 1 from ${holderBlocks} b where b.account_id = q.account_id and b.verifier_id = v.id)
      returning q.id, q.account_id, a.nik, a.email, a.scan_notifications, q.document, q.counter,
        array(select e from unnest(q.shared_elements) e where e = any(v.allowed_elements)) as disclosed
    ), logged as (
      insert into ${accessLog} (at, token_id, account_id, verifier_id, outcome, elements, counter, document, holder_district)
      select ${at}, null, r.account_id, v.id, 'verified', r.disclosed, r.counter, coalesce(r.document, 'ktp'), substr(r.nik, 1, 6)
      from r, v
      returning seq
    ), notice as (
      ${scanNoticeDraft(sql`r.email`, sql`${sql.placeholder('noticeId')}`, sql`${sql.placeholder('noticeKey')}`, at)}
      from r, logged where r.scan_notifications
    )
    select v.id as verifier_id, v.name as verifier_name, r.account_id, r.nik, r.disclosed, r.document
    from v left join r on true`;
}

/**
 * GET /v1/verification-requests/{id} for the counter that opened it. The collect is one statement: it marks the
 * request collected only if approved, uncollected, unexpired, the holder still active and not blocking this verifier,
 * and writes the access-log row and the notice draft with it; two concurrent GETs: one gets the result, the other 410.
 */
export async function collectVerificationRequest(
  deps: Pick<Deps, 'db' | 'clock' | 'registry' | 'photos' | 'logger'>,
  input: { verifier: VerifierCredential; id: string },
): Promise<CounterStatus> {
  const now = deps.clock.now();
  const at = sql`${now.toISOString()}::timestamptz`;
  const ids = noticeIds();
  const id = ID.test(input.id) ? input.id : '';
  const collect = preparedStatement<CollectRow>(deps.db, 'verification_request_collect', collectStatement);
  const [row] = await collect({ apiKeyHash: input.verifier.apiKeyHash, id, at: now.toISOString(), ...ids });
  if (!row) throw new AppError('verifier_unauthorized');
  if (row.account_id && row.nik && row.disclosed) {
    deps.logger.debug('verification request collected', { verifierId: row.verifier_id, accountId: row.account_id });
    const verification = await verificationOf(deps, {
      nik: row.nik,
      document: (row.document ?? 'ktp') as TokenDocument,
      elements: row.disclosed as KtpElement[],
      verifierName: row.verifier_name,
      now,
    });
    return { status: 'approved', ...verification };
  }

  // Nothing collected: why, from the request's state right after the statement.
  const [q] = await queryRows<{
    status: 'pending' | 'approved' | 'denied';
    collected: boolean;
    expired: boolean;
    holder_active: boolean;
    refused: boolean;
  }>(
    deps.db,
    sql`select q.status, q.collected_at is not null as collected, q.expires_at <= ${at} as expired,
               coalesce(a.status = 'active' and (a.locked_until is null or a.locked_until <= ${at}), false) as holder_active,
               exists (select 1 from ${holderBlocks} b where b.account_id = q.account_id and b.verifier_id = q.verifier_id) as refused
        from ${verificationRequests} q left join ${accounts} a on a.id = q.account_id
        where q.id = ${id} and q.verifier_id = ${row.verifier_id}`,
  );
  if (!q) throw new AppError('not_found');
  if (q.expired || q.collected) throw new AppError('request_expired');
  if (q.status === 'pending' || q.status === 'denied') return { status: q.status };
  if (!q.holder_active) throw new AppError('account_inactive');
  if (q.refused) throw new AppError('holder_refused');
  throw new AppError('document_not_allowed');
}
