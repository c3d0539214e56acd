/**
 * Masuk dengan IKD, the OpenID Connect provider: discovery, /oidc/authorize (page + status), /oidc/token,
 * /oidc/userinfo, and the resident app's side of a request (GET/POST /v1/me/authorization-requests/{id}).
 */
import { Hono, type Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { renderQrSvg } from '../../crypto/qr.js';
import { randomSecret } from '../../crypto/secrets.js';
import {
  decideAuthorization,
  readAuthorizationRequest,
  readAuthorizationStatus,
  startAuthorization,
  AUTHORIZATION_REQUEST_TTL_MS,
} from '../../domain/oidc/authorize.js';
import { authenticateClient } from '../../domain/oidc/clients.js';
import { discoveryDocument, oidcEndpoints } from '../../domain/oidc/discovery.js';
import { OAuthError } from '../../domain/oidc/oauth-error.js';
import { readUserinfo, redeemAuthorizationCode } from '../../domain/oidc/tokens.js';
import { oidcAuthorizePage, oidcErrorPage } from '../../web/render.js';
import { currentResident, requireResident } from '../auth/resident.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

/** The browser binding of /oidc/authorize: `__Host-ikd_oidc`, HttpOnly, sent only to this origin. */
const BROWSER_COOKIE = 'ikd_oidc';
const requestIdParam = z.object({ id: z.string().min(1).max(64) });

function oauthErrorResponse(c: Context<AppEnv>, error: OAuthError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (error.error === 'invalid_client') headers['WWW-Authenticate'] = 'Basic realm="ikd"';
  if (error.error === 'invalid_token') headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${error.description}"`;
  return new Response(JSON.stringify({ error: error.error, error_description: error.description }), { status: error.status, headers });
}

async function oauth(c: Context<AppEnv>, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(c, error);
    throw error;
  }
}

/** The status stream (Accept: text/event-stream): checked each second, a heartbeat every 15 s, at most a request's life. */
export const STATUS_STREAM_CHECK_MS = 1000;
const STATUS_STREAM_HEARTBEAT_ROUNDS = 15;
const STATUS_STREAM_MAX_ROUNDS = 6 * 60;

const statusSchema = z.object({
  status: z.enum(['pending', 'approved', 'denied', 'expired']),
  redirectTo: z.string().optional().describe('where the page goes: redirect_uri with code and state, or with error=access_denied'),
});

const requestViewSchema = z.object({
  client: z.object({ name: z.string() }),
  scopes: z.array(z.string()),
  claims: z.array(z.string()).describe('the claims the approved scopes release'),
  expiresAt: z.string(),
  status: z.enum(['pending', 'approved', 'denied']),
  blocked: z.boolean().describe('the holder blocked this service: approval is refused (403 holder_refused)'),
});

export function oidcRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/.well-known/openid-configuration',
    describeRoute({ summary: 'OpenID Connect discovery (Masuk dengan IKD)', tags: ['oidc'], responses: { 200: { description: 'Provider metadata' } } }),
    (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(discoveryDocument(c.get('deps').config.publicBaseUrl));
    },
  );

  app.get(
    '/oidc/authorize',
    describeRoute({
      summary: 'Authorization endpoint: a page with the service’s name and the QR of the request (5 min); 400 page for an unknown client or redirect URI',
      tags: ['oidc'],
      responses: { 200: { description: 'HTML page', contentType: 'text/html' }, 302: { description: 'redirect_uri with an OAuth error' } },
      errors: ['rate_limited'],
    }),
    async (c) => {
      const deps = c.get('deps');
      const existing = getCookie(c, BROWSER_COOKIE, 'host');
      const browserSecret = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomSecret(32);
      const params = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : undefined]));
      // A parameter given twice is refused (RFC 6749 §3.1): seen as absent, which every check then treats as missing.
      const outcome = await startAuthorization(deps, { params, browserSecret, ip: clientIp(c) });
      if (outcome.kind === 'error_page') return oidcErrorPage(c, outcome.reason);
      if (outcome.kind === 'redirect') return c.redirect(outcome.location, 302);
      const pindai = `${deps.config.publicBaseUrl}/app#pindai=auth.${outcome.id}`;
      const res = oidcAuthorizePage(c, {
        id: outcome.id,
        clientName: outcome.clientName,
        scopes: outcome.scopes,
        expiresAt: outcome.expiresAt.toISOString(),
        qrSvg: renderQrSvg(pindai),
        appLink: `/app#pindai=auth.${outcome.id}`,
      });
      // Set every time (same value when it was there): the binding outlives this request's 5 minutes.
      {
        res.headers.append(
          'Set-Cookie',
          generateCookie(BROWSER_COOKIE, browserSecret, {
            prefix: 'host',
            path: '/',
            secure: true,
            httpOnly: true,
            sameSite: 'Lax',
            maxAge: Math.floor((AUTHORIZATION_REQUEST_TTL_MS * 2) / 1000),
          }),
        );
      }
      return res;
    },
  );

  app.get(
    '/oidc/authorize/:id/status',
    describeRoute({
      summary: 'The decision on an authorization request, for the browser that opened it (its cookie); 404 for anyone else. With Accept: text/event-stream, server-sent `status` events until the decision or expiry',
      tags: ['oidc'],
      responses: { 200: { description: 'Status', schema: statusSchema } },
      errors: ['not_found'],
    }),
    pathParams(requestIdParam),
    async (c) => {
      const deps = c.get('deps');
      const input = { id: c.req.valid('param').id, browserSecret: getCookie(c, BROWSER_COOKIE, 'host') };
      // A stranger (no or another cookie) gets the 404 problem before any stream opens.
      const status = await readAuthorizationStatus(deps, input);
      if (!(c.req.header('Accept') ?? '').includes('text/event-stream')) return c.json(status);
      // streamSSE answers Cache-Control: no-cache; a buffering proxy (nginx) is told not to hold the events back.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        let aborted = false;
        stream.onAbort(() => {
          aborted = true;
        });
        let current = status;
        await stream.writeSSE({ event: 'status', data: JSON.stringify(current) });
        // The stream checks the request each second and closes on the decision or expiry (which the request's life
        // bounds); a comment line now and then keeps proxies from closing an idle connection.
        for (let round = 1; !aborted && current.status === 'pending' && round <= STATUS_STREAM_MAX_ROUNDS; round += 1) {
          await stream.sleep(STATUS_STREAM_CHECK_MS);
          if (aborted) break;
          current = await readAuthorizationStatus(deps, input);
          if (current.status !== 'pending') await stream.writeSSE({ event: 'status', data: JSON.stringify(current) });
          else if (round % STATUS_STREAM_HEARTBEAT_ROUNDS === 0) await stream.write(': heartbeat\n\n');
        }
      }, async (error, stream) => {
        // A failed check ends the stream; the page falls back to polling the JSON answer.
        deps.logger.warn('authorization status stream failed', { error: error.message });
        await stream.close();
      });
    },
  );

  app.post(
    '/oidc/token',
    describeRoute({
      summary: 'Token endpoint: authorization_code + PKCE; client_secret_basic or private_key_jwt. OAuth errors are { error, error_description }',
      tags: ['oidc'],
      responses: { 200: { description: '{ access_token, id_token, token_type, expires_in, scope }' } },
    }),
    (c) =>
      oauth(c, async () => {
        const deps = c.get('deps');
        if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
          throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
        }
        const form = new URLSearchParams(await c.req.text());
        const one = (name: string) => (form.getAll(name).length === 1 ? form.get(name)! : undefined);
        for (const name of new Set(form.keys())) if (form.getAll(name).length > 1) throw new OAuthError('invalid_request', `${name} given twice`);
        const endpoints = oidcEndpoints(deps.config.publicBaseUrl);
        const client = await authenticateClient(
          deps,
          { authorization: c.req.header('Authorization'), clientAssertionType: one('client_assertion_type'), clientAssertion: one('client_assertion'), clientId: one('client_id') },
          { issuer: endpoints.issuer, tokenEndpoint: endpoints.token_endpoint },
        );
        const grantType = one('grant_type');
        if (grantType !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'only authorization_code');
        const tokens = await redeemAuthorizationCode(deps, { client, code: one('code'), redirectUri: one('redirect_uri'), codeVerifier: one('code_verifier') });
        return c.json(tokens, 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      }),
  );

  const userinfo = (c: Context<AppEnv>) =>
    oauth(c, async () => {
      const bearer = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(c.req.header('Authorization')?.trim() ?? '')?.[1];
      return c.json(await readUserinfo(c.get('deps'), bearer), 200, { 'Cache-Control': 'no-store' });
    });
  const userinfoDoc = describeRoute({
    summary: 'UserInfo: the approved claims only (Bearer access token from /oidc/token)',
    tags: ['oidc'],
    responses: { 200: { description: 'Claims' } },
  });
  app.get('/oidc/userinfo', userinfoDoc, userinfo);
  app.post('/oidc/userinfo', userinfoDoc, userinfo);

  app.get(
    '/v1/me/authorization-requests/:id',
    describeRoute({
      summary: 'Pindai (auth.<id>): which service asks for which claims, before the holder decides',
      tags: ['resident', 'oidc'],
      security: 'resident',
      responses: { 200: { description: 'The request', schema: requestViewSchema } },
      errors: ['unauthorized', 'not_found', 'request_expired'],
    }),
    requireResident(),
    pathParams(requestIdParam),
    async (c) => c.json(await readAuthorizationRequest(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id })),
  );

  app.post(
    '/v1/me/authorization-requests/:id',
    describeRoute({
      summary: 'Approves (with the PIN) or denies a login request; the waiting page then redirects',
      tags: ['resident', 'oidc'],
      security: 'resident',
      responses: { 200: { description: 'Decided', schema: z.object({ status: z.enum(['approved', 'denied']) }) } },
      errors: ['unauthorized', 'invalid_request', 'not_found', 'request_expired', 'conflict', 'pin_invalid', 'account_locked', 'holder_refused', 'rate_limited'],
    }),
    requireResident(),
    pathParams(requestIdParam),
    jsonBody(z.object({ decision: z.enum(['approve', 'deny']), pin: z.string().min(1).max(64).optional() })),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await decideAuthorization(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id, ...body }));
    },
  );

  return app;
}
