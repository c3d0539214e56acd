/**
 * Issue #14 points 1, 4, 6: the standard OAuth errors of Masuk dengan IKD, through openid-client where an RP would
 * meet them — replayed code (and the first use's token revoked), wrong PKCE verifier, wrong redirect_uri, expired
 * code and request, denied consent, blocked service — and the authorize checks: an error page (never a redirect) for
 * an unknown client or redirect URI, a redirect with invalid_request for missing or plain PKCE.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident } from '../helpers/resident.js';
import { approve, authorizationStatus, createTestOidcClient, decide, discover, ISSUER, landingUrl, loginThrough, startLogin } from '../helpers/oidc.js';

let ctx: TestContext;
let rp: Awaited<ReturnType<typeof createTestOidcClient>>;
let config: client.Configuration;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set(new Date());
  rp = await createTestOidcClient(ctx, { name: 'Layanan Pajak Daerah (uji)', allowedScopes: ['openid', 'profile'] });
  config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
});
afterAll(async () => {
  await ctx.close();
});

/** The OAuth `error` openid-client surfaced (ResponseBodyError / AuthorizationResponseError), or 'none'. */
async function oauthError(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'none';
  } catch (error) {
    // A 401 with WWW-Authenticate surfaces as the challenge's error parameter (RFC 6750 §3).
    const challenge = (error as { cause?: { parameters?: { error?: string } }[] }).cause;
    if (Array.isArray(challenge) && challenge[0]?.parameters?.error) return challenge[0].parameters.error;
    return (error as { error?: string }).error ?? `not an OAuth error: ${String(error)}`;
  }
}

const authorizeUrl = (params: Record<string, string>) => `/oidc/authorize?${new URLSearchParams(params).toString()}`;
const validParams = () => ({
  response_type: 'code',
  client_id: rp.clientId,
  redirect_uri: rp.redirectUri,
  scope: 'openid profile',
  state: 'st-123',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
});

/** Token request by hand (for what openid-client will not send). */
const tokenRequest = (form: Record<string, string>, auth = `Basic ${Buffer.from(`${rp.clientId}:${rp.clientSecret}`).toString('base64')}`) =>
  ctx.app.request('/oidc/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth }, body: new URLSearchParams(form).toString() });

describe('authorize: never redirect to what is not registered', () => {
  it('an unknown client_id is a 400 HTML page, not a redirect', async () => {
    const res = await ctx.app.request(authorizeUrl({ ...validParams(), client_id: 'oidc_nobody' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('Location')).toBeNull();
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(await res.text()).toContain('data-reason="unknown_client"');
  });

  it('a redirect_uri not registered (prefix, other path, extra query, missing) is a 400 page', async () => {
    for (const redirect of [`${rp.redirectUri}/evil`, `${rp.redirectUri}?x=1`, 'https://evil.test/callback', rp.redirectUri.toUpperCase()]) {
      const res = await ctx.app.request(authorizeUrl({ ...validParams(), redirect_uri: redirect }));
      expect(res.status).toBe(400);
      expect(res.headers.get('Location')).toBeNull();
      expect(await res.text()).toContain('data-reason="redirect_uri"');
    }
    const { redirect_uri: _, ...without } = validParams();
    expect((await ctx.app.request(authorizeUrl(without))).status).toBe(400);
  });

  it('missing or plain PKCE with a valid redirect URI redirects with error=invalid_request (and the state)', async () => {
    const { code_challenge: _c, code_challenge_method: _m, ...noPkce } = validParams();
    for (const params of [noPkce, { ...validParams(), code_challenge_method: 'plain' }, { ...validParams(), code_challenge_method: '' }]) {
      const res = await ctx.app.request(authorizeUrl(params));
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('Location')!);
      expect(location.origin + location.pathname).toBe(rp.redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('st-123');
      expect(location.searchParams.get('iss')).toBe(ISSUER);
    }
  });

  it('other request errors redirect with their standard codes', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...validParams(), response_type: 'token' }, 'unsupported_response_type'],
      [{ ...validParams(), scope: 'profile' }, 'invalid_scope'],
      [{ ...validParams(), scope: 'openid nik' }, 'invalid_scope'], // not allowed for this client
      [{ ...validParams(), prompt: 'none' }, 'login_required'],
      [{ ...validParams(), request: 'eyJ' }, 'request_not_supported'],
    ];
    for (const [params, error] of cases) {
      const res = await ctx.app.request(authorizeUrl(params));
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('Location')!).searchParams.get('error')).toBe(error);
    }
  });
});

describe('the status is for the browser that opened the request', () => {
  it('without the cookie, or with another, 404 and no code', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri, 'openid');
    expect((await approve(ctx, resident, login.id)).status).toBe(200);
    const none = await authorizationStatus(ctx, login.id);
    expect(none.res.status).toBe(404);
    const other = await startLogin(ctx, config, rp.redirectUri, 'openid');
    const wrong = await authorizationStatus(ctx, login.id, other.cookie);
    expect(wrong.res.status).toBe(404);
    expect(JSON.stringify(wrong.body)).not.toContain('code=');
    const own = await authorizationStatus(ctx, login.id, login.cookie);
    expect(own.body.status).toBe('approved');
    expect(own.body.redirectTo).toContain('code=');
  });
});

describe('token endpoint: standard errors', () => {
  it('a replayed code is invalid_grant, and the access token of its first use is revoked', async () => {
    const resident = await createActiveResident(ctx);
    const { login, landing, tokens } = await loginThrough(ctx, config, rp.redirectUri, resident, 'openid profile');
    const sub = tokens.claims()!.sub;
    expect((await client.fetchUserInfo(config, tokens.access_token, sub)).sub).toBe(sub);
    const replay = client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
    expect(await oauthError(replay)).toBe('invalid_grant');
    expect(await oauthError(client.fetchUserInfo(config, tokens.access_token, sub))).toBe('invalid_token');
  });

  it('a wrong PKCE verifier is invalid_grant and spends the code', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    await approve(ctx, resident, login.id);
    const landing = await landingUrl(ctx, login);
    const wrong = client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: login.state, expectedNonce: login.nonce });
    expect(await oauthError(wrong)).toBe('invalid_grant');
    const right = client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
    expect(await oauthError(right)).toBe('invalid_grant');
  });

  it('a redirect_uri other than the request’s is invalid_grant', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    await approve(ctx, resident, login.id);
    const code = (await landingUrl(ctx, login)).searchParams.get('code')!;
    const res = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: `${rp.redirectUri}/other`, code_verifier: login.verifier });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code past its 60 s is invalid_grant; a fresh poll of the page gets a new code while none was redeemed', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    await approve(ctx, resident, login.id);
    const stale = await landingUrl(ctx, login);
    ctx.clock.advance(61_000);
    const late = client.authorizationCodeGrant(config, stale, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
    expect(await oauthError(late)).toBe('invalid_grant');
    const fresh = await landingUrl(ctx, login);
    expect(fresh.searchParams.get('code')).not.toBe(stale.searchParams.get('code'));
    ctx.clock.set(new Date());
    const tokens = await client.authorizationCodeGrant(config, fresh, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
    expect(tokens.access_token).toBeTruthy();
  });

  it('a wrong client secret, or none, is 401 invalid_client; another grant type is unsupported_grant_type', async () => {
    const bad = await tokenRequest({ grant_type: 'authorization_code', code: 'x', redirect_uri: rp.redirectUri, code_verifier: 'a'.repeat(43) }, `Basic ${Buffer.from(`${rp.clientId}:ikdcs_wrong`).toString('base64')}`);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('WWW-Authenticate')).toContain('Basic');
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    const none = await ctx.app.request('/oidc/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `grant_type=authorization_code&client_id=${rp.clientId}` });
    expect(none.status).toBe(401);
    const grant = await tokenRequest({ grant_type: 'client_credentials' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const unknown = await tokenRequest({ grant_type: 'authorization_code', code: 'nope', redirect_uri: rp.redirectUri, code_verifier: 'a'.repeat(43) });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('userinfo without a live token is 401 invalid_token with WWW-Authenticate', async () => {
    const res = await ctx.app.request('/oidc/userinfo', { headers: { Authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });
});

describe('consent errors reach the RP as access_denied', () => {
  it('a denied request sends the browser back with error=access_denied (openid-client raises it)', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    expect((await decide(ctx, resident, login.id, { decision: 'deny' })).status).toBe(200);
    const landing = await landingUrl(ctx, login);
    expect(landing.searchParams.get('error')).toBe('access_denied');
    expect(landing.searchParams.get('state')).toBe(login.state);
    expect(await oauthError(client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state }))).toBe('access_denied');
  });

  it('an expired request: the app gets 410 request_expired, the page goes back with access_denied', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    ctx.clock.advance(5 * 60_000);
    const view = await asResident(ctx, resident, 'GET', `/v1/me/authorization-requests/${login.id}`);
    expect(view.status).toBe(410);
    expect(((await view.json()) as { code: string }).code).toBe('request_expired');
    const late = await approve(ctx, resident, login.id);
    expect(late.status).toBe(410);
    const { body } = await authorizationStatus(ctx, login.id, login.cookie);
    expect(body.status).toBe('expired');
    const landing = new URL(body.redirectTo!);
    expect(landing.searchParams.get('error')).toBe('access_denied');
    ctx.clock.set(new Date());
    expect(await oauthError(client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state }))).toBe('access_denied');
  });

  it('a service the holder blocked cannot log them in: 403 holder_refused in the app, access_denied at the RP, refused in the history', async () => {
    const resident = await createActiveResident(ctx);
    // The service is in data users after a first login; the holder blocks it there.
    await loginThrough(ctx, config, rp.redirectUri, resident, 'openid');
    const users = (await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json()) as { items: { verifier: { id: string; name: string } }[] };
    const service = users.items.find((u) => u.verifier.name === rp.name)!.verifier;
    expect((await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${service.id}`, { blocked: true })).status).toBe(200);

    const login = await startLogin(ctx, config, rp.redirectUri);
    const view = (await (await asResident(ctx, resident, 'GET', `/v1/me/authorization-requests/${login.id}`)).json()) as { blocked: boolean };
    expect(view.blocked).toBe(true);
    const refused = await approve(ctx, resident, login.id);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('holder_refused');
    const landing = await landingUrl(ctx, login);
    expect(landing.searchParams.get('error')).toBe('access_denied');
    const history = (await (await asResident(ctx, resident, 'GET', '/v1/me/access-history')).json()) as { items: { outcome: string; verifier: { id: string } }[] };
    expect(history.items[0]).toMatchObject({ outcome: 'refused', verifier: { id: service.id } });
  });

  it('a block between approval and the token exchange: invalid_grant', async () => {
    const other = await createTestOidcClient(ctx, { name: 'Layanan Blokir (uji)', allowedScopes: ['openid'] });
    const otherConfig = await discover(ctx, other.clientId, client.ClientSecretBasic(other.clientSecret!));
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, otherConfig, other.redirectUri, 'openid');
    await approve(ctx, resident, login.id);
    const users = (await (await asResident(ctx, resident, 'GET', '/v1/me/data-users')).json()) as { items: { verifier: { id: string; name: string } }[] };
    const service = users.items.find((u) => u.verifier.name === other.name)!.verifier;
    await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${service.id}`, { blocked: true });
    const landing = await landingUrl(ctx, login);
    expect(await oauthError(client.authorizationCodeGrant(otherConfig, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce }))).toBe('invalid_grant');
  });
});

describe('the token endpoint takes forms only', () => {
  it('JSON is invalid_request', async () => {
    const res = await ctx.app.request('/oidc/token', jsonRequest('POST', { grant_type: 'authorization_code' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});
