import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedRoutes, openApiPath } from '../../src/http/openapi.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const expectProblem = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
  return body;
};

describe('health and readiness', () => {
  it('GET /healthz answers ok with a request id', async () => {
    const res = await ctx.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const ok = await ctx.app.request('/healthz', { headers: { 'X-Request-Id': 'counter-42-abcdef' } });
    expect(ok.headers.get('x-request-id')).toBe('counter-42-abcdef');
    const bad = await ctx.app.request('/healthz', { headers: { 'X-Request-Id': '<script>' } });
    expect(bad.headers.get('x-request-id')).not.toBe('<script>');
  });

  it('GET /readyz is 200 while the database answers', async () => {
    const res = await ctx.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });
});

describe('JWKS', () => {
  it('publishes the current Ed25519 public key and nothing private', async () => {
    const res = await ctx.app.request('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    // One ring entry: its Ed25519 key (KTP tokens) and its P-256 key (ID tokens, src/domain/oidc).
    expect(jwks.keys.map((k) => k.kty)).toEqual(['OKP', 'EC']);
    expect(jwks.keys[1]).toEqual({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: `es-${ctx.deps.keys.currentKid}`, x: expect.any(String), y: expect.any(String) });
    expect(jwks.keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: ctx.deps.keys.currentKid,
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });
});

describe('problems', () => {
  it('404 is a problem in Indonesian by default and English on request', async () => {
    const id = await expectProblem(await ctx.app.request('/no/such/thing'), 404, 'not_found');
    expect(id.title).toBe('Tidak ditemukan');
    const en = await expectProblem(
      await ctx.app.request('/no/such/thing', { headers: { 'Accept-Language': 'en-US,en;q=0.9' } }),
      404,
      'not_found',
    );
    expect(en.title).toBe('Not found');
  });

  it('405 names the allowed methods', async () => {
    const res = await ctx.app.request('/healthz', { method: 'DELETE' });
    await expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('a body over 1 MiB is 413 payload_too_large', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', JSON.stringify({ purpose: big })));
    await expectProblem(res, 413, 'payload_too_large');
  });

  it('a body over 1 MiB without Content-Length (streamed) is 413 too', async () => {
    const chunk = new TextEncoder().encode('y'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await ctx.app.request('/v1/challenges', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectProblem(res, 413, 'payload_too_large');
  });

  it('broken JSON is 400 invalid_request, not a 500', async () => {
    const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', '{"purpose": "login",'));
    await expectProblem(res, 400, 'invalid_request');
  });

  it('a schema mismatch is 400 invalid_request with field errors', async () => {
    const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'teleport' }));
    const body = await expectProblem(res, 400, 'invalid_request');
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'purpose' })]));
  });

  it('every response carries the security headers', async () => {
    const res = await ctx.app.request('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('OpenAPI', () => {
  it('is OpenAPI 3.1 and documents every route the app serves', async () => {
    const res = await ctx.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { summary?: string }>> };
    expect(doc.openapi).toBe('3.1.0');
    const routes = documentedRoutes(ctx.app).filter((r) => !r.doc.hidden);
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const route of routes) {
      const path = openApiPath(route.path);
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path} is documented`).toBeDefined();
      expect(op?.summary, `${route.method} ${route.path} has a summary`).toBeTruthy();
    }
  });

  it('derives request schemas from the zod validators', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>>;
    };
    const body = doc.paths['/v1/challenges']?.post?.requestBody?.content['application/json']?.schema;
    expect(body?.properties).toHaveProperty('purpose');
  });
});

describe('database outage', () => {
  it('readyz is 503 not_ready with Retry-After when the database does not answer', async () => {
    const own = await createTestContext();
    await own.deps.database.close();
    const res = await own.app.request('/readyz');
    await expectProblem(res, 503, 'not_ready');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
