/**
 * Issue #15 point 9: admins revoke verifiers and rotate their keys, disable and re-enable operators; each takes
 * effect on the very next request and is audited; admin only. GET /v1/verifier/me checks a counter's key.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, operatorSessions } from '../../src/db/schema/index.js';
import { verifyAuditChain } from '../../src/domain/audit/audit.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, createTestOperator, operatorAuth, operatorLogin, type OperatorSession } from '../helpers/operator.js';
import { createActiveResident, createTestVerifier, issueQr, postVerify, verifierAuth } from '../helpers/resident.js';

let ctx: TestContext;
let admin: OperatorSession;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createOperatorSession(ctx, 'admin');
});
afterAll(async () => {
  await ctx.close();
});

const asAdmin = (method: string, path: string, token = admin.token) => ctx.app.request(path, jsonRequest(method, undefined, operatorAuth(token)));
const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
const auditActions = async (targetId: string) =>
  (await ctx.deps.db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.targetId, targetId))).map(
    (r) => `${r.action} by ${r.actorId}`,
  );
const verifierMe = (apiKey: string) => ctx.app.request('/v1/verifier/me', { headers: verifierAuth(apiKey) });

describe('verifiers', () => {
  it('lists verifiers without keys or hashes', async () => {
    const verifier = await createTestVerifier(ctx, { name: 'Loket Daftar', allowedElements: ['nik', 'name'] });
    const res = await asAdmin('GET', '/v1/admin/verifiers');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(verifier.apiKey);
    const { items } = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(items).toContainEqual({ id: verifier.id, name: 'Loket Daftar', allowedElements: ['nik', 'name'], status: 'active', createdAt: expect.any(String) });
    expect(Object.keys(items[0]!).sort()).toEqual(['allowedElements', 'createdAt', 'id', 'name', 'status']);
  });

  it('revoke: the key answers 401 verifier_unauthorized on the very next request, the token is not consumed; audited once', async () => {
    const verifier = await createTestVerifier(ctx);
    const other = await createTestVerifier(ctx);
    const resident = await createActiveResident(ctx);
    expect((await verifierMe(verifier.apiKey)).status).toBe(200);

    const res = await asAdmin('POST', `/v1/admin/verifiers/${verifier.id}/revoke`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: verifier.id, status: 'revoked' });

    const qr = await issueQr(ctx, resident);
    const refused = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(refused.status).toBe(401);
    expect(await codeOf(refused)).toBe('verifier_unauthorized');
    const bogus = await postVerify(ctx, verifier.apiKey, { token: 'not-a-token' });
    expect(bogus.status).toBe(401);
    expect(await codeOf(bogus)).toBe('verifier_unauthorized');
    const me = await verifierMe(verifier.apiKey);
    expect(me.status).toBe(401);
    expect(await codeOf(me)).toBe('verifier_unauthorized');
    // The refused scan did not use up the holder's QR.
    expect((await postVerify(ctx, other.apiKey, { token: qr.token })).status).toBe(200);

    expect((await asAdmin('POST', `/v1/admin/verifiers/${verifier.id}/revoke`)).status).toBe(200);
    expect(await auditActions(verifier.id)).toEqual(['verifier.create by test', `verifier.revoke by ${admin.operator.id}`]);
    const listed = (await (await asAdmin('GET', '/v1/admin/verifiers')).json()) as { items: { id: string; status: string }[] };
    expect(listed.items.find((v) => v.id === verifier.id)?.status).toBe('revoked');
  });

  it('rotate-key: a new key shown once works, the old one answers 401 at once; audited', async () => {
    const verifier = await createTestVerifier(ctx);
    const res = await asAdmin('POST', `/v1/admin/verifiers/${verifier.id}/rotate-key`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; apiKey: string };
    expect(body.id).toBe(verifier.id);
    expect(body.apiKey).toMatch(/^ikdv_/);
    expect(body.apiKey).not.toBe(verifier.apiKey);

    const old = await verifierMe(verifier.apiKey);
    expect(old.status).toBe(401);
    expect(await codeOf(old)).toBe('verifier_unauthorized');
    const resident = await createActiveResident(ctx);
    const qr = await issueQr(ctx, resident);
    expect((await postVerify(ctx, verifier.apiKey, { token: qr.token })).status).toBe(401);
    expect((await postVerify(ctx, body.apiKey, { token: qr.token })).status).toBe(200);
    expect(await auditActions(verifier.id)).toEqual(['verifier.create by test', `verifier.rotate_key by ${admin.operator.id}`]);
    expect(ctx.logLines.join('\n')).not.toContain(body.apiKey);
  });

  it('a revoked verifier gets no new key (409 conflict); unknown ids are 404 not_found', async () => {
    const verifier = await createTestVerifier(ctx);
    await asAdmin('POST', `/v1/admin/verifiers/${verifier.id}/revoke`);
    const rotate = await asAdmin('POST', `/v1/admin/verifiers/${verifier.id}/rotate-key`);
    expect(rotate.status).toBe(409);
    expect(await codeOf(rotate)).toBe('conflict');
    for (const path of ['/v1/admin/verifiers/vrf_nope/revoke', '/v1/admin/verifiers/vrf_nope/rotate-key']) {
      const res = await asAdmin('POST', path);
      expect(res.status).toBe(404);
      expect(await codeOf(res)).toBe('not_found');
    }
  });
});

describe('GET /v1/verifier/me', () => {
  it('200 with id, name and allowed elements and documents for a valid key', async () => {
    const verifier = await createTestVerifier(ctx, { name: 'Loket Cek', allowedElements: ['nik', 'photo'] });
    const res = await verifierMe(verifier.apiKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: verifier.id, name: 'Loket Cek', allowedElements: ['nik', 'photo'], allowedDocuments: ['ktp'], dataBalikanKinds: [] });
  });

  it.each([
    ['no header', {}],
    ['a wrong key', verifierAuth('ikdv_' + 'x'.repeat(43))],
    ['a malformed header', { Authorization: 'Basic abc' }],
  ])('401 verifier_unauthorized with %s', async (_name, headers) => {
    const res = await ctx.app.request('/v1/verifier/me', { headers });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('verifier_unauthorized');
  });
});

describe('operators', () => {
  it('lists operators without secrets', async () => {
    const op = await createTestOperator(ctx, 'operator');
    const res = await asAdmin('GET', '/v1/admin/operators');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(op.totpSecret);
    expect(text).not.toMatch(/argon2|passwordHash|totpSecret/);
    const { items } = JSON.parse(text) as { items: unknown[] };
    expect(items).toContainEqual({
      id: op.id,
      username: op.username,
      name: op.name,
      role: 'operator',
      officeCode: '7310',
      status: 'active',
      lockedUntil: null,
      createdAt: expect.any(String),
    });
  });

  it('disable ends the sessions at once; login answers 401 invalid_credentials with the body of a wrong password; enable restores login; audited', async () => {
    const session = await createOperatorSession(ctx, 'supervisor');
    const id = session.operator.id;
    expect((await asAdmin('GET', '/v1/operator/me', session.token)).status).toBe(200);

    const res = await asAdmin('POST', `/v1/admin/operators/${id}/disable`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: 'disabled' });

    const me = await asAdmin('GET', '/v1/operator/me', session.token);
    expect(me.status).toBe(401);
    expect(await codeOf(me)).toBe('unauthorized');
    const live = await ctx.deps.db
      .select()
      .from(operatorSessions)
      .where(and(eq(operatorSessions.operatorId, id)));
    expect(live.every((s) => s.revokedAt !== null)).toBe(true);

    const disabledLogin = await operatorLogin(ctx, session.credentials);
    const wrongPassword = await operatorLogin(ctx, { ...admin.credentials, password: 'not-the-password-at-all' });
    expect(disabledLogin.status).toBe(401);
    expect(await codeOf(disabledLogin.clone())).toBe('invalid_credentials');
    expect(wrongPassword.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(await disabledLogin.json())).toEqual(strip(await wrongPassword.json()));

    const enable = await asAdmin('POST', `/v1/admin/operators/${id}/enable`);
    expect(enable.status).toBe(200);
    expect(await enable.json()).toEqual({ id, status: 'active' });
    ctx.clock.advance(31_000); // a fresh TOTP step: each code is accepted once
    expect((await operatorLogin(ctx, session.credentials)).status).toBe(200);

    const actions = await auditActions(id);
    expect(actions).toContain(`operator.disable by ${admin.operator.id}`);
    expect(actions).toContain(`operator.enable by ${admin.operator.id}`);
    expect(await verifyAuditChain(ctx.deps.db)).toMatchObject({ ok: true });
  });

  it('an admin cannot disable themself (409 conflict); unknown ids are 404 not_found', async () => {
    const self = await asAdmin('POST', `/v1/admin/operators/${admin.operator.id}/disable`);
    expect(self.status).toBe(409);
    expect(await codeOf(self)).toBe('conflict');
    for (const path of ['/v1/admin/operators/op_nope/disable', '/v1/admin/operators/op_nope/enable']) {
      const res = await asAdmin('POST', path);
      expect(res.status).toBe(404);
      expect(await codeOf(res)).toBe('not_found');
    }
  });
});

describe('security', () => {
  it.each(['operator', 'supervisor'] as const)('a %s gets 403 forbidden on every admin route and changes nothing', async (role) => {
    const caller = await createOperatorSession(ctx, role);
    const verifier = await createTestVerifier(ctx);
    const target = await createTestOperator(ctx);
    const routes: [string, string][] = [
      ['GET', '/v1/admin/verifiers'],
      ['POST', `/v1/admin/verifiers/${verifier.id}/revoke`],
      ['POST', `/v1/admin/verifiers/${verifier.id}/rotate-key`],
      ['GET', '/v1/admin/operators'],
      ['POST', `/v1/admin/operators/${target.id}/disable`],
      ['POST', `/v1/admin/operators/${target.id}/enable`],
    ];
    for (const [method, path] of routes) {
      const res = await asAdmin(method, path, caller.token);
      expect({ path, status: res.status, code: await codeOf(res) }).toEqual({ path, status: 403, code: 'forbidden' });
    }
    expect((await verifierMe(verifier.apiKey)).status).toBe(200);
    expect(await auditActions(verifier.id)).toEqual(['verifier.create by test']);
  });

  it('without a session: 401 unauthorized', async () => {
    const res = await ctx.app.request('/v1/admin/verifiers');
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('unauthorized');
  });
});
