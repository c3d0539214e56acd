/** Creating verifiers: POST /v1/admin/verifiers (admin only, audited, key shown once) and `npm run verifier:create`. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { auditLog, verifiers } from '../../src/db/schema/index.js';
import { prepareDevelopmentData } from '../../src/dev/setup.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import { createActiveResident, issueQr, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
let adminToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  adminToken = (await createOperatorSession(ctx, 'admin')).token;
});
afterAll(async () => {
  await ctx?.close();
});

const createVerifierRequest = (token: string | undefined, body: unknown) =>
  ctx.app.request('/v1/admin/verifiers', jsonRequest('POST', body, token ? operatorAuth(token) : {}));

describe('POST /v1/admin/verifiers', () => {
  it('creates a verifier (201): the key is shown once, stored as SHA-256, works at once, and the act is audited', async () => {
    const res = await createVerifierRequest(adminToken, { name: 'Samsat Pangkep', allowedElements: ['name', 'nik', 'address'] });
    expect(res.status).toBe(201);
    const { id, apiKey } = (await res.json()) as { id: string; apiKey: string };
    expect(apiKey).toMatch(/^ikdv_[A-Za-z0-9_-]{43}$/);
    const [row] = await ctx.deps.db.select().from(verifiers).where(eq(verifiers.id, id));
    expect(row).toMatchObject({ name: 'Samsat Pangkep', apiKeyHash: sha256Hex(apiKey), allowedElements: ['nik', 'name', 'address'], status: 'active' });
    expect(JSON.stringify(row)).not.toContain(apiKey);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'verifier.create'), eq(auditLog.targetId, id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorType).toBe('operator');
    expect(JSON.stringify(audit[0])).not.toContain(apiKey);

    const resident = await createActiveResident(ctx);
    const verify = await postVerify(ctx, apiKey, { token: (await issueQr(ctx, resident)).token });
    expect(verify.status).toBe(200);
    expect(Object.keys(((await verify.json()) as { resident: object }).resident).sort()).toEqual(['address', 'name', 'nik']);
  });

  it('is for admins only: 401 without a session, 403 for an operator or a supervisor', async () => {
    const body = { name: 'Bank X', allowedElements: ['nik'] };
    expect((await createVerifierRequest(undefined, body)).status).toBe(401);
    for (const role of ['operator', 'supervisor'] as const) {
      const session = await createOperatorSession(ctx, role);
      const res = await createVerifierRequest(session.token, body);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('forbidden');
    }
    const resident = await createActiveResident(ctx);
    expect((await createVerifierRequest(resident.accessToken, body)).status).toBe(401);
  });

  it('takes allowedDocuments (default ["ktp"])', async () => {
    const res = await createVerifierRequest(adminToken, { name: 'Disdik Pangkep', allowedElements: ['nik', 'name'], allowedDocuments: ['family_card', 'ktp'] });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [row] = await ctx.deps.db.select().from(verifiers).where(eq(verifiers.id, id));
    expect(row!.allowedDocuments).toEqual(['ktp', 'family_card']);
    const plain = (await (await createVerifierRequest(adminToken, { name: 'Bank Y', allowedElements: ['nik'] })).json()) as { id: string };
    const [plainRow] = await ctx.deps.db.select().from(verifiers).where(eq(verifiers.id, plain.id));
    expect(plainRow!.allowedDocuments).toEqual(['ktp']);
  });

  it('validates the body (400 invalid_request)', async () => {
    for (const body of [
      {},
      { name: '', allowedElements: ['nik'] },
      { name: 'X', allowedElements: [] },
      { name: 'X', allowedElements: ['kk'] },
      { name: 'X', allowedElements: ['nik'], allowedDocuments: ['passport'] },
      { name: 'X', allowedElements: ['nik'], allowedDocuments: [] },
    ]) {
      const res = await createVerifierRequest(adminToken, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
    }
  });
});

describe('npm run verifier:create', () => {
  it('prints the API key once and stores only its hash', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ikd-verifier-'));
    try {
      const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
      const { stdout } = await promisify(execFile)(
        tsx,
        ['scripts/verifier-create.ts', '--name', 'BPJS Kesehatan Pangkep', '--elements', 'nik,name,photo', '--documents', 'ktp,family_card'],
        { env: { ...process.env, DATABASE_URL: '', IKD_DATA_DIR: dataDir, NODE_ENV: 'development' } },
      );
      const apiKey = /^(ikdv_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
      expect(apiKey).toBeDefined();
      expect(stdout.split(apiKey!).length).toBe(2); // printed exactly once
      const database = await createPgliteDatabase(join(dataDir, 'pgdata'));
      try {
        const rows = await database.db.select().from(verifiers);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ name: 'BPJS Kesehatan Pangkep', apiKeyHash: sha256Hex(apiKey!), allowedElements: ['nik', 'name', 'photo'], allowedDocuments: ['ktp', 'family_card'] });
      } finally {
        await database.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('development credentials', () => {
  it('dev-credentials.json holds a demo verifier whose API key redeems a demo resident’s QR', async () => {
    const devDir = await mkdtemp(join(tmpdir(), 'ikd-dev-verifier-'));
    const dev = await createTestContext({ config: { IKD_DATA_DIR: devDir, IKD_SEED_COUNT: '5' } });
    try {
      await prepareDevelopmentData(dev.deps);
      const file = JSON.parse(await readFile(join(devDir, 'dev-credentials.json'), 'utf8')) as { verifier: { name: string; apiKey: string } };
      expect(file.verifier.name).toMatch(/\S/);
      expect(file.verifier.apiKey).toMatch(/^ikdv_/);
      const resident = await createActiveResident(dev);
      const res = await postVerify(dev, file.verifier.apiKey, { token: (await issueQr(dev, resident)).token });
      expect(res.status).toBe(200);
      expect(dev.logLines.join('\n')).not.toContain(file.verifier.apiKey);
    } finally {
      await dev.close();
      await rm(devDir, { recursive: true, force: true });
    }
  });
});
