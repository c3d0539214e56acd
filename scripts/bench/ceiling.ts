/**
 * The bench's ceilings: bare handlers, outside the app (no middleware, no router, no validation, no logging), that do
 * only the primitives of a hot path, so `npm run bench` can compare each real route with what its work costs at least.
 */
import { createHash, randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { KeyRing } from '../../src/crypto/keyring.js';
import { renderQrSvg } from '../../src/crypto/qr.js';
import { newId, randomSecret, sha256Hex } from '../../src/crypto/secrets.js';
import { decodeKtpToken, encodeKtpToken, KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { PgDialect } from 'drizzle-orm/pg-core';
import { Placeholder, type SQL } from 'drizzle-orm';
import { EXPIRY_TOLERANCE_MS, noticeIds, redeemStatement } from '../../src/domain/credential/redemption.js';
import { ACCESS_TOKEN_TTL_S, codeHolderStatement, consumeCodeStatement, signIdToken } from '../../src/domain/oidc/tokens.js';
import { collectStatement } from '../../src/domain/verification-requests/requests.js';

/**
 * The redemption statement of src/domain/credential/redemption.ts, rendered from the same builder (so the two never
 * drift): authenticate the verifier, mark the token used if it may be, write the access-log row and the holder's
 * per-scan notice draft — one round trip. Placeholders become $n in the order the builder lists them.
 */
const redeemQuery = new PgDialect().sqlToQuery(redeemStatement());
export const REDEEM_SQL = redeemQuery.sql;
const REDEEM_PARAMS = redeemQuery.params.map((p) => {
  if (!(p instanceof Placeholder)) throw new Error('the redemption statement has a literal parameter; the ceiling expects placeholders only');
  return p.name;
});

/** The collect statement, rendered from the app's builder with its placeholders mapped by name (like the redemption's). */
const collectQuery = new PgDialect().sqlToQuery(collectStatement());
const COLLECT_SQL = collectQuery.sql;
const COLLECT_PARAMS = collectQuery.params.map((p) => {
  if (!(p instanceof Placeholder)) throw new Error('the collect statement has a literal parameter; the ceiling expects placeholders only');
  return p.name;
});

/**
 * The least a document QR needs from the registry: the holder's KK with its members, in one statement (the holder's
 * row finds the card; the card lists its members in family order).
 */
export const FAMILY_CARD_SQL = `select c.kk, c.head_nik, c.issued_on, m.nik, m.name, m.family_relationship, m.sex, m.birth_place, m.birth_date,
    m.education, m.occupation
  from registry_residents self
  join registry_family_cards c on c.kk = self.kk
  join registry_residents m on m.kk = c.kk
  where self.nik = $1
  order by m.family_order`;

const dialect = new PgDialect();
/** A statement of the app's, rendered by the same builder, run as a prepared statement (the app's driver prepares too). */
const run = (client: postgres.Sql | postgres.TransactionSql, statement: SQL) => {
  const q = dialect.sqlToQuery(statement);
  return client.unsafe(q.sql, q.params as string[], { prepare: true });
};

/** The client row /oidc/token authenticates (client_secret_basic: one read, a SHA-256 compare). */
const OIDC_CLIENT_SQL = `select id, secret_hash, verifier_id, pairwise_salt from oidc_clients where id = $1 and status = 'active'`;
/** The access token the token endpoint stores with a redeemed code. */
const OIDC_ACCESS_TOKEN_SQL = `insert into oidc_access_tokens (id, token_hash, authorization_id, client_id, account_id, scopes, created_at, expires_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8)`;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * POST /redeem: base45 decode, AES-GCM open, Ed25519 verify (native), the one statement. POST /redeem-document: the
 * same, then the KK in one registry read. POST /issue: seal, sign, SVG. POST /issue-document: the KK read, then seal,
 * sign, SVG. POST /oidc-token: the token endpoint's statements and its ES256 ID token. GET /collect/{id}: the
 * counter's collect statement.
 */
export function ceilingFetch(keys: KeyRing, client: postgres.Sql) {
  return async function ceiling(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/redeem' || path === '/redeem-document') {
      const apiKey = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      const body = (await request.json()) as { token?: unknown; counter?: string };
      const decoded = decodeKtpToken(keys, body.token);
      if (!decoded.ok) return json(400, { code: 'token_invalid' });
      const now = new Date();
      const values: Record<string, unknown> = {
        apiKeyHash: sha256Hex(apiKey),
        tokenId: decoded.tokenId,
        now: now.toISOString(),
        notBefore: new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString(),
        counter: body.counter ?? null,
        ...noticeIds(),
      };
      const [row] = await client.unsafe(REDEEM_SQL, REDEEM_PARAMS.map((name) => values[name] as string), { prepare: true });
      if (!row) return json(401, { code: 'verifier_unauthorized' });
      if (!row.account_id) return json(409, { code: 'token_not_redeemable' });
      if (path === '/redeem') return json(200, { verifiedAt: now.toISOString(), resident: { nik: row.nik } });
      const members = await client.unsafe(FAMILY_CARD_SQL, [row.nik], { prepare: true });
      if (members.length === 0) return json(404, { code: 'document_not_found' });
      return json(200, { verifiedAt: now.toISOString(), document: { type: 'family_card', number: members[0]!.kk, members }, resident: { nik: row.nik } });
    }
    if (path === '/issue') {
      await request.json();
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 90) * 1000);
      const { token } = encodeKtpToken(keys, { tokenId: randomBytes(12), elements: KTP_ELEMENTS, expiresAt });
      return json(201, { token, expiresAt: expiresAt.toISOString(), ttlSeconds: 90, svg: renderQrSvg(token) });
    }
    if (path === '/issue-document') {
      // The holder must have the KK (one registry read), then the same seal, sign and SVG with the document byte.
      const body = (await request.json()) as { nik?: string };
      const members = await client.unsafe(FAMILY_CARD_SQL, [body.nik ?? ''], { prepare: true });
      if (members.length === 0) return json(404, { code: 'document_not_found' });
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 90) * 1000);
      const { token } = encodeKtpToken(keys, { tokenId: randomBytes(12), elements: ['nik', 'name'], expiresAt, document: 'family_card' });
      return json(201, { token, document: 'family_card', expiresAt: expiresAt.toISOString(), ttlSeconds: 90, svg: renderQrSvg(token) });
    }
    if (path === '/oidc-token') {
      // POST /oidc/token's work without the framework: the client (Basic), the code spent, the holder checked, the
      // access token stored (one transaction, the domain's statements), PKCE, then the ES256 ID token.
      const basic = /^Basic (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      const [clientId, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':') as [string, string?];
      const form = new URLSearchParams(await request.text());
      const now = new Date();
      const at = now.toISOString();
      const [oidcClient] = await client.unsafe(OIDC_CLIENT_SQL, [clientId], { prepare: true });
      if (!oidcClient || sha256Hex(secret ?? '') !== oidcClient.secret_hash) return json(401, { error: 'invalid_client' });
      const verifier = form.get('code_verifier') ?? '';
      const outcome = await client.begin(async (tx) => {
        const [row] = await run(tx, consumeCodeStatement(sha256Hex(form.get('code') ?? ''), at));
        if (!row || row.client_id !== oidcClient.id || row.redirect_uri !== form.get('redirect_uri')) return null;
        if (createHash('sha256').update(verifier).digest('base64url') !== row.code_challenge) return null;
        const [holder] = await run(tx, codeHolderStatement(row.account_id, oidcClient.verifier_id));
        if (!holder || holder.status !== 'active' || holder.blocked) return null;
        const accessToken = randomSecret(32);
        await tx.unsafe(
          OIDC_ACCESS_TOKEN_SQL,
          [newId('oat'), sha256Hex(accessToken), row.id, oidcClient.id, row.account_id, `{${(row.scopes as string[]).join(',')}}`, at, new Date(now.getTime() + ACCESS_TOKEN_TTL_S * 1000).toISOString()],
          { prepare: true },
        );
        return { row, accessToken };
      });
      if (!outcome) return json(400, { error: 'invalid_grant' });
      const idToken = await signIdToken(keys, {
        issuer: 'http://127.0.0.1',
        clientId: oidcClient.id,
        pairwiseSalt: oidcClient.pairwise_salt,
        accountId: outcome.row.account_id,
        nonce: outcome.row.nonce,
        decidedAt: outcome.row.decided_at,
        now,
      });
      return json(200, { access_token: outcome.accessToken, id_token: idToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, scope: outcome.row.scopes.join(' ') });
    }
    if (path.startsWith('/collect/')) {
      // GET /v1/verification-requests/{id}'s collect statement alone (the counter sees the NIK only).
      const apiKey = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      const values: Record<string, string> = { apiKeyHash: sha256Hex(apiKey), id: path.slice('/collect/'.length), at: new Date().toISOString(), ...noticeIds() };
      const [row] = await client.unsafe(COLLECT_SQL, COLLECT_PARAMS.map((name) => values[name]!), { prepare: true });
      if (!row) return json(401, { code: 'verifier_unauthorized' });
      if (!row.account_id) return json(410, { code: 'request_expired' });
      return json(200, { status: 'approved', resident: { nik: row.nik } });
    }
    return json(404, { code: 'not_found' });
  };
}
