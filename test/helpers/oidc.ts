/**
 * Masuk dengan IKD in tests: a relying party on openid-client (panva, a certified RP library) whose HTTP goes to the
 * in-memory app, the authorize page's request id and browser cookie, and the resident's decision through the API.
 */
import * as client from 'openid-client';
import { createOidcClient } from '../../src/domain/oidc/clients.js';
import { jsonRequest, type TestContext } from './context.js';
import { residentAuth, type ActiveResident } from './resident.js';

export const ISSUER = 'https://ikd.test';

/** openid-client's fetch, answered by the app in memory (the issuer's https URLs never leave the process). */
export const appFetch =
  (ctx: TestContext): client.CustomFetch =>
  (url, options) =>
    Promise.resolve(ctx.app.request(url, { method: options.method, headers: options.headers as HeadersInit, body: options.body as BodyInit | undefined, redirect: 'manual' }));

let clients = 0;

/** A client straight through the domain (the admin route has its own test); its secret, unless it has a jwksUri. */
export async function createTestOidcClient(
  ctx: TestContext,
  options: { name?: string; redirectUris?: string[]; allowedScopes?: string[]; jwksUri?: string } = {},
) {
  clients += 1;
  const name = options.name ?? `Layanan Uji ${clients}`;
  const redirectUri = options.redirectUris?.[0] ?? `https://rp${clients}.test/callback`;
  const created = await createOidcClient(ctx.deps, {
    name,
    redirectUris: options.redirectUris ?? [redirectUri],
    allowedScopes: options.allowedScopes ?? ['openid', 'profile', 'nik', 'address', 'email', 'phone'],
    jwksUri: options.jwksUri,
    actor: { actorType: 'system', actorId: 'test' },
  });
  return { ...created, name, redirectUri };
}

/** openid-client's Configuration for a client, from the provider's discovery document. */
export async function discover(ctx: TestContext, clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  const config = await client.discovery(new URL(ISSUER), clientId, undefined, auth, { [client.customFetch]: appFetch(ctx) });
  config[client.customFetch] = appFetch(ctx);
  return config;
}

export interface StartedLogin {
  id: string;
  cookie: string;
  verifier: string;
  state: string;
  nonce: string;
  page: string;
}

/** The RP sends the browser to /oidc/authorize (PKCE S256, state, nonce); the page's request id and cookie. */
export async function startLogin(ctx: TestContext, config: client.Configuration, redirectUri: string, scope = 'openid profile'): Promise<StartedLogin> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const res = await ctx.app.request(url.toString());
  const page = await res.text();
  if (res.status !== 200) throw new Error(`authorize page failed in test helper: ${res.status} ${page.slice(0, 300)}`);
  const id = /data-request-id="([^"]+)"/.exec(page)?.[1];
  const cookie = /(__Host-ikd_oidc=[^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];
  if (!id || !cookie) throw new Error('authorize page without request id or cookie');
  return { id, cookie, verifier, state, nonce, page };
}

export const decide = (ctx: TestContext, resident: ActiveResident, id: string, body: { decision: 'approve' | 'deny'; pin?: string }) =>
  ctx.app.request(`/v1/me/authorization-requests/${id}`, jsonRequest('POST', body, { ...residentAuth(resident.accessToken), 'cf-connecting-ip': resident.ip }));

export const approve = (ctx: TestContext, resident: ActiveResident, id: string, pin = resident.pin) => decide(ctx, resident, id, { decision: 'approve', pin });

/** GET /oidc/authorize/{id}/status as the browser that opened it (or with another cookie). */
export async function authorizationStatus(ctx: TestContext, id: string, cookie?: string) {
  const res = await ctx.app.request(`/oidc/authorize/${id}/status`, { headers: cookie ? { Cookie: cookie } : {} });
  return { res, body: (res.status === 200 ? await res.json() : await res.json().catch(() => null)) as { status: string; redirectTo?: string; code?: string } };
}

/** The browser's landing URL after the decision (redirectTo of the status answer). */
export async function landingUrl(ctx: TestContext, login: StartedLogin): Promise<URL> {
  const { res, body } = await authorizationStatus(ctx, login.id, login.cookie);
  if (res.status !== 200 || !body.redirectTo) throw new Error(`no redirect in status: ${res.status} ${JSON.stringify(body)}`);
  return new URL(body.redirectTo);
}

/** The whole login: authorize page, approval with the PIN, status → redirect, code grant. Tokens and their config. */
export async function loginThrough(ctx: TestContext, config: client.Configuration, redirectUri: string, resident: ActiveResident, scope?: string) {
  const login = await startLogin(ctx, config, redirectUri, scope);
  const decided = await approve(ctx, resident, login.id);
  if (decided.status !== 200) throw new Error(`approval failed in test helper: ${decided.status} ${await decided.text()}`);
  const landing = await landingUrl(ctx, login);
  const tokens = await client.authorizationCodeGrant(config, landing, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
  return { login, landing, tokens };
}
