/**
 * DESIGN.md "Reliability": hostile input — broken JSON, random bytes, wrong shapes, SQL and HTML in every text
 * field, hostile path parameters — gets a 4xx problem, never a 500 and never a stack trace. The sweep walks every
 * route the app really serves (from its route table), authenticated as whoever the route expects.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedRoutes, type DocumentedRoute } from '../../src/http/openapi.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession } from '../helpers/operator.js';
import { createActiveResident, createTestVerifier } from '../helpers/resident.js';

let ctx: TestContext;
const auth: Record<'resident' | 'operator' | 'verifier' | 'none', Record<string, string>> = {
  resident: {},
  operator: {},
  verifier: {},
  none: {},
};

beforeAll(async () => {
  ctx = await createTestContext();
  const admin = await createOperatorSession(ctx, 'admin');
  const resident = await createActiveResident(ctx);
  const verifier = await createTestVerifier(ctx);
  auth.operator = { Authorization: `Bearer ${admin.token}` };
  auth.resident = { Authorization: `Bearer ${resident.accessToken}` };
  auth.verifier = { Authorization: `Bearer ${verifier.apiKey}` };
});
afterAll(async () => {
  await ctx.close();
});

const HOSTILE_STRINGS = [
  "' OR '1'='1'; DROP TABLE accounts; --",
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '\u0000\u0001\u001f',
  '𝕴𝕶𝕯 🇮🇩 ؜\u202e',
  'x'.repeat(20_000),
  '9'.repeat(400),
  '%00%27%22',
  '{{7*7}}${7*7}',
];

const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, -1, 1e308, true, null, [], {}, [HOSTILE_STRINGS[0]], { $gt: '' }];

/** Property names a route's body schema declares (from the OpenAPI document the app generates). */
function bodyProperties(openapi: OpenApi, route: DocumentedRoute): string[] {
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const schema = openapi.paths[path]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
  return Object.keys(schema?.properties ?? {});
}

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
}

/** Session-ending routes go last, so every other route is tried with a live session behind it. */
const sweepOrder = (routes: DocumentedRoute[]) =>
  [...routes].sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
const endsSession = (r: DocumentedRoute) => r.path.endsWith('/logout') || (r.method === 'DELETE' && r.path === '/v1/me');

function concretePath(path: string, value: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, () => encodeURIComponent(value));
}

async function expectNoServerError(res: Response, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  expect(text, what).not.toMatch(/\n\s+at .*:\d+:\d+|node_modules\//);
  // OAuth's token and userinfo endpoints answer RFC 6749 / 6750 errors ({ error, error_description }): relying-party
  // libraries read that shape, not problem+json.
  if (res.status >= 400 && /^(POST|GET) \/oidc\/(token|userinfo) /.test(what)) {
    expect(res.headers.get('content-type'), what).toContain('application/json');
    expect(typeof (JSON.parse(text) as { error?: string }).error, what).toBe('string');
    return;
  }
  if (res.status >= 400 && !res.headers.get('content-type')?.includes('text/html')) {
    expect(res.headers.get('content-type'), what).toContain('application/problem+json');
    const body = JSON.parse(text) as { code?: string };
    expect(typeof body.code, what).toBe('string');
  }
}

describe('hostile input on every route', () => {
  it('broken JSON, random bytes and wrong shapes are 4xx problems', async () => {
    const routes = sweepOrder(documentedRoutes(ctx.app).filter((r) => r.method !== 'GET'));
    expect(routes.length).toBeGreaterThan(20);
    const bodies: (string | Uint8Array)[] = [
      '{"a":',
      '[]',
      'null',
      '"just a string"',
      '{"__proto__":{"polluted":true}}',
      new Uint8Array(randomBytes(512)),
      JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))),
    ];
    for (const route of routes) {
      const headers = { 'Content-Type': 'application/json', ...auth[route.doc.security ?? 'none'] };
      for (const body of bodies) {
        const path = concretePath(route.path, 'reg_unknown');
        const res = await ctx.app.request(path, { method: route.method, headers, body: body as BodyInit });
        await expectNoServerError(res, `${route.method} ${route.path} with ${String(body).slice(0, 30)}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);

  it('SQL, HTML, control characters and oversized values in every field are 4xx problems or handled', async () => {
    const openapi = (await (await ctx.app.request('/openapi.json')).json()) as OpenApi;
    const routes = sweepOrder(documentedRoutes(ctx.app).filter((r) => r.method !== 'GET'));
    let fieldsTried = 0;
    for (const route of routes) {
      const headers = { 'Content-Type': 'application/json', ...auth[route.doc.security ?? 'none'] };
      const properties = bodyProperties(openapi, route);
      for (const value of HOSTILE_VALUES) {
        const body = Object.fromEntries(properties.map((p) => [p, value]));
        fieldsTried += properties.length;
        const res = await ctx.app.request(concretePath(route.path, String(HOSTILE_STRINGS[0])), {
          method: route.method,
          headers,
          body: JSON.stringify(body),
        });
        await expectNoServerError(res, `${route.method} ${route.path} with ${JSON.stringify(value).slice(0, 30)}`);
      }
    }
    expect(fieldsTried).toBeGreaterThan(100);
  }, 300_000);

  it('hostile path and query parameters on GET routes are 4xx problems or pages', async () => {
    const routes = documentedRoutes(ctx.app).filter((r) => r.method === 'GET');
    for (const route of routes) {
      const headers = auth[route.doc.security ?? 'none'];
      for (const value of HOSTILE_STRINGS.slice(0, 5)) {
        const path = `${concretePath(route.path, value)}?cursor=${encodeURIComponent(value)}&lang=${encodeURIComponent(value)}&t=${encodeURIComponent(value)}`;
        const res = await ctx.app.request(path, { headers });
        await expectNoServerError(res, `GET ${route.path} with ${value.slice(0, 30)}`);
      }
    }
  }, 300_000);

  it('the database is intact afterwards', async () => {
    const res = await ctx.app.request('/readyz');
    expect(res.status).toBe(200);
    const me = await ctx.app.request('/v1/me', { headers: auth.resident });
    // The resident's session may have been revoked by a hostile-but-valid request (e.g. logout); either way no 500.
    expect([200, 401]).toContain(me.status);
  });
});
