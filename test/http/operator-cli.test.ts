/**
 * The command-line tools against a real data directory (PGlite in IKD_DATA_DIR, as on a fresh clone):
 * `npm run operator:create` and `npm run audit:verify`; and the demo operator + admin of dev-credentials.json.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPinPepper } from '../../src/crypto/pepper-file.js';
import { createPinHasher } from '../../src/crypto/pin.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { totpCode } from '../../src/crypto/totp.js';
import { openDatabase } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config.js';
import { operators } from '../../src/db/schema/index.js';
import { appendAudit } from '../../src/domain/audit/audit.js';
import { createDailyCheckpoint } from '../../src/domain/audit/checkpoint.js';
import { loadKeyRing } from '../../src/crypto/keyring-file.js';
import { writeFile } from 'node:fs/promises';
import { prepareDevelopmentData } from '../../src/dev/setup.js';
import { createTestContext, jsonRequest } from '../helpers/context.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
let dataDir: string;

/** Runs a script with PGlite in dataDir (never the CI database); resolves with code and output. */
async function script(file: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', IKD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', ...extraEnv };
  try {
    const { stdout, stderr } = await run(TSX, [join('scripts', file), ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Opens the same data directory the scripts use (only while no script runs: PGlite is single-process). */
async function withDataDir<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(parseConfig({ NODE_ENV: 'test', IKD_DATA_DIR: dataDir }));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ikd-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run operator:create', () => {
  it('creates the operator and prints the password once, the otpauth URI and a terminal QR', async () => {
    const { code, stdout } = await script('operator-create.ts', ['--username', 'Budi.S', '--name', 'Budi Santoso', '--role', 'supervisor', '--office', '7310']);
    expect(code).toBe(0);
    const password = /Password[^:]*: (\S+)/.exec(stdout)?.[1];
    const secret = /TOTP secret: ([A-Z2-7]+)/.exec(stdout)?.[1];
    const uri = /otpauth URI: (\S+)/.exec(stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(new URL(uri!).searchParams.get('secret')).toBe(secret);
    expect(stdout).toMatch(/[▀▄█]/); // the terminal QR

    await withDataDir(async (database) => {
      const [row] = await database.db.select().from(operators).where(eq(operators.username, 'budi.s'));
      expect(row).toMatchObject({ name: 'Budi Santoso', role: 'supervisor', officeCode: '7310' });
      const pepper = await loadPinPepper(parseConfig({ NODE_ENV: 'test', IKD_DATA_DIR: dataDir }));
      // Stored sealed (docs/keys.md), never in clear.
      expect(row!.totpSecret).not.toContain(secret!);
      expect(await createSecretBox(pepper).open(row!.totpSecret, row!.id)).toBe(secret);
      const hasher = createPinHasher(pepper);
      expect(await hasher.verify(row!.passwordHash, password!)).toBe(true);
    });
  });

  it('exits 1 with a message for a taken username or bad arguments', async () => {
    const taken = await script('operator-create.ts', ['--username', 'budi.s', '--name', 'Other', '--role', 'operator', '--office', '7310']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('taken');
    const badRole = await script('operator-create.ts', ['--username', 'x.y.z', '--name', 'X', '--role', 'root', '--office', '7310']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role');
    const missing = await script('operator-create.ts', ['--username', 'x.y.z']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('usage');
  });
});

describe('every script, given a bad environment variable', () => {
  it.each(['migrate.ts', 'seed.ts', 'keys-rotate.ts', 'audit-verify.ts'])(
    '%s exits 1 naming it, without a stack trace',
    async (file) => {
      const result = await script(file, [], { DATABASE_POOL_SIZE: 'lots' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DATABASE_POOL_SIZE');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('npm run audit:verify', () => {
  it('prints OK with the row count, then names the first broken row and exits 1 after tampering', async () => {
    await withDataDir(async (database) => {
      for (let i = 0; i < 3; i++) {
        await appendAudit(database.db, { actorType: 'system', actorId: 'test', action: 'test.event', targetType: 't', targetId: String(i) }, new Date());
      }
    });
    const ok = await script('audit-verify.ts');
    expect(ok.code).toBe(0);
    // operator.created from the previous test + 3.
    expect(ok.stdout).toMatch(/^OK: audit chain intact, 4 rows; head seq 4 hash [0-9a-f]{64}\n$/);

    await withDataDir(async (database) => {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`update audit_log set target_id = 'forged' where seq = 3`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
    });
    const broken = await script('audit-verify.ts');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN: audit row seq 3');
    const json = await script('audit-verify.ts', ['--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, checked: 2, firstBrokenSeq: 3, problem: 'hash_mismatch' });
  });
});

describe('npm run audit:verify -- --checkpoint', () => {
  it('holds against the auditor\'s checkpoint on an intact chain; fails when an old row is rewritten with every hash recomputed, and on a forged checkpoint', async () => {
    const own = await mkdtemp(join(tmpdir(), 'ikd-cp-'));
    const saved = dataDir;
    dataDir = own;
    try {
      const config = parseConfig({ NODE_ENV: 'test', IKD_DATA_DIR: own, AUDIT_CHECKPOINT_EMAIL: 'auditor@example.test' });
      expect((await script('migrate.ts')).code).toBe(0);
      const jws = await withDataDir(async (database) => {
        for (let i = 0; i < 3; i++) {
          await appendAudit(database.db, { actorType: 'system', actorId: 'test', action: 'test.event', targetType: 't', targetId: String(i) }, new Date());
        }
        const keys = (await loadKeyRing(config)).ring;
        const made = await createDailyCheckpoint({ db: database.db, clock: { now: () => new Date() }, keys, config });
        if (made.status !== 'created') throw new Error('no checkpoint made');
        return made.jws;
      });
      const file = join(own, 'auditor-copy.txt');
      await writeFile(file, `Subject: checkpoint\n\n${jws}\n`);

      const ok = await script('audit-verify.ts', ['--checkpoint', file]);
      expect(ok.code).toBe(0);

      // The attacker rewrites seq 2 and recomputes the whole chain: the chain alone looks intact, the signed head does not.
      await withDataDir(async (database) => {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
          await tx.execute(sql`update audit_log set target_id = 'forged' where seq = 2`);
          await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
        });
      });
      const tampered = await script('audit-verify.ts', ['--checkpoint', jws]);
      expect(tampered.code).toBe(1);

      const [h, p, sig] = jws.split('.') as [string, string, string];
      const forged = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const bad = await script('audit-verify.ts', ['--checkpoint', forged]);
      expect(bad.code).toBe(1);
    } finally {
      dataDir = saved;
      await rm(own, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('development credentials', () => {
  it('dev-credentials.json holds a demo operator and admin who can log in', async () => {
    const devDir = await mkdtemp(join(tmpdir(), 'ikd-dev-'));
    const ctx = await createTestContext({ config: { IKD_DATA_DIR: devDir, IKD_SEED_COUNT: '10' } });
    try {
      const creds = await prepareDevelopmentData(ctx.deps);
      const file = JSON.parse(await readFile(join(devDir, 'dev-credentials.json'), 'utf8')) as typeof creds;
      expect(file.operator).toEqual(creds.operator);
      for (const [who, role] of [
        [file.operator!, 'operator'],
        [file.admin!, 'admin'],
      ] as const) {
        const otp = await totpCode(who.totpSecret, ctx.clock.now());
        const res = await ctx.app.request('/v1/operator/login', jsonRequest('POST', { username: who.username, password: who.password, otp }));
        expect(res.status).toBe(200);
        expect(((await res.json()) as { operator: { role: string } }).operator.role).toBe(role);
      }
      // Secrets stay in the file: not in the log.
      const log = ctx.logLines.join('\n');
      expect(log).not.toContain(file.operator!.password);
      expect(log).not.toContain(file.admin!.totpSecret);
    } finally {
      await ctx.close();
      await rm(devDir, { recursive: true, force: true });
    }
  });
});
