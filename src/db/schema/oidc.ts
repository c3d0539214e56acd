/** Masuk dengan IKD (OpenID Connect provider): clients, authorization requests with their codes, access tokens. */
import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A relying party (an online public service). Each has a verifiers row of its own (`verifierId`, no usable API key), so
 * its logins are access-log rows and data users like any institution's scans, and the holder's block applies to it.
 */
export const oidcClients = pgTable(
  'oidc_clients',
  {
    /** The client_id. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    verifierId: text('verifier_id').notNull(),
    /** SHA-256 of the client secret (256 random bits), hex; null for a private_key_jwt-only client. */
    secretHash: text('secret_hash'),
    /** Where the client's public keys are, for private_key_jwt. */
    jwksUri: text('jwks_uri'),
    redirectUris: text('redirect_uris').array().notNull(),
    allowedScopes: text('allowed_scopes').array().notNull(),
    /** HMAC key of the pairwise `sub` (32 random bytes, base64url): each client sees its own subject per holder. */
    pairwiseSalt: text('pairwise_salt').notNull(),
    status: text('status', { enum: ['active', 'revoked'] }).notNull(),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('oidc_clients_verifier_idx').on(t.verifierId)],
);

/** One /oidc/authorize request: its QR (5 min), the holder's decision, then the code (60 s, single use). */
export const oidcAuthorizations = pgTable(
  'oidc_authorizations',
  {
    /** The id in the QR (`auth.<id>`): 128 random bits. */
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    scopes: text('scopes').array().notNull(),
    state: text('state'),
    nonce: text('nonce'),
    /** S256 PKCE challenge (base64url of SHA-256 of the verifier). */
    codeChallenge: text('code_challenge').notNull(),
    /** SHA-256 of the cookie the authorize page set: only that browser learns the decision and the code. */
    browserHash: text('browser_hash').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'denied'] }).notNull(),
    accountId: text('account_id'),
    decidedAt: ts('decided_at'),
    /** SHA-256 of the authorization code, hex. */
    codeHash: text('code_hash'),
    codeExpiresAt: ts('code_expires_at'),
    codeUsedAt: ts('code_used_at'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [uniqueIndex('oidc_authorizations_code_idx').on(t.codeHash), index('oidc_authorizations_account_idx').on(t.accountId)],
);

/** Access tokens for /oidc/userinfo: opaque, stored as SHA-256; revoked together when their code is replayed. */
export const oidcAccessTokens = pgTable(
  'oidc_access_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    authorizationId: text('authorization_id').notNull(),
    clientId: text('client_id').notNull(),
    accountId: text('account_id').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('oidc_access_tokens_hash_idx').on(t.tokenHash),
    index('oidc_access_tokens_authorization_idx').on(t.authorizationId),
    index('oidc_access_tokens_account_idx').on(t.accountId),
  ],
);

/** jti of private_key_jwt client assertions seen, until they expire: an assertion authenticates once. */
export const oidcClientAssertions = pgTable(
  'oidc_client_assertions',
  {
    clientId: text('client_id').notNull(),
    jti: text('jti').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [uniqueIndex('oidc_client_assertions_jti_idx').on(t.clientId, t.jti)],
);
