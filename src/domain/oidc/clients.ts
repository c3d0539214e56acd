/**
 * OpenID Connect clients (relying parties): created by an admin or `npm run oidc-client:create`, each with its own
 * verifiers row so its logins are access-log rows and data users, and the holder's block applies to it. The secret is
 * shown once and stored as SHA-256; token-endpoint authentication is client_secret_basic or private_key_jwt.
 */
import { eq, sql } from 'drizzle-orm';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { constantTimeEqualHex, newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { oidcAccessTokens, oidcClientAssertions, oidcClients, verifiers } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';
import { isOidcScope, type OidcScope } from './claims.js';
import { OAuthError } from './oauth-error.js';

/** A recognisable prefix lets secret scanners find leaked client secrets; 256 random bits follow. */
export const CLIENT_SECRET_PREFIX = 'ikdcs_';
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface NewOidcClient {
  name: string;
  redirectUris: readonly string[];
  allowedScopes: readonly string[];
  /** With a jwksUri the client authenticates with private_key_jwt and gets no secret. */
  jwksUri?: string;
  actor: { actorType: AuditEntry['actorType']; actorId: string };
}

export interface OidcClient {
  id: string;
  name: string;
  verifierId: string;
  secretHash: string | null;
  jwksUri: string | null;
  redirectUris: string[];
  allowedScopes: string[];
  pairwiseSalt: string;
  status: 'active' | 'revoked';
}

/** A redirect URI an RP may register: absolute, no fragment; https, or http only for a loopback host or outside production. */
export function redirectUriProblem(uri: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not an absolute URL';
  }
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && (!production || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) return null;
  return 'must be https';
}

/** Creates the client and its verifiers row, audited, in one transaction; returns the secret once (none with a jwksUri). */
export async function createOidcClient(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  input: NewOidcClient,
): Promise<{ clientId: string; clientSecret?: string }> {
  const now = deps.clock.now();
  const production = deps.config.env === 'production';
  const errors = [
    ...input.redirectUris.flatMap((u, i) => {
      const problem = redirectUriProblem(u, production);
      return problem ? [{ path: `redirectUris.${i}`, message: problem }] : [];
    }),
    ...input.allowedScopes.flatMap((s, i) => (isOidcScope(s) ? [] : [{ path: `allowedScopes.${i}`, message: `unknown scope ${s.slice(0, 40)}` }])),
    ...(input.allowedScopes.includes('openid') ? [] : [{ path: 'allowedScopes', message: 'must include openid' }]),
    ...(input.jwksUri && redirectUriProblem(input.jwksUri, production) ? [{ path: 'jwksUri', message: 'must be an https URL' }] : []),
  ];
  if (input.redirectUris.length === 0) errors.push({ path: 'redirectUris', message: 'at least one' });
  if (errors.length > 0) throw new AppError('invalid_request', { errors });

  const clientId = newId('oidc');
  const verifierId = newId('vrf');
  const clientSecret = input.jwksUri ? undefined : `${CLIENT_SECRET_PREFIX}${randomSecret(32)}`;
  const allowedScopes = [...new Set(input.allowedScopes)] as OidcScope[];
  await deps.db.transaction(async (tx) => {
    // The client's institution row: it never holds an API key anyone knows (the hash of a discarded secret).
    await tx.insert(verifiers).values({
      id: verifierId,
      name: input.name,
      apiKeyHash: sha256Hex(`oidc-client-no-api-key|${randomSecret(32)}`),
      allowedElements: [],
      allowedDocuments: [],
      status: 'active',
      createdBy: input.actor.actorId,
      createdAt: now,
    });
    await tx.insert(oidcClients).values({
      id: clientId,
      name: input.name,
      verifierId,
      secretHash: clientSecret ? sha256Hex(clientSecret) : null,
      jwksUri: input.jwksUri ?? null,
      redirectUris: [...new Set(input.redirectUris)],
      allowedScopes,
      pairwiseSalt: randomSecret(32),
      status: 'active',
      createdBy: input.actor.actorId,
      createdAt: now,
    });
    await appendAudit(
      tx,
      {
        ...input.actor,
        action: 'oidc_client.create',
        targetType: 'oidc_client',
        targetId: clientId,
        details: { name: input.name, redirectUris: input.redirectUris, allowedScopes, jwksUri: input.jwksUri ?? null, verifierId },
      },
      now,
    );
  });
  deps.logger.info('oidc client created', { clientId, verifierId, allowedScopes, auth: clientSecret ? 'client_secret_basic' : 'private_key_jwt' });
  return clientSecret ? { clientId, clientSecret } : { clientId };
}

export async function findActiveClient(deps: Pick<Deps, 'db'>, clientId: string | undefined): Promise<OidcClient | null> {
  if (!clientId || clientId.length > 100) return null;
  const [row] = await deps.db.select().from(oidcClients).where(eq(oidcClients.id, clientId)).limit(1);
  return row && row.status === 'active' ? row : null;
}

// One remote key set per jwks_uri per process: jose caches the keys and refetches on an unknown kid (a cache, not state).
const remoteKeySets = new Map<string, JWTVerifyGetKey>();
function remoteKeySet(jwksUri: string): JWTVerifyGetKey {
  let set = remoteKeySets.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    remoteKeySets.set(jwksUri, set);
  }
  return set;
}

export interface TokenRequestAuth {
  /** The Authorization header, for client_secret_basic. */
  authorization?: string;
  clientAssertionType?: string;
  clientAssertion?: string;
  /** client_id from the form, when sent. */
  clientId?: string;
}

const invalidClient = () => new OAuthError('invalid_client', 'client authentication failed');

/** The client the token request authenticates as; 401 invalid_client for anything else. */
export async function authenticateClient(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  auth: TokenRequestAuth,
  endpoints: { issuer: string; tokenEndpoint: string },
): Promise<OidcClient> {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(auth.authorization?.trim() ?? '');
  if (basic && auth.clientAssertion) throw new OAuthError('invalid_request', 'use one client authentication method');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient();
    let id: string;
    let secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw invalidClient();
    }
    const client = await findActiveClient(deps, id);
    if (!client || !client.secretHash || (auth.clientId && auth.clientId !== id)) throw invalidClient();
    if (!constantTimeEqualHex(sha256Hex(secret), client.secretHash)) throw invalidClient();
    return client;
  }
  if (auth.clientAssertion) {
    if (auth.clientAssertionType !== CLIENT_ASSERTION_TYPE) throw new OAuthError('invalid_request', 'unsupported client_assertion_type');
    return authenticatePrivateKeyJwt(deps, auth.clientAssertion, auth.clientId, endpoints);
  }
  throw invalidClient();
}

async function authenticatePrivateKeyJwt(
  deps: Pick<Deps, 'db' | 'clock'>,
  assertion: string,
  formClientId: string | undefined,
  endpoints: { issuer: string; tokenEndpoint: string },
): Promise<OidcClient> {
  let claimedId: string | undefined;
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    claimedId = typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    throw invalidClient();
  }
  const client = await findActiveClient(deps, claimedId);
  if (!client || !client.jwksUri || (formClientId && formClientId !== client.id)) throw invalidClient();
  const now = deps.clock.now();
  let jti: string;
  let exp: number;
  try {
    const { payload } = await jwtVerify(assertion, remoteKeySet(client.jwksUri), {
      issuer: client.id,
      subject: client.id,
      audience: [endpoints.issuer, endpoints.tokenEndpoint],
      currentDate: now,
      clockTolerance: 5,
      maxTokenAge: '5m',
      requiredClaims: ['exp', 'jti', 'iat'],
      algorithms: ['ES256', 'EdDSA', 'RS256', 'PS256'],
    });
    jti = String(payload.jti);
    exp = payload.exp!;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw invalidClient();
    throw error;
  }
  // An assertion authenticates once (RFC 7523 §3 item 7): its jti is kept until it expires.
  const fresh = await queryRows<{ jti: string }>(
    deps.db,
    sql`insert into ${oidcClientAssertions} (client_id, jti, expires_at)
        values (${client.id}, ${jti.slice(0, 200)}, ${new Date(Math.max(exp * 1000, now.getTime()) + 60_000).toISOString()}::timestamptz)
        on conflict do nothing returning jti`,
  );
  if (fresh.length === 0) throw invalidClient();
  return client;
}

/**
 * Revokes a client: it no longer authenticates at /oidc/token, /oidc/authorize answers the unknown-client page, and its
 * live access tokens stop working at /oidc/userinfo. Idempotent; audited once.
 */
export async function revokeOidcClient(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  input: { id: string; actor: { actorType: AuditEntry['actorType']; actorId: string } },
): Promise<{ clientId: string; status: 'revoked' }> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ status: oidcClients.status }).from(oidcClients).where(eq(oidcClients.id, input.id)).for('update');
    if (!existing) throw new AppError('not_found');
    if (existing.status === 'revoked') return;
    await tx.update(oidcClients).set({ status: 'revoked' }).where(eq(oidcClients.id, input.id));
    await queryRows(
      tx,
      sql`update ${oidcAccessTokens} set revoked_at = ${now.toISOString()}::timestamptz
          where client_id = ${input.id} and revoked_at is null returning id`,
    );
    await appendAudit(tx, { ...input.actor, action: 'oidc_client.revoke', targetType: 'oidc_client', targetId: input.id }, now);
  });
  deps.logger.info('oidc client revoked', { clientId: input.id });
  return { clientId: input.id, status: 'revoked' };
}
