/** POST /v1/operator/login: password + TOTP, one body for every wrong part, lockout, single-use codes, rate limits. */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { auditLog, operatorLoginLocks, operators, operatorSessions } from '../../src/db/schema/index.js';
import { queryRows } from '../../src/db/types.js';
import { verifyAuditChain } from '../../src/domain/audit/audit.js';
import { LOGIN_RATE_LIMITS } from '../../src/domain/operators/operators.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createTestOperator, currentOtp, operatorAuth, operatorLogin } from '../helpers/operator.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

/** A problem body without its per-request id: what must be identical across failure kinds. */
async function problemWithoutId(res: Response) {
  const body = (await res.json()) as Record<string, unknown>;
  delete body.requestId;
  return body;
}

const auditActions = async (operatorId: string) =>
  (
    await ctx.deps.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.actorId, operatorId))
      .orderBy(auditLog.seq)
  ).map((r) => ({ action: r.action, reason: (r.details as { reason?: string }).reason }));

describe('happy path', () => {
  it('logs in with password and the current code, and the token works on /v1/operator/me', async () => {
    const op = await createTestOperator(ctx, 'supervisor', { officeCode: '7310', name: 'Andi Pangkep' });
    const res = await operatorLogin(ctx, op);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expiresAt: string; idleTimeoutSeconds: number; operator: unknown };
    expect(body.operator).toEqual({ id: op.id, name: 'Andi Pangkep', role: 'supervisor', officeCode: '7310', timeZone: 'WITA' });
    expect(new Date(body.expiresAt).getTime()).toBe(ctx.clock.now().getTime() + 12 * 3600_000);
    expect(body.idleTimeoutSeconds).toBe(1800);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('Set-Cookie')).toBeNull();

    const me = await ctx.app.request('/v1/operator/me', { headers: operatorAuth(body.token) });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ id: op.id, name: 'Andi Pangkep', role: 'supervisor', officeCode: '7310', timeZone: 'WITA' });

    // Only the hash of the token is stored.
    const sessions = await ctx.deps.db.select().from(operatorSessions).where(eq(operatorSessions.operatorId, op.id));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).toBe(sha256Hex(body.token));
    const [row] = await ctx.deps.db.select().from(operators).where(eq(operators.id, op.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(op.password);
    expect(await auditActions(op.id)).toEqual([{ action: 'operator.login', reason: undefined }]);
  });

  it('accepts the username in any case and a code from the previous 30-second step (clock drift)', async () => {
    const op = await createTestOperator(ctx);
    const res = await operatorLogin(ctx, { ...op, username: op.username.toUpperCase() }, { otp: await currentOtp(ctx, op.totpSecret, -1) });
    expect(res.status).toBe(200);
  });
});

describe('one body for every wrong part', () => {
  it('unknown user, wrong password, wrong code and a disabled operator all get the same 401', async () => {
    const op = await createTestOperator(ctx);
    const disabled = await createTestOperator(ctx);
    await ctx.deps.db.update(operators).set({ status: 'disabled' }).where(eq(operators.id, disabled.id));
    const goodOtp = await currentOtp(ctx, op.totpSecret);
    const wrongOtp = String((Number(goodOtp) + 1) % 1_000_000).padStart(6, '0');

    const responses = [
      await operatorLogin(ctx, { ...op, username: 'nobody.here' }),
      await operatorLogin(ctx, { ...op, password: 'not-the-password-at-all' }),
      await operatorLogin(ctx, op, { otp: wrongOtp }),
      await operatorLogin(ctx, op, { otp: await currentOtp(ctx, op.totpSecret, 2) }),
      await operatorLogin(ctx, disabled),
    ];
    const bodies = [];
    for (const res of responses) {
      expect(res.status).toBe(401);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      bodies.push(await problemWithoutId(res));
    }
    expect(bodies[0]).toMatchObject({ status: 401, code: 'invalid_credentials' });
    for (const body of bodies) expect(body).toEqual(bodies[0]);

    expect(await auditActions(op.id)).toEqual([
      { action: 'operator.login_failed', reason: 'wrong_password' },
      { action: 'operator.login_failed', reason: 'wrong_otp' },
      { action: 'operator.login_failed', reason: 'wrong_otp' },
    ]);
    const anonymous = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.actorId, 'anonymous'));
    expect(anonymous.length).toBeGreaterThanOrEqual(1);
    // The attempted username is never recorded (it may be a password typed in the wrong field).
    expect(JSON.stringify(anonymous)).not.toContain('nobody.here');
  });

  it('a malformed code is a 400 invalid_request before any credential is looked at', async () => {
    const op = await createTestOperator(ctx);
    const res = await operatorLogin(ctx, op, { otp: '12ab56' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
    const [row] = await ctx.deps.db.select().from(operators).where(eq(operators.id, op.id));
    expect(row!.failedLogins).toBe(0);
  });
});

describe('lockout', () => {
  it('five wrong tries, then 423 operator_locked with Retry-After for 15 minutes, even with the right credentials', async () => {
    const op = await createTestOperator(ctx);
    for (let i = 0; i < 5; i++) {
      const res = await operatorLogin(ctx, { ...op, password: `wrong-password-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await operatorLogin(ctx, op);
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('operator_locked');
    expect(Number(locked.headers.get('Retry-After'))).toBe(900);

    ctx.clock.advance(10 * 60_000);
    const still = await operatorLogin(ctx, op);
    expect(still.status).toBe(423);
    expect(Number(still.headers.get('Retry-After'))).toBe(300);

    ctx.clock.advance(5 * 60_000);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
    const actions = (await auditActions(op.id)).map((a) => a.action);
    expect(actions.filter((a) => a === 'operator.login_failed')).toHaveLength(7);
    const lockRows = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'operator.locked'), eq(auditLog.targetId, op.id)));
    expect(lockRows).toHaveLength(1);
  });

  it('a success resets the count: failures must be consecutive', async () => {
    const op = await createTestOperator(ctx);
    for (let i = 0; i < 4; i++) expect((await operatorLogin(ctx, { ...op, password: 'wrong-password-x' })).status).toBe(401);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
    ctx.clock.advance(30_000);
    for (let i = 0; i < 4; i++) expect((await operatorLogin(ctx, { ...op, password: 'wrong-password-y' })).status).toBe(401);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
  });

  it('twelve parallel guesses from one address: at most five are judged, that address ends locked', async () => {
    const op = await createTestOperator(ctx);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ctx.app.request(
          '/v1/operator/login',
          jsonRequest('POST', { username: op.username, password: `guess-${i}-password`, otp: '000000' }, { 'cf-connecting-ip': '203.0.113.12' }),
        ),
      ),
    );
    // The per-username limit is 10 a minute: the rest are 429 before anything else.
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401 || s === 423 || s === 429)).toHaveLength(12);
    const judged = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, op.id), sql`${auditLog.details}->>'reason' = 'wrong_password'`));
    expect(judged.length).toBeLessThanOrEqual(5);
    const [row] = await ctx.deps.db
      .select()
      .from(operatorLoginLocks)
      .where(and(eq(operatorLoginLocks.usernameHash, sha256Hex(op.username)), eq(operatorLoginLocks.address, '203.0.113.12')));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(ctx.clock.now().getTime());
    ctx.clock.advance(60_000);
    const locked = await operatorLogin(ctx, op, { ip: '203.0.113.12' });
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('operator_locked');
  });
});

describe('a TOTP code is accepted once', () => {
  it('the same code again is 401, even after logout; the next step\'s code works', async () => {
    const op = await createTestOperator(ctx);
    const otp = await currentOtp(ctx, op.totpSecret);
    const first = await operatorLogin(ctx, op, { otp });
    expect(first.status).toBe(200);
    const { token } = (await first.json()) as { token: string };
    expect((await ctx.app.request('/v1/operator/logout', { method: 'POST', headers: operatorAuth(token) })).status).toBe(204);

    const replay = await operatorLogin(ctx, op, { otp });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('invalid_credentials');
    // An older step than the last accepted one is refused too.
    expect((await operatorLogin(ctx, op, { otp: await currentOtp(ctx, op.totpSecret, -1) })).status).toBe(401);

    ctx.clock.advance(30_000);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
    const reasons = (await auditActions(op.id)).filter((a) => a.action === 'operator.login_failed').map((a) => a.reason);
    expect(reasons).toEqual(['otp_reused', 'otp_reused']);
  });

  it('two identical requests at the same instant: exactly one 200', async () => {
    for (let round = 0; round < 3; round++) {
      const op = await createTestOperator(ctx);
      const otp = await currentOtp(ctx, op.totpSecret);
      const [a, b] = await Promise.all([operatorLogin(ctx, op, { otp }), operatorLogin(ctx, op, { otp })]);
      expect([a.status, b.status].sort()).toEqual([200, 401]);
      const sessions = await ctx.deps.db.select().from(operatorSessions).where(eq(operatorSessions.operatorId, op.id));
      expect(sessions).toHaveLength(1);
    }
  });

  it('five parallel requests with one code: exactly one session, the operator is not locked', async () => {
    const op = await createTestOperator(ctx);
    const otp = await currentOtp(ctx, op.totpSecret);
    const responses = await Promise.all(Array.from({ length: 5 }, () => operatorLogin(ctx, op, { otp })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    const [{ count }] = (await queryRows<{ count: number }>(
      ctx.deps.db,
      sql`select count(*)::int as count from operator_sessions where operator_id = ${op.id}`,
    )) as [{ count: number }];
    expect(Number(count)).toBe(1);
    ctx.clock.advance(30_000);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('per username: the eleventh try in a minute is 429 with Retry-After, from any IP', async () => {
    const op = await createTestOperator(ctx);
    // Spread over locks: use a fresh operator per call would defeat the point, so count 429s on one name.
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_RATE_LIMITS.perUsername.limit + 1; i++) {
      const res = await ctx.app.request(
        '/v1/operator/login',
        jsonRequest('POST', { username: op.username, password: 'wrong-password-z', otp: '123456' }, { 'cf-connecting-ip': `192.0.2.${i + 1}` }),
      );
      statuses.push(res.status);
      if (res.status === 429) {
        expect(((await res.json()) as { code: string }).code).toBe('rate_limited');
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, LOGIN_RATE_LIMITS.perUsername.limit).every((s) => s === 401 || s === 423)).toBe(true);
  });

  it('per IP: the 21st try from one address in a minute is 429, whatever the usernames', async () => {
    ctx.clock.advance(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_RATE_LIMITS.perIp.limit + 1; i++) {
      const res = await ctx.app.request(
        '/v1/operator/login',
        jsonRequest('POST', { username: `spray.${i}`, password: 'Password123!', otp: '123456' }, { 'cf-connecting-ip': '203.0.113.250' }),
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, LOGIN_RATE_LIMITS.perIp.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    const op = await createTestOperator(ctx);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
  });
});

describe('security', () => {
  it('no password, code, token or TOTP secret reaches the log', async () => {
    const op = await createTestOperator(ctx);
    const otp = await currentOtp(ctx, op.totpSecret);
    const res = await operatorLogin(ctx, op, { otp });
    const { token } = (await res.json()) as { token: string };
    await ctx.app.request('/v1/operator/me', { headers: operatorAuth(token) });
    await operatorLogin(ctx, { ...op, password: 'canary-wrong-password-777' });
    const log = ctx.logLines.join('\n');
    for (const secret of [op.password, token, op.totpSecret, 'canary-wrong-password-777']) expect(log).not.toContain(secret);
    // Audit details never hold them either.
    const audit = JSON.stringify(await ctx.deps.db.select().from(auditLog));
    for (const secret of [op.password, token, op.totpSecret, 'canary-wrong-password-777']) expect(audit).not.toContain(secret);
  });

  it('every login, failure, lock and logout is in the audit chain, and the chain verifies', async () => {
    const result = await verifyAuditChain(ctx.deps.db);
    expect(result.ok).toBe(true);
    const actions = await queryRows<{ action: string }>(ctx.deps.db, sql`select distinct action from audit_log order by action`);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['operator.created', 'operator.login', 'operator.login_failed', 'operator.locked', 'operator.logout']),
    );
  });

  it('the login is in /openapi.json', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/v1/operator/login']?.post).toBeDefined();
    expect(doc.paths['/v1/operator/logout']?.post).toBeDefined();
    expect(doc.paths['/v1/operator/me']?.get).toBeDefined();
  });
});
