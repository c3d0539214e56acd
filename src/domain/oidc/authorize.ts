/**
 * The cross-device authorization request of Masuk dengan IKD: /oidc/authorize checks the client and the request and
 * opens a request of 5 minutes (its QR); the holder approves it with the PIN (or denies it) in the IKD app; the page
 * that opened it, and only that browser (a cookie), learns the decision and gets the code to redirect with.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { districtOfAccount } from '../holder-district.js';
import { accessLog, accounts, holderBlocks, oidcAuthorizations, oidcClients } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { judgePin } from '../credential/pin-attempts.js';
import { noticeIds, scanNoticeDraft } from '../credential/redemption.js';
import { PIN_ACTION_RATE_LIMIT } from '../holder/resident.js';
import { enforceRateLimits } from '../limits/rate-limit.js';
import { claimsOfScopes, elementsOfScopes, isOidcScope } from './claims.js';
import { findActiveClient } from './clients.js';
import type { OAuthErrorCode } from './oauth-error.js';

export const AUTHORIZATION_REQUEST_TTL_MS = 5 * 60_000;
export const CODE_TTL_MS = 60_000;
/** Opening authorization requests writes rows: per client IP. */
export const AUTHORIZE_RATE_LIMIT = { limit: 60, windowSeconds: 60 } as const;

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_PARAM = 512;

/** The query of GET /oidc/authorize, as sent. */
export type AuthorizeParams = Record<string, string | undefined>;

export type AuthorizeOutcome =
  /** 400 page, never a redirect: the redirect URI cannot be trusted. */
  | { kind: 'error_page'; reason: 'unknown_client' | 'redirect_uri' }
  | { kind: 'redirect'; location: string }
  | { kind: 'page'; id: string; clientName: string; scopes: string[]; expiresAt: Date };

/** redirect_uri?error=…&state=…&iss=… (RFC 6749 §4.1.2.1, RFC 9207). */
export function errorRedirect(redirectUri: string, issuer: string, error: OAuthErrorCode, description: string, state: string | null | undefined): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (state) url.searchParams.set('state', state);
  url.searchParams.set('iss', issuer);
  return url.toString();
}

/** GET /oidc/authorize: the checks in the order OAuth wants them, then a pending request bound to `browserSecret`. */
export async function startAuthorization(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { params: AuthorizeParams; browserSecret: string; ip: string },
): Promise<AuthorizeOutcome> {
  const p = input.params;
  const issuer = deps.config.publicBaseUrl;
  const client = await findActiveClient(deps, p.client_id);
  if (!client) return { kind: 'error_page', reason: 'unknown_client' };
  // Exact string match (no prefix, no normalisation): OAuth 2.0 Security BCP §4.1.
  if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri)) return { kind: 'error_page', reason: 'redirect_uri' };
  const fail = (error: OAuthErrorCode, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    location: errorRedirect(p.redirect_uri!, issuer, error, description, p.state && p.state.length <= MAX_PARAM ? p.state : undefined),
  });

  if (p.request !== undefined) return fail('request_not_supported', 'request objects are not supported');
  if (p.request_uri !== undefined) return fail('request_uri_not_supported', 'request_uri is not supported');
  if (p.response_type !== 'code') return fail('unsupported_response_type', 'only response_type=code');
  if (p.response_mode !== undefined && p.response_mode !== 'query') return fail('invalid_request', 'only response_mode=query');
  if (!p.code_challenge || p.code_challenge_method !== 'S256') return fail('invalid_request', 'PKCE with code_challenge_method=S256 is required');
  if (!CODE_CHALLENGE.test(p.code_challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  if ((p.state?.length ?? 0) > MAX_PARAM || (p.nonce?.length ?? 0) > MAX_PARAM) return fail('invalid_request', 'state or nonce too long');
  const asked = [...new Set((p.scope ?? '').split(' ').filter(Boolean))];
  if (!asked.includes('openid')) return fail('invalid_scope', 'the openid scope is required');
  // Unknown scopes are ignored (OIDC Core §3.1.2.1); a known one the client may not ask for is refused.
  const scopes = asked.filter(isOidcScope);
  const notAllowed = scopes.filter((s) => !client.allowedScopes.includes(s));
  if (notAllowed.length > 0) return fail('invalid_scope', `not allowed for this client: ${notAllowed.join(' ')}`);
  // The holder always acts in the IKD app: there is no silent login.
  if ((p.prompt ?? '').split(' ').includes('none')) return fail('login_required', 'the holder must approve in the IKD app');

  const now = deps.clock.now();
  await enforceRateLimits(deps.db, [{ key: `oidc-authorize:ip:${input.ip}`, ...AUTHORIZE_RATE_LIMIT }], now);
  const id = randomSecret(16);
  const expiresAt = new Date(now.getTime() + AUTHORIZATION_REQUEST_TTL_MS);
  await deps.db.insert(oidcAuthorizations).values({
    id,
    clientId: client.id,
    redirectUri: p.redirect_uri,
    scopes,
    state: p.state ?? null,
    nonce: p.nonce ?? null,
    codeChallenge: p.code_challenge,
    browserHash: sha256Hex(input.browserSecret),
    status: 'pending',
    createdAt: now,
    expiresAt,
  });
  return { kind: 'page', id, clientName: client.name, scopes, expiresAt };
}

type RequestRow = {
  id: string;
  client_id: string;
  client_name: string;
  verifier_id: string;
  redirect_uri: string;
  scopes: string[];
  state: string | null;
  status: 'pending' | 'approved' | 'denied';
  account_id: string | null;
  browser_hash: string;
  decided_at: string | Date | null;
  code_used_at: string | Date | null;
  expires_at: string | Date;
};

async function requestById(deps: Pick<Deps, 'db'>, id: string): Promise<RequestRow | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return null;
  const [row] = await queryRows<RequestRow>(
    deps.db,
    sql`select r.id, r.client_id, c.name as client_name, c.verifier_id, r.redirect_uri, r.scopes, r.state, r.status, r.account_id,
               r.browser_hash, r.decided_at, r.code_used_at, r.expires_at
        from ${oidcAuthorizations} r join ${oidcClients} c on c.id = r.client_id where r.id = ${id}`,
  );
  return row ?? null;
}

const isExpired = (row: RequestRow, now: Date) => row.status === 'pending' && new Date(row.expires_at) <= now;

export interface AuthorizationRequestView {
  client: { name: string };
  scopes: string[];
  claims: string[];
  expiresAt: string;
  status: 'pending' | 'approved' | 'denied';
  /** The holder blocked this service (Siapa yang melihat data saya): approving it is refused. */
  blocked: boolean;
}

/** GET /v1/me/authorization-requests/{id}: who asks for which claims. 404 unknown (or decided by another holder), 410 expired. */
export async function readAuthorizationRequest(deps: Pick<Deps, 'db' | 'clock'>, input: { resident: ResidentPrincipal; id: string }): Promise<AuthorizationRequestView> {
  const row = await requestById(deps, input.id);
  if (!row || (row.account_id !== null && row.account_id !== input.resident.accountId)) throw new AppError('not_found');
  if (isExpired(row, deps.clock.now())) throw new AppError('request_expired');
  const blocked = await queryRows(
    deps.db,
    sql`select 1 as one from ${holderBlocks} where account_id = ${input.resident.accountId} and verifier_id = ${row.verifier_id}`,
  );
  return {
    client: { name: row.client_name },
    scopes: row.scopes,
    claims: claimsOfScopes(row.scopes),
    expiresAt: new Date(row.expires_at).toISOString(),
    status: row.status,
    blocked: blocked.length > 0,
  };
}

/**
 * POST /v1/me/authorization-requests/{id} { decision, pin? }. Approval judges the PIN under the lock (401 pin_invalid,
 * counted) and writes the login to the access log in the statement's transaction; a denial needs no PIN. A service the
 * holder blocked is refused (403 holder_refused, the request denied, the attempt logged as refused).
 */
export async function decideAuthorization(
  deps: Pick<Deps, 'db' | 'clock' | 'pins' | 'logger'>,
  input: { resident: ResidentPrincipal; id: string; decision: 'approve' | 'deny'; pin?: string },
): Promise<{ status: 'approved' | 'denied' }> {
  const now = deps.clock.now();
  const accountId = input.resident.accountId;
  const row = await requestById(deps, input.id);
  if (!row || (row.account_id !== null && row.account_id !== accountId)) throw new AppError('not_found');
  if (isExpired(row, now)) throw new AppError('request_expired');
  if (row.status !== 'pending') throw new AppError('conflict', { detail: `This request was ${row.status} already.` });

  const settle = async (status: 'approved' | 'denied', outcome: 'login' | 'refused' | null) =>
    deps.db.transaction(async (tx) => {
      const updated = await tx
        .update(oidcAuthorizations)
        .set({ status, accountId, decidedAt: now })
        .where(and(eq(oidcAuthorizations.id, row.id), eq(oidcAuthorizations.status, 'pending'), sql`${oidcAuthorizations.expiresAt} > ${now.toISOString()}::timestamptz`))
        .returning({ id: oidcAuthorizations.id });
      if (updated.length === 0) return false;
      if (outcome) {
        // The access-log row and, when the holder has notices on, its per-scan notice, as for a scanned QR.
        const at = sql`${now.toISOString()}::timestamptz`;
        const ids = noticeIds();
        const elements = outcome === 'login' ? elementsOfScopes(row.scopes) : [];
        await queryRows(
          tx,
          sql`with logged as (
                insert into ${accessLog} (at, account_id, verifier_id, outcome, elements, holder_district)
                values (${at}, ${accountId}, ${row.verifier_id}, ${outcome}, string_to_array(${elements.join(',')}, ','), ${districtOfAccount(accountId)})
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
    if (!(await settle('denied', null))) throw new AppError('conflict');
    return { status: 'denied' };
  }
  if (!input.pin) throw new AppError('invalid_request', { errors: [{ path: 'pin', message: 'approval needs the PIN' }] });
  await enforceRateLimits(deps.db, [{ key: `pin:account:${accountId}`, ...PIN_ACTION_RATE_LIMIT }], now);
  const blocked = await queryRows(deps.db, sql`select 1 as one from ${holderBlocks} where account_id = ${accountId} and verifier_id = ${row.verifier_id}`);
  if (blocked.length > 0) {
    await settle('denied', 'refused');
    throw new AppError('holder_refused');
  }
  await judgePin(deps, { accountId, pin: input.pin, wrongPin: 'pin_invalid' });
  if (!(await settle('approved', 'login'))) throw new AppError('conflict');
  deps.logger.info('oidc login approved', { accountId, clientId: row.client_id });
  return { status: 'approved' };
}

export interface AuthorizationStatus {
  status: 'pending' | 'approved' | 'denied' | 'expired';
  redirectTo?: string;
}

/**
 * GET /oidc/authorize/{id}/status, for the browser that opened the request only (its cookie's hash must match; anyone
 * else gets 404 and learns nothing). Approved: a fresh code (60 s) each time it is asked until one is redeemed, so a
 * reloaded page still lands; the previous unredeemed code stops working.
 */
export async function readAuthorizationStatus(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { id: string; browserSecret: string | undefined },
): Promise<AuthorizationStatus> {
  const now = deps.clock.now();
  const issuer = deps.config.publicBaseUrl;
  const row = await requestById(deps, input.id);
  if (!row || !input.browserSecret || sha256Hex(input.browserSecret) !== row.browser_hash) throw new AppError('not_found');
  if (isExpired(row, now)) {
    return { status: 'expired', redirectTo: errorRedirect(row.redirect_uri, issuer, 'access_denied', 'the request expired before the holder approved it', row.state) };
  }
  if (row.status === 'pending') return { status: 'pending' };
  if (row.status === 'denied') return { status: 'denied', redirectTo: errorRedirect(row.redirect_uri, issuer, 'access_denied', 'the holder denied the request', row.state) };
  // Approved: a code, unless one was redeemed already or the approval is older than a request's life.
  if (row.code_used_at !== null || new Date(row.decided_at!).getTime() + AUTHORIZATION_REQUEST_TTL_MS <= now.getTime()) return { status: 'approved' };
  const code = randomSecret(32);
  const issued = await deps.db
    .update(oidcAuthorizations)
    .set({ codeHash: sha256Hex(code), codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS) })
    .where(and(eq(oidcAuthorizations.id, row.id), eq(oidcAuthorizations.status, 'approved'), sql`${oidcAuthorizations.codeUsedAt} is null`))
    .returning({ id: oidcAuthorizations.id });
  if (issued.length === 0) return { status: 'approved' };
  const url = new URL(row.redirect_uri);
  url.searchParams.set('code', code);
  if (row.state) url.searchParams.set('state', row.state);
  url.searchParams.set('iss', issuer);
  return { status: 'approved', redirectTo: url.toString() };
}
