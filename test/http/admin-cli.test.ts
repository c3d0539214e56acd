/** Issue #15 point 9 from the command line: verifier:revoke, verifier:rotate, operator:disable and operator:enable against a real data dir. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config.js';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { auditLog, operators, verifiers } from '../../src/db/schema/index.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
let dataDir: string;

async function script(file: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', IKD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(TSX, [join('scripts', file), ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function withDataDir<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(parseConfig({ NODE_ENV: 'test', IKD_DATA_DIR: dataDir }));
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

const createVerifier = async (name: string) => {
  const { code, stdout } = await script('verifier-create.ts', ['--name', name, '--elements', 'nik,name']);
  expect(code).toBe(0);
  return { id: /\(id (\S+)\)/.exec(stdout)![1]!, apiKey: stdout.trim().split('\n').at(-1)! };
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ikd-admin-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('verifier scripts', () => {
  it('verifier:revoke revokes; verifier:rotate prints a new key once and replaces the old; both audited; a revoked one is not rotated', async () => {
    const a = await createVerifier('Loket CLI A');
    const b = await createVerifier('Loket CLI B');

    const revoked = await script('verifier-revoke.ts', ['--id', a.id]);
    expect(revoked.code).toBe(0);
    const rotated = await script('verifier-rotate.ts', ['--id', b.id]);
    expect(rotated.code).toBe(0);
    const newKey = rotated.stdout.trim().split('\n').at(-1)!;
    expect(newKey).toMatch(/^ikdv_/);
    expect(newKey).not.toBe(b.apiKey);

    const again = await script('verifier-rotate.ts', ['--id', a.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('conflict');
    const unknown = await script('verifier-revoke.ts', ['--id', 'vrf_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not_found');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    await withDataDir(async (db) => {
      const [rowA] = await db.select().from(verifiers).where(eq(verifiers.id, a.id));
      const [rowB] = await db.select().from(verifiers).where(eq(verifiers.id, b.id));
      expect(rowA?.status).toBe('revoked');
      expect(rowB?.apiKeyHash).toBe(sha256Hex(newKey));
      const actions = (await db.select({ action: auditLog.action, targetId: auditLog.targetId }).from(auditLog)).map((r) => `${r.action} ${r.targetId}`);
      expect(actions).toContain(`verifier.revoke ${a.id}`);
      expect(actions).toContain(`verifier.rotate_key ${b.id}`);
    });
  }, 120_000);
});

describe('operator scripts', () => {
  it('operator:disable and operator:enable by username; audited; an unknown username exits 1', async () => {
    const created = await script('operator-create.ts', ['--username', 'dina.cli', '--name', 'Dina', '--role', 'operator', '--office', '7310']);
    expect(created.code).toBe(0);
    const disabled = await script('operator-status.ts', ['disable', '--username', 'Dina.CLI']);
    expect(disabled.code).toBe(0);
    const statusOf = () => withDataDir(async (db) => (await db.select().from(operators).where(eq(operators.username, 'dina.cli')))[0]?.status);
    expect(await statusOf()).toBe('disabled');
    const enabled = await script('operator-status.ts', ['enable', '--username', 'dina.cli']);
    expect(enabled.code).toBe(0);
    expect(await statusOf()).toBe('active');
    const unknown = await script('operator-status.ts', ['disable', '--username', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not_found');
    await withDataDir(async (db) => {
      const actions = (await db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['operator.disable', 'operator.enable']));
    });
  }, 120_000);
});
