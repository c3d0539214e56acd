/**
 * Issue #14 points 1, 4, 6: clients and holders of Masuk dengan IKD — admin registration (secret shown once, stored
 * hashed, audited), pairwise subs (different per client, stable at one), a private_key_jwt client (its JWKS served
 * over HTTP, the assertion single use), and accounts that cannot log in: self-locked, suspended, deleted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { accounts, auditLog, oidcAccessTokens, oidcAuthorizations, oidcClients } from '../../src/db/schema/index.js';
import { purgeExpiredRows } from '../../src/domain/maintenance/purge.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth, type OperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident } from '../helpers/resident.js';
import { approve, createTestOidcClient, discover, ISSUER, landingUrl, loginThrough, startLogin } from '../helpers/oidc.js';

let ctx: TestContext;
let admin: OperatorSession;
let jwksServer: Server;
let jwksUrl: string;
let rpKeys: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set(new Date());
  admin = await createOperatorSession(ctx, 'admin');
  // The private_key_jwt client's own JWKS, served over HTTP as a relying party would.
  rpKeys = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(rpKeys.publicKey)), kid: 'rp-key-1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  await new Promise((resolve) => jwksServer.close(resolve));
  await ctx.close();
});

const asAdmin = (body: unknown, token = admin.token) => ctx.app.request('/v1/admin/oidc-clients', jsonRequest('POST', body, operatorAuth(token)));

async function oauthError(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'none';
  } catch (error) {
    const challenge = (error as { cause?: { parameters?: { error?: string } }[] }).cause;
    if (Array.isArray(challenge) && challenge[0]?.parameters?.error) return challenge[0].parameters.error;
    return (error as { error?: string }).error ?? `not an OAuth error: ${String(error)}`;
  }
}

describe('POST /v1/admin/oidc-clients', () => {
  it('creates a client: the secret is shown once, stored as SHA-256, audited; it works with openid-client', async () => {
    const res = await asAdmin({ name: 'Layanan Samsat Online', redirectUris: ['https://samsat.test/cb'], allowedScopes: ['openid', 'profile'] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { clientId: string; clientSecret: string };
    expect(created.clientSecret).toMatch(/^ikdcs_[A-Za-z0-9_-]{43}$/);
    const [row] = await ctx.deps.db.select().from(oidcClients).where(eq(oidcClients.id, created.clientId));
    expect(row!.secretHash).toBe(sha256Hex(created.clientSecret));
    expect(JSON.stringify(row)).not.toContain(created.clientSecret);
    const audit = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, created.clientId));
    expect(audit.map((a) => `${a.action} by ${a.actorId}`)).toEqual([`oidc_client.create by ${admin.operator.id}`]);

    const config = await discover(ctx, created.clientId, client.ClientSecretBasic(created.clientSecret));
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, 'https://samsat.test/cb', resident, 'openid profile');
    expect(tokens.claims()!.aud).toBe(created.clientId);
  });

  it('refuses bad input (400 invalid_request) and non-admins (403 forbidden)', async () => {
    for (const body of [
      { name: 'X', redirectUris: ['not a url'], allowedScopes: ['openid'] },
      { name: 'X', redirectUris: ['https://x.test/cb#frag'], allowedScopes: ['openid'] },
      { name: 'X', redirectUris: ['https://x.test/cb'], allowedScopes: ['profile'] },
      { name: 'X', redirectUris: ['https://x.test/cb'], allowedScopes: ['openid', 'everything'] },
      { name: 'X', redirectUris: [], allowedScopes: ['openid'] },
    ]) {
      const res = await asAdmin(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
    }
    const operator = await createOperatorSession(ctx, 'operator');
    const res = await asAdmin({ name: 'X', redirectUris: ['https://x.test/cb'], allowedScopes: ['openid'] }, operator.token);
    expect(res.status).toBe(403);
    expect((await ctx.app.request('/v1/admin/oidc-clients', jsonRequest('POST', {}))).status).toBe(401);
  });
});

describe('pairwise subject', () => {
  it('differs between two clients for one holder, stays the same at one client', async () => {
    const a = await createTestOidcClient(ctx, { allowedScopes: ['openid'] });
    const b = await createTestOidcClient(ctx, { allowedScopes: ['openid'] });
    const configA = await discover(ctx, a.clientId, client.ClientSecretBasic(a.clientSecret!));
    const configB = await discover(ctx, b.clientId, client.ClientSecretBasic(b.clientSecret!));
    const holder = await createActiveResident(ctx);
    const other = await createActiveResident(ctx);
    const subA1 = (await loginThrough(ctx, configA, a.redirectUri, holder, 'openid')).tokens.claims()!.sub;
    const subA2 = (await loginThrough(ctx, configA, a.redirectUri, holder, 'openid')).tokens.claims()!.sub;
    const subB = (await loginThrough(ctx, configB, b.redirectUri, holder, 'openid')).tokens.claims()!.sub;
    const subOther = (await loginThrough(ctx, configA, a.redirectUri, other, 'openid')).tokens.claims()!.sub;
    expect(subA2).toBe(subA1);
    expect(subB).not.toBe(subA1);
    expect(subOther).not.toBe(subA1);
    for (const sub of [subA1, subB]) {
      expect(sub).not.toContain(holder.nik);
      expect(sub).not.toBe(holder.accountId);
    }
  });
});

describe('private_key_jwt', () => {
  it('a client with a jwksUri gets no secret and authenticates with a signed assertion (openid-client PrivateKeyJwt)', async () => {
    // openid-client signs the assertion with the real clock and the provider allows 5 s of skew: under a loaded
    // machine the earlier tests can take longer than that since beforeAll froze the test clock.
    ctx.clock.set(new Date());
    const res = await asAdmin({ name: 'Layanan BPJS Online', redirectUris: ['https://bpjs.test/cb'], allowedScopes: ['openid', 'nik'], jwksUri: jwksUrl });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { clientId: string; clientSecret?: string };
    expect(created.clientSecret).toBeUndefined();
    const config = await discover(ctx, created.clientId, client.PrivateKeyJwt(rpKeys.privateKey, { [client.modifyAssertion]: (h) => void (h.kid = 'rp-key-1') }));
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, 'https://bpjs.test/cb', resident, 'openid nik');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.nik).toBe(resident.nik);

    // A secret does not authenticate it, another key does not, and an assertion works once.
    const login = await startLogin(ctx, config, 'https://bpjs.test/cb', 'openid');
    await approve(ctx, resident, login.id);
    const code = (await landingUrl(ctx, login)).searchParams.get('code')!;
    const now = Math.floor(ctx.clock.now().getTime() / 1000);
    const assertion = (key: CryptoKey | Uint8Array, jti: string) =>
      new SignJWT({ jti })
        .setProtectedHeader({ alg: 'ES256', kid: 'rp-key-1' })
        .setIssuer(created.clientId)
        .setSubject(created.clientId)
        .setAudience(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(key);
    const post = async (jwt: string) =>
      ctx.app.request('/oidc/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://bpjs.test/cb',
          code_verifier: login.verifier,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: jwt,
        }).toString(),
      });
    const stranger = await generateKeyPair('ES256');
    const forged = await post(await assertion(stranger.privateKey, 'jti-forged'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'invalid_client' });
    const good = await assertion(rpKeys.privateKey, 'jti-once');
    expect((await post(good)).status).toBe(200);
    const replayed = await post(good);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('accounts that cannot log in', () => {
  let rp: Awaited<ReturnType<typeof createTestOidcClient>>;
  let config: client.Configuration;
  beforeAll(async () => {
    rp = await createTestOidcClient(ctx, { allowedScopes: ['openid', 'profile'] });
    config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
  });

  it('self-locked (Kunci): the app cannot approve (its session ended), an approved code gives invalid_grant, issued tokens stop', async () => {
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, rp.redirectUri, resident);
    const login = await startLogin(ctx, config, rp.redirectUri);
    expect((await approve(ctx, resident, login.id)).status).toBe(200);
    expect((await asResident(ctx, resident, 'POST', '/v1/me/lock')).status).toBe(200);
    const landing = await landingUrl(ctx, login);
    expect(await oauthError(client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce }))).toBe('invalid_grant');
    expect(await oauthError(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub))).toBe('invalid_token');
    const next = await startLogin(ctx, config, rp.redirectUri);
    expect((await approve(ctx, resident, next.id)).status).toBe(401);
    const [token] = await ctx.deps.db.select().from(oidcAccessTokens).where(eq(oidcAccessTokens.tokenHash, sha256Hex(tokens.access_token)));
    expect(token!.revokedAt).not.toBeNull();
  });

  it('suspended or deleted: no code is redeemed', async () => {
    const suspended = await createActiveResident(ctx);
    const s = await startLogin(ctx, config, rp.redirectUri);
    await approve(ctx, suspended, s.id);
    await ctx.deps.db.update(accounts).set({ status: 'suspended' }).where(eq(accounts.id, suspended.accountId));
    expect(await oauthError(client.authorizationCodeGrant(config, await landingUrl(ctx, s), { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce }))).toBe('invalid_grant');

    const deleted = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, rp.redirectUri, deleted);
    const d = await startLogin(ctx, config, rp.redirectUri);
    await approve(ctx, deleted, d.id);
    const landing = await landingUrl(ctx, d);
    expect((await asResident(ctx, deleted, 'DELETE', '/v1/me', { pin: deleted.pin })).status).toBe(204);
    expect(await oauthError(client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: d.verifier, expectedState: d.state, expectedNonce: d.nonce }))).toBe('invalid_grant');
    expect(await oauthError(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub))).toBe('invalid_token');
    // Deletion deletes: the holder's authorizations and tokens are gone.
    expect(await ctx.deps.db.select().from(oidcAuthorizations).where(eq(oidcAuthorizations.accountId, deleted.accountId))).toEqual([]);
    expect(await ctx.deps.db.select().from(oidcAccessTokens).where(eq(oidcAccessTokens.accountId, deleted.accountId))).toEqual([]);
  });

  it('the export lists the holder’s authorizations (service, scopes, decision), never a code or token', async () => {
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, rp.redirectUri, resident);
    const res = await asResident(ctx, resident, 'GET', '/v1/me/export');
    const text = await res.text();
    expect(text).not.toContain(tokens.access_token);
    const data = JSON.parse(text) as { authorizations: { client: { name: string }; scopes: string[]; status: string }[] };
    expect(data.authorizations).toEqual([{ client: { id: rp.clientId, name: rp.name }, scopes: ['openid', 'profile'], status: 'approved', decidedAt: expect.any(String) }]);
  });

  it('the purge deletes login requests and tokens a week past their expiry', async () => {
    const resident = await createActiveResident(ctx);
    const { login } = await loginThrough(ctx, config, rp.redirectUri, resident);
    const real = ctx.clock.now();
    ctx.clock.advance(7 * 86_400_000 + 11 * 60_000);
    const purged = await purgeExpiredRows(ctx.deps);
    ctx.clock.set(real);
    expect(purged.oidc_authorizations).toBeGreaterThanOrEqual(1);
    expect(purged.oidc_access_tokens).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.db.select().from(oidcAuthorizations).where(eq(oidcAuthorizations.id, login.id))).toEqual([]);
  });
});
