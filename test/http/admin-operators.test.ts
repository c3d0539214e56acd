/** POST /v1/admin/operators: admins create operators whose password and TOTP work at once; audited; admin only. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/crypto/totp.js';
import { auditLog, operators } from '../../src/db/schema/index.js';
import { verifyAuditChain } from '../../src/domain/audit/audit.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth, operatorLogin } from '../helpers/operator.js';

let ctx: TestContext;
let admin: Awaited<ReturnType<typeof createOperatorSession>>;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createOperatorSession(ctx, 'admin');
});
afterAll(async () => {
  await ctx.close();
});

const createRequest = (body: unknown, token = admin.token) =>
  ctx.app.request('/v1/admin/operators', jsonRequest('POST', body, operatorAuth(token)));

interface Created {
  id: string;
  username: string;
  name: string;
  role: string;
  officeCode: string;
  password: string;
  totpSecret: string;
  otpauthUri: string;
}

describe('happy path', () => {
  it('201 with the password and TOTP shown once; the new operator can log in with them', async () => {
    const res = await createRequest({ username: 'Siti.Rahma', name: 'Siti Rahma', role: 'operator', officeCode: '7310' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body).toMatchObject({ username: 'siti.rahma', name: 'Siti Rahma', role: 'operator', officeCode: '7310' });
    expect(body.id).toMatch(/^op_/);
    expect(body.password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(body.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(body.totpSecret);

    // Stored: the argon2id hash, never the password.
    const [row] = await ctx.deps.db.select().from(operators).where(eq(operators.id, body.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(body.password);

    const login = await operatorLogin(ctx, { username: body.username, password: body.password, totpSecret: body.totpSecret });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { operator: { role: string } }).operator.role).toBe('operator');

    // Audited with the admin as actor, without any secret.
    const [entry] = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, body.id));
    expect(entry).toMatchObject({ actorType: 'operator', actorId: admin.operator.id, action: 'operator.created' });
    expect(entry!.details).toEqual({ username: 'siti.rahma', role: 'operator', officeCode: '7310' });
    const everything = JSON.stringify(await ctx.deps.db.select().from(auditLog)) + ctx.logLines.join('\n');
    expect(everything).not.toContain(body.password);
    expect(everything).not.toContain(body.totpSecret);
    expect((await verifyAuditChain(ctx.deps.db)).ok).toBe(true);
  });

  it('creates supervisors and admins too, each with their own secret', async () => {
    const a = (await (await createRequest({ username: 'kabid.pangkep', name: 'Kabid', role: 'supervisor', officeCode: '73' })).json()) as Created;
    const b = (await (await createRequest({ username: 'admin.pusat', name: 'Admin Pusat', role: 'admin', officeCode: '731004' })).json()) as Created;
    expect(a.role).toBe('supervisor');
    expect(b.role).toBe('admin');
    expect(a.totpSecret).not.toBe(b.totpSecret);
    expect(a.password).not.toBe(b.password);
    expect(await totpCode(a.totpSecret, ctx.clock.now())).not.toBe(await totpCode(b.totpSecret, ctx.clock.now()));
  });
});

describe('errors', () => {
  it('409 conflict for a taken username, in any case', async () => {
    expect((await createRequest({ username: 'dup.user', name: 'One', role: 'operator', officeCode: '7310' })).status).toBe(201);
    const res = await createRequest({ username: 'DUP.user', name: 'Two', role: 'operator', officeCode: '7310' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('conflict');
    const rows = await ctx.deps.db.select().from(operators).where(eq(operators.username, 'dup.user'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('One');
  });

  it('400 invalid_request for a bad username, role, office code or a missing field', async () => {
    for (const body of [
      { username: 'ab', name: 'X', role: 'operator', officeCode: '7310' },
      { username: 'with space', name: 'X', role: 'operator', officeCode: '7310' },
      { username: "x'; drop table operators;--", name: 'X', role: 'operator', officeCode: '7310' },
      { username: 'valid.name', name: 'X', role: 'root', officeCode: '7310' },
      { username: 'valid.name', name: 'X', role: 'operator', officeCode: '731' },
      { username: 'valid.name', name: '', role: 'operator', officeCode: '7310' },
      { username: 'valid.name', role: 'operator', officeCode: '7310' },
    ]) {
      const res = await createRequest(body);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors: unknown[] };
      expect(problem.code).toBe('invalid_request');
      expect(problem.errors.length).toBeGreaterThan(0);
    }
    expect(await ctx.deps.db.select().from(operators).where(eq(operators.username, 'valid.name'))).toHaveLength(0);
  });
});

describe('security', () => {
  it('only admins: an operator or supervisor gets 403, no session gets 401, and nothing is created', async () => {
    for (const role of ['operator', 'supervisor'] as const) {
      const { token } = await createOperatorSession(ctx, role);
      const res = await createRequest({ username: `by.${role}`, name: 'X', role: 'admin', officeCode: '7310' }, token);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('forbidden');
    }
    const anonymous = await ctx.app.request('/v1/admin/operators', jsonRequest('POST', { username: 'by.nobody', name: 'X', role: 'admin', officeCode: '7310' }));
    expect(anonymous.status).toBe(401);
    const rows = await ctx.deps.db.select().from(operators);
    expect(rows.map((r) => r.username)).not.toEqual(expect.arrayContaining(['by.operator']));
    expect(rows.some((r) => r.username.startsWith('by.'))).toBe(false);
  });

  it('is documented in /openapi.json with the operator bearer scheme', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const op = doc.paths['/v1/admin/operators']?.post;
    expect(op?.security).toEqual([{ operator: [] }]);
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
  });
});
