/** Issue #14 point 1 from the command line: `npm run oidc-client:create` registers a client with its secret hashed. */
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
import { auditLog, oidcClients, verifiers } from '../../src/db/schema/index.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
let dataDir: string;

async function script(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', IKD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://ikd.test' };
  try {
    const { stdout, stderr } = await run(TSX, [join('scripts', 'oidc-client-create.ts'), ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ikd-oidc-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run oidc-client:create', () => {
  it('prints the client id and the secret once; the database holds its SHA-256, a verifiers row and the audit', async () => {
    const { code, stdout } = await script(['--name', 'Layanan Samsat Online', '--redirect-uri', 'https://samsat.test/cb', '--scopes', 'openid,profile,nik']);
    expect(code).toBe(0);
    const clientId = /client_id: (\S+)/.exec(stdout)![1]!;
    const secret = stdout.trim().split('\n').at(-1)!;
    expect(secret).toMatch(/^ikdcs_/);
    expect(stdout).toContain('https://ikd.test/.well-known/openid-configuration');
    const database = await openDatabase(parseConfig({ NODE_ENV: 'test', IKD_DATA_DIR: dataDir }));
    try {
      const [row] = await database.db.select().from(oidcClients).where(eq(oidcClients.id, clientId));
      expect(row).toMatchObject({ name: 'Layanan Samsat Online', secretHash: sha256Hex(secret), redirectUris: ['https://samsat.test/cb'], allowedScopes: ['openid', 'profile', 'nik'] });
      const [verifier] = await database.db.select().from(verifiers).where(eq(verifiers.id, row!.verifierId));
      expect(verifier!.name).toBe('Layanan Samsat Online');
      const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, clientId));
      expect(audit.map((a) => `${a.action} by ${a.actorId}`)).toEqual(['oidc_client.create by cli']);
    } finally {
      await database.close();
    }
  });

  it('refuses a scope list without openid and a bad redirect URI, exit 1', async () => {
    expect((await script(['--name', 'X', '--redirect-uri', 'https://x.test/cb', '--scopes', 'profile'])).code).toBe(1);
    const bad = await script(['--name', 'X', '--redirect-uri', 'not-a-url']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid_request');
  });
});
