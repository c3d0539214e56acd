/** Operator sessions and requireOperator: idle and absolute expiry, logout, roles, cookie auth with its CSRF rule. */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operators, operatorSessions } from '../../src/db/schema/index.js';
import { requireOperator, currentOperator } from '../../src/http/auth/operator.js';
import type { AppEnv } from '../../src/http/context.js';
import { init } from '../../src/http/middleware.js';
import { problemResponse, toAppError } from '../../src/http/problem.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession, createTestOperator, operatorAuth, operatorLogin } from '../helpers/operator.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const me = (headers: Record<string, string>) => ctx.app.request('/v1/operator/me', { headers });
const MIN = 60_000;

describe('session lifetime', () => {
  it('ends after 30 minutes without use; each use restarts the idle timer', async () => {
    const { token } = await createOperatorSession(ctx);
    ctx.clock.advance(29 * MIN);
    expect((await me(operatorAuth(token))).status).toBe(200);
    ctx.clock.advance(29 * MIN);
    expect((await me(operatorAuth(token))).status).toBe(200);
    ctx.clock.advance(30 * MIN + 1);
    const res = await me(operatorAuth(token));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
  });

  it('ends 12 hours after login however busy it is', async () => {
    const { token } = await createOperatorSession(ctx);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      ctx.clock.advance(20 * MIN);
      expect((await me(operatorAuth(token))).status).toBe(200);
    }
    // 11 h 40 min so far.
    ctx.clock.advance(19 * MIN);
    expect((await me(operatorAuth(token))).status).toBe(200);
    ctx.clock.advance(1 * MIN);
    expect((await me(operatorAuth(token))).status).toBe(401);
  });

  it('logout: 204, the token is dead, a second logout is 401', async () => {
    const { token, operator } = await createOperatorSession(ctx);
    const out = await ctx.app.request('/v1/operator/logout', { method: 'POST', headers: operatorAuth(token) });
    expect(out.status).toBe(204);
    expect((await me(operatorAuth(token))).status).toBe(401);
    expect((await ctx.app.request('/v1/operator/logout', { method: 'POST', headers: operatorAuth(token) })).status).toBe(401);
    const [session] = await ctx.deps.db.select().from(operatorSessions).where(eq(operatorSessions.operatorId, operator.id));
    expect(session!.revokedAt).toEqual(ctx.clock.now());
  });

  it('a disabled operator\'s sessions stop working at once', async () => {
    const { token, operator } = await createOperatorSession(ctx);
    await ctx.deps.db.update(operators).set({ status: 'disabled' }).where(eq(operators.id, operator.id));
    expect((await me(operatorAuth(token))).status).toBe(401);
  });

  it('a second session of the same operator is independent', async () => {
    const op = await createTestOperator(ctx);
    const a = (await (await operatorLogin(ctx, op)).json()) as { token: string };
    ctx.clock.advance(30_000);
    const b = (await (await operatorLogin(ctx, op)).json()) as { token: string };
    await ctx.app.request('/v1/operator/logout', { method: 'POST', headers: operatorAuth(a.token) });
    expect((await me(operatorAuth(a.token))).status).toBe(401);
    expect((await me(operatorAuth(b.token))).status).toBe(200);
  });
});

describe('requireOperator', () => {
  // A small app with one route per role requirement, behind the real middleware.
  const probe = () => {
    const app = new Hono<AppEnv>();
    app.use('*', init(ctx.deps));
    app.get('/any', requireOperator(), (c) => c.json(currentOperator(c)));
    app.get('/operator', requireOperator('operator'), (c) => c.text('ok'));
    app.get('/supervisor', requireOperator('supervisor'), (c) => c.text('ok'));
    app.get('/admin', requireOperator('admin'), (c) => c.text('ok'));
    app.get('/supervisor-or-admin', requireOperator('admin', 'supervisor'), (c) => c.text('ok'));
    app.onError((e, c) => problemResponse(c, toAppError(e)));
    return app;
  };

  it('roles nest: admin ⊇ supervisor ⊇ operator', async () => {
    const app = probe();
    const expected = {
      operator: { '/operator': 200, '/supervisor': 403, '/admin': 403, '/supervisor-or-admin': 403 },
      supervisor: { '/operator': 200, '/supervisor': 200, '/admin': 403, '/supervisor-or-admin': 200 },
      admin: { '/operator': 200, '/supervisor': 200, '/admin': 200, '/supervisor-or-admin': 200 },
    } as const;
    for (const role of ['operator', 'supervisor', 'admin'] as const) {
      const { token } = await createOperatorSession(ctx, role);
      for (const [path, status] of Object.entries(expected[role])) {
        const res = await app.request(path, { headers: operatorAuth(token) });
        expect(`${role} ${path} ${res.status}`).toBe(`${role} ${path} ${status}`);
        if (status === 403) expect(((await res.json()) as { code: string }).code).toBe('forbidden');
      }
    }
  });

  it('puts the principal on the context', async () => {
    const { token, operator } = await createOperatorSession(ctx, 'supervisor', { officeCode: '5108' });
    const res = await probe().request('/any', { headers: operatorAuth(token) });
    // The login's answer also carries the office's timeZone, a display hint the session principal does not hold.
    const { timeZone: _zone, ...principal } = operator as typeof operator & { timeZone?: string };
    expect(await res.json()).toMatchObject({ ...principal, officeCode: '5108' });
  });

  it('401 for a missing, malformed, unknown or resident-looking token', async () => {
    const app = probe();
    const cases: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer' },
      { Authorization: 'Basic dXNlcjpwYXNz' },
      { Authorization: 'Bearer a b' },
      { Authorization: `Bearer ${'x'.repeat(300)}` },
      { Authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' },
      { Authorization: 'Bearer unknowntokenunknowntokenunknowntokenunknown' },
    ];
    for (const headers of cases) {
      const res = await app.request('/any', { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
    }
  });
});

describe('console cookie', () => {
  const loginForCookie = async () => {
    const op = await createTestOperator(ctx);
    const res = await operatorLogin(ctx, op, { headers: { 'X-Requested-With': 'ikd-console' } });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('Set-Cookie') ?? '';
    const { token } = (await res.json()) as { token: string };
    return { setCookie, token, cookie: `__Host-ikd_op=${token}` };
  };

  it('the console gets a __Host- cookie: Secure, HttpOnly, SameSite=Strict, Path=/', async () => {
    const { setCookie, token } = await loginForCookie();
    expect(setCookie).toContain(`__Host-ikd_op=${token}`);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
  });

  it('GET with the cookie works without any extra header', async () => {
    const { cookie } = await loginForCookie();
    expect((await me({ Cookie: cookie })).status).toBe(200);
    // The cookie without its __Host- prefix is not the session cookie.
    const { token } = await loginForCookie();
    expect((await me({ Cookie: `ikd_op=${token}` })).status).toBe(401);
  });

  it('an unsafe method with the cookie needs X-Requested-With: ikd-console or our Origin, else 403 csrf_failed', async () => {
    const { cookie } = await loginForCookie();
    const logout = (headers: Record<string, string>) => ctx.app.request('/v1/operator/logout', { method: 'POST', headers: { Cookie: cookie, ...headers } });
    const refused: Record<string, string>[] = [{}, { Origin: 'https://evil.example' }, { 'X-Requested-With': 'XMLHttpRequest' }, { Origin: 'null' }];
    for (const headers of refused) {
      const res = await logout(headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('csrf_failed');
    }
    expect((await me({ Cookie: cookie })).status).toBe(200);
    const ok = await logout({ Origin: 'https://ikd.test' });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('Set-Cookie')).toMatch(/__Host-ikd_op=;.*Max-Age=0/);
    expect((await me({ Cookie: cookie })).status).toBe(401);

    const second = await loginForCookie();
    const res = await ctx.app.request('/v1/operator/logout', {
      method: 'POST',
      headers: { Cookie: second.cookie, 'X-Requested-With': 'ikd-console' },
    });
    expect(res.status).toBe(204);
  });
});
