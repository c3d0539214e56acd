/**
 * Development mode only: /dev/rp, "Layanan Samsat Online (demo)", logs in with IKD through openid-client (the certified
 * relying-party library) against this service, in memory, and shows the verified ID token claims and the userinfo.
 * The PKCE verifier, state and nonce wait in an HttpOnly cookie between the two legs, as a small RP would keep them.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as client from 'openid-client';
import { demoRpPage } from '../../web/render.js';
import { ensureDemoRp } from '../../dev/demo-rp.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';

const FLOW_COOKIE = 'ikd_dev_rp';

export function devRpRoutes(getApp: () => Hono<AppEnv>) {
  const app = new Hono<AppEnv>();
  app.use('/dev/rp', async (c, next) => {
    if (!c.get('deps').config.devMode) throw new AppError('not_found');
    await next();
  });
  app.use('/dev/rp/*', async (c, next) => {
    if (!c.get('deps').config.devMode) throw new AppError('not_found');
    await next();
  });

  /** openid-client's Configuration for the demo client; its HTTP goes to this app in memory (same code paths as over the network). */
  async function rpConfig(c: Context<AppEnv>) {
    const deps = c.get('deps');
    const demo = await ensureDemoRp(deps);
    const fetchInMemory: client.CustomFetch = (url, options) =>
      Promise.resolve(getApp().request(url, { method: options.method, headers: options.headers as HeadersInit, body: options.body as BodyInit | undefined }, c.env));
    const issuer = new URL(deps.config.publicBaseUrl);
    const config = await client.discovery(issuer, demo.clientId, undefined, client.ClientSecretBasic(demo.clientSecret), {
      [client.customFetch]: fetchInMemory,
      execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
    });
    config[client.customFetch] = fetchInMemory;
    return { config, demo };
  }

  const page = describeRoute({ summary: 'Development only: the demo relying party', tags: ['development'], responses: { 200: { description: 'HTML', contentType: 'text/html' } }, errors: ['not_found'] });

  app.get('/dev/rp', page, (c) => demoRpPage(c, { loginHref: '/dev/rp/login' }));

  app.get('/dev/rp/login', page, async (c) => {
    const { config, demo } = await rpConfig(c);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const ui: Record<string, string> = c.req.query('lang') === 'en' ? { ui_locales: 'en' } : {};
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: demo.redirectUri,
      scope: 'openid profile nik address',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...ui,
    });
    setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify({ verifier, state, nonce })).toString('base64url'), {
      path: '/dev/rp',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: 600,
    });
    return c.redirect(url.toString(), 302);
  });

  app.get('/dev/rp/callback', page, async (c) => {
    const deps = c.get('deps');
    const raw = getCookie(c, FLOW_COOKIE);
    deleteCookie(c, FLOW_COOKIE, { path: '/dev/rp' });
    let flow: { verifier: string; state: string; nonce: string } | undefined;
    try {
      flow = raw ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : undefined;
    } catch {
      flow = undefined;
    }
    const respond = (view: Parameters<typeof demoRpPage>[1]) => {
      const res = demoRpPage(c, view);
      for (const cookie of c.res.headers.getSetCookie()) res.headers.append('Set-Cookie', cookie);
      return res;
    };
    if (!flow) return respond({ loginHref: '/dev/rp/login', error: 'no login in progress' });
    try {
      const { config } = await rpConfig(c);
      const current = new URL(new URL(c.req.url).pathname + new URL(c.req.url).search, deps.config.publicBaseUrl);
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
      const claims = tokens.claims()!;
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      return respond({ loginHref: '/dev/rp/login', userinfo: { ...userinfo }, idTokenClaims: { ...claims } });
    } catch (error) {
      const e = error as { error?: string; message?: string };
      return respond({ loginHref: '/dev/rp/login', error: e.error ?? e.message ?? 'login failed' });
    }
  });

  return app;
}
