/**
 * Issue #14 points 1, 4, 6: Masuk dengan IKD with openid-client (panva) as the relying party — discovery, PKCE,
 * code, tokens, the ID token checked against the JWKS, userinfo with the approved claims only — and the holder's
 * side: the approval needs the PIN, every login is in the access history and data users.
 */
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident } from '../helpers/resident.js';
import { appFetch, approve, createTestOidcClient, decide, discover, ISSUER, landingUrl, loginThrough, startLogin } from '../helpers/oidc.js';

let ctx: TestContext;
let rp: Awaited<ReturnType<typeof createTestOidcClient>>;
let config: client.Configuration;

beforeAll(async () => {
  ctx = await createTestContext();
  // openid-client judges iat/exp by the real clock: the provider's test clock starts there.
  ctx.clock.set(new Date());
  rp = await createTestOidcClient(ctx, { name: 'Layanan Samsat Online (uji)', redirectUris: ['https://samsat.test/callback'] });
  config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
});
afterAll(async () => {
  await ctx.close();
});

describe('discovery', () => {
  it('publishes the contract’s metadata', async () => {
    const res = await ctx.app.request('/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/oidc/authorize`,
      token_endpoint: `${ISSUER}/oidc/token`,
      userinfo_endpoint: `${ISSUER}/oidc/userinfo`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['pairwise'],
    });
    expect(doc.id_token_signing_alg_values_supported).toContain('ES256');
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'private_key_jwt']));
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'nik', 'address', 'email', 'phone']));
    expect(config.serverMetadata().issuer).toBe(ISSUER);
  });

  it('the JWKS carries the Ed25519 and the P-256 key of the ring', async () => {
    const jwks = (await (await ctx.app.request('/.well-known/jwks.json')).json()) as { keys: { kty: string; alg: string; kid: string }[] };
    expect(jwks.keys.map((k) => `${k.kty}/${k.alg}`)).toEqual(['OKP/EdDSA', 'EC/ES256']);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });
});

describe('the whole flow through openid-client', () => {
  it('authorize page → PIN approval → code → tokens; ID token verified against the JWKS; userinfo has the approved claims only', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri, 'openid profile nik');
    expect(login.page).toContain('Layanan Samsat Online (uji)');
    expect(login.page).toContain(`data-request-id="${login.id}"`);

    // The app's Pindai screen: who asks for what.
    const view = await asResident(ctx, resident, 'GET', `/v1/me/authorization-requests/${login.id}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toEqual({
      client: { name: 'Layanan Samsat Online (uji)' },
      scopes: ['openid', 'profile', 'nik'],
      claims: ['sub', 'name', 'birthdate', 'gender', 'nik'],
      expiresAt: new Date(ctx.clock.now().getTime() + 5 * 60_000).toISOString(),
      status: 'pending',
      blocked: false,
    });

    const approved = await approve(ctx, resident, login.id);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ status: 'approved' });

    const landing = await landingUrl(ctx, login);
    expect(landing.origin + landing.pathname).toBe(rp.redirectUri);
    expect(landing.searchParams.get('state')).toBe(login.state);
    expect(landing.searchParams.get('iss')).toBe(ISSUER);

    client.enableNonRepudiationChecks(config); // openid-client also verifies the ID token's signature with the JWKS
    const tokens = await client.authorizationCodeGrant(config, landing, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(600);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: ISSUER, aud: rp.clientId, nonce: login.nonce, acr: 'urn:ikd:acr:device-pin', amr: ['pin', 'hwk'] });
    expect(typeof claims.auth_time).toBe('number');

    // And independently with jose against the published JWKS.
    const jwks = createRemoteJWKSet(new URL(`${ISSUER}/.well-known/jwks.json`), { [customFetch]: appFetch(ctx) as never });
    const { protectedHeader, payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: ISSUER, audience: rp.clientId, algorithms: ['ES256'] });
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.kid).toBe(`es-${ctx.deps.keys.currentKid}`);
    expect(payload.sub).toBe(claims.sub);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    const record = (await ctx.deps.registry.findResident(resident.nik))!;
    expect(userinfo).toEqual({
      sub: claims.sub,
      name: record.name,
      birthdate: record.birthDate,
      gender: record.sex === 'PEREMPUAN' ? 'female' : 'male',
      nik: resident.nik,
    });
    // Not approved, not there: no address, e-mail or phone.
    expect(JSON.stringify(userinfo)).not.toContain(resident.email);
  });

  it('address, email and phone scopes release those claims', async () => {
    const resident = await createActiveResident(ctx);
    const { tokens } = await loginThrough(ctx, config, rp.redirectUri, resident, 'openid address email phone');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(Object.keys(userinfo).sort()).toEqual(['address', 'email', 'email_verified', 'phone_number', 'sub']);
    expect(userinfo.email).toBe(resident.email);
    expect(userinfo.phone_number).toBe(resident.phone);
    expect(userinfo.address).toMatchObject({ country: 'ID', region: expect.any(String), locality: expect.any(String), formatted: expect.any(String) });
  });

  it('English with ui_locales=en, Indonesian by default', async () => {
    const en = new URL(client.buildAuthorizationUrl(config, { redirect_uri: rp.redirectUri, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', ui_locales: 'en' }));
    const page = await (await ctx.app.request(en.toString())).text();
    expect(page).toContain('<html lang="en"');
    expect(page).toContain('asks you to log in with IKD');
    en.searchParams.delete('ui_locales');
    const id = await (await ctx.app.request(en.toString())).text();
    expect(id).toContain('<html lang="id"');
    expect(id).toContain('meminta Anda masuk dengan IKD');
    // The QR's text is <PUBLIC_BASE_URL>/app#pindai=auth.<id>; the phone link opens the same screen.
    const requestId = /data-request-id="([^"]+)"/.exec(id)![1];
    expect(id).toContain(`href="/app#pindai=auth.${requestId}"`);
  });
});

describe('the holder in control', () => {
  it('approval needs the PIN: a wrong one is 401 pin_invalid and counts toward the lock; a denial needs none', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    const missing = await decide(ctx, resident, login.id, { decision: 'approve' });
    expect(missing.status).toBe(400);
    const wrong = await approve(ctx, resident, login.id, '000000');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: string }).code).toBe('pin_invalid');
    expect((await accountRow(ctx, resident.accountId)).pinFailures).toBe(1);
    const denied = await decide(ctx, resident, login.id, { decision: 'deny' });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toEqual({ status: 'denied' });
    const again = await approve(ctx, resident, login.id);
    expect(again.status).toBe(409);
  });

  it('five wrong PINs on approvals lock the account (423 account_locked)', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    for (let i = 0; i < 5; i++) expect((await approve(ctx, resident, login.id, '000000')).status).toBe(401);
    const locked = await approve(ctx, resident, login.id);
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('account_locked');
  });

  it('a login is in the access history (outcome login, the service as the verifier) and in data users', async () => {
    const resident = await createActiveResident(ctx);
    await loginThrough(ctx, config, rp.redirectUri, resident, 'openid profile');
    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as {
      items: { outcome: string; verifier: { id: string; name: string }; elements: string[] }[];
    };
    expect(history.items[0]).toMatchObject({ outcome: 'login', verifier: { name: 'Layanan Samsat Online (uji)' }, elements: ['name', 'birthDate', 'sex'] });
    const users = (await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json()) as { items: { verifier: { id: string; name: string }; blocked: boolean }[] };
    expect(users.items).toContainEqual(expect.objectContaining({ verifier: history.items[0]!.verifier, blocked: false }));
  });

  it('another holder cannot read or decide a request someone decided', async () => {
    const holder = await createActiveResident(ctx);
    const stranger = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    expect((await approve(ctx, holder, login.id)).status).toBe(200);
    expect((await asResident(ctx, stranger, 'GET', `/v1/me/authorization-requests/${login.id}`)).status).toBe(404);
    expect((await approve(ctx, stranger, login.id)).status).toBe(404);
    expect((await asResident(ctx, stranger, 'GET', '/v1/me/authorization-requests/nope-nope-nope')).status).toBe(404);
  });
});
