/**
 * The token endpoint's authorization_code grant and the userinfo endpoint. A code is redeemed by one conditional
 * UPDATE (60 s, once); a second redemption revokes the access tokens the first one issued (RFC 6749 §4.1.2). ID tokens
 * are ES256 with the key ring's current P-256 key; access tokens are opaque and stored as SHA-256.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { accounts, holderBlocks, oidcAccessTokens, oidcAuthorizations, oidcClients } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { claimsFor, pairwiseSubject } from './claims.js';
import type { OidcClient } from './clients.js';
import { OAuthError } from './oauth-error.js';

export const ACCESS_TOKEN_TTL_S = 600;
export const ID_TOKEN_TTL_S = 600;
/** What the holder did to log in: the PIN on the enrolled device (its key signed the session). */
export const IKD_ACR = 'urn:ikd:acr:device-pin';
export const IKD_AMR = ['pin', 'hwk'] as const;

const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface TokenResponse {
  access_token: string;
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

type Redeemed = {
  id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string[];
  nonce: string | null;
  account_id: string;
  decided_at: string | Date;
};

/**
 * The statement that spends a code: once, unexpired, approved. Exported so `npm run bench`'s ceiling runs exactly this
 * statement (scripts/bench/ceiling.ts).
 */
export const consumeCodeStatement = (codeHash: string, at: string) =>
  sql`update ${oidcAuthorizations} set code_used_at = ${at}::timestamptz
      where code_hash = ${codeHash} and code_used_at is null and code_expires_at > ${at}::timestamptz and status = 'approved'
      returning id, client_id, redirect_uri, code_challenge, scopes, nonce, account_id, decided_at`;

/** The holder behind a spent code: active, and not blocking the client's institution. */
export const codeHolderStatement = (accountId: string, verifierId: string) =>
  sql`select a.status, exists (select 1 from ${holderBlocks} b where b.account_id = a.id and b.verifier_id = ${verifierId}) as blocked
      from ${accounts} a where a.id = ${accountId}`;

/** The ID token of a redeemed code: ES256 with the key ring's current P-256 key. */
export async function signIdToken(
  keys: Deps['keys'],
  input: { issuer: string; clientId: string; pairwiseSalt: string; accountId: string; nonce: string | null; decidedAt: string | Date; now: Date },
): Promise<string> {
  const key = keys.currentIdTokenKey();
  const iat = Math.floor(input.now.getTime() / 1000);
  return new SignJWT({
    ...(input.nonce ? { nonce: input.nonce } : {}),
    auth_time: Math.floor(new Date(input.decidedAt).getTime() / 1000),
    acr: IKD_ACR,
    amr: [...IKD_AMR],
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setAudience(input.clientId)
    .setSubject(pairwiseSubject(input.pairwiseSalt, input.accountId))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_TTL_S)
    .sign(key.privateKey);
}

/** POST /oidc/token, grant_type=authorization_code, for an authenticated client. */
export async function redeemAuthorizationCode(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys' | 'logger'>,
  input: { client: OidcClient; code?: string; redirectUri?: string; codeVerifier?: string },
): Promise<TokenResponse> {
  if (!input.code || !input.redirectUri) throw new OAuthError('invalid_request', 'code and redirect_uri are required');
  if (!input.codeVerifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)');
  const now = deps.clock.now();
  const at = now.toISOString();
  const codeHash = sha256Hex(input.code);

  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await queryRows<Redeemed>(tx, consumeCodeStatement(codeHash, at));
    if (!row) {
      // Used before: whatever that use issued is revoked, in this transaction.
      const revoked = await queryRows<{ id: string; authorization_id: string }>(
        tx,
        sql`update ${oidcAccessTokens} t set revoked_at = ${at}::timestamptz
            from ${oidcAuthorizations} r
            where r.code_hash = ${codeHash} and r.code_used_at is not null and t.authorization_id = r.id and t.revoked_at is null
            returning t.id, t.authorization_id`,
      );
      const [used] = await queryRows<{ id: string }>(tx, sql`select id from ${oidcAuthorizations} where code_hash = ${codeHash} and code_used_at is not null`);
      if (used) return { error: 'replayed' as const, authorizationId: used.id, revoked: revoked.length };
      return { error: 'unknown' as const };
    }
    // Checked after the code is spent: a wrong client, redirect URI or verifier burns it (it may have been stolen).
    if (row.client_id !== input.client.id) return { error: 'client' as const };
    if (row.redirect_uri !== input.redirectUri) return { error: 'redirect_uri' as const };
    const challenge = CODE_VERIFIER.test(input.codeVerifier!) ? createHash('sha256').update(input.codeVerifier!).digest('base64url') : '';
    if (challenge !== row.code_challenge) return { error: 'verifier' as const };
    const [holder] = await queryRows<{ status: string; blocked: boolean }>(tx, codeHolderStatement(row.account_id, input.client.verifierId));
    if (!holder || holder.status !== 'active') return { error: 'account' as const };
    if (holder.blocked) return { error: 'blocked' as const };
    const accessToken = randomSecret(32);
    await tx.insert(oidcAccessTokens).values({
      id: newId('oat'),
      tokenHash: sha256Hex(accessToken),
      authorizationId: row.id,
      clientId: input.client.id,
      accountId: row.account_id,
      scopes: row.scopes,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_S * 1000),
    });
    return { row, accessToken };
  });

  if ('error' in outcome) {
    if (outcome.error === 'replayed') {
      deps.logger.warn('oidc code replayed: its tokens revoked', { authorizationId: outcome.authorizationId, revokedTokens: outcome.revoked, clientId: input.client.id });
    }
    const descriptions: Record<string, string> = {
      unknown: 'unknown or expired code',
      replayed: 'the code was used already; what it issued is revoked',
      client: 'the code was issued to another client',
      redirect_uri: 'redirect_uri differs from the authorization request',
      verifier: 'code_verifier does not match the code_challenge',
      account: 'the holder’s IKD is not active',
      blocked: 'the holder refuses this service',
    };
    throw new OAuthError('invalid_grant', descriptions[outcome.error!] ?? 'invalid grant');
  }

  const { row, accessToken } = outcome;
  const idToken = await signIdToken(deps.keys, {
    issuer: deps.config.publicBaseUrl,
    clientId: input.client.id,
    pairwiseSalt: input.client.pairwiseSalt,
    accountId: row.account_id,
    nonce: row.nonce,
    decidedAt: row.decided_at,
    now,
  });
  return { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, scope: row.scopes.join(' ') };
}

/** GET /oidc/userinfo: the approved claims of a live access token; 401 invalid_token otherwise (revoked, expired, holder not active or refusing). */
export async function readUserinfo(deps: Pick<Deps, 'db' | 'clock' | 'registry'>, accessToken: string | undefined): Promise<Record<string, unknown>> {
  const invalid = () => new OAuthError('invalid_token', 'the access token is not valid');
  if (!accessToken) throw invalid();
  const now = deps.clock.now();
  const [row] = await deps.db
    .select({
      scopes: oidcAccessTokens.scopes,
      accountId: accounts.id,
      nik: accounts.nik,
      email: accounts.email,
      phone: accounts.phone,
      pairwiseSalt: oidcClients.pairwiseSalt,
      blocked: sql<boolean>`exists (select 1 from ${holderBlocks} b where b.account_id = ${accounts.id} and b.verifier_id = ${oidcClients.verifierId})`,
    })
    .from(oidcAccessTokens)
    .innerJoin(accounts, eq(accounts.id, oidcAccessTokens.accountId))
    .innerJoin(oidcClients, eq(oidcClients.id, oidcAccessTokens.clientId))
    .where(
      and(
        eq(oidcAccessTokens.tokenHash, sha256Hex(accessToken)),
        isNull(oidcAccessTokens.revokedAt),
        sql`${oidcAccessTokens.expiresAt} > ${now.toISOString()}::timestamptz`,
        eq(accounts.status, 'active'),
        eq(oidcClients.status, 'active'),
      ),
    );
  if (!row || row.blocked) throw invalid();
  const resident = await deps.registry.findResident(row.nik);
  return claimsFor(row.scopes, pairwiseSubject(row.pairwiseSalt, row.accountId), { resident, email: row.email, phone: row.phone });
}
