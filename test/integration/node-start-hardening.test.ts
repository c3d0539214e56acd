/**
 * Issue #15 points 5 and 6: a fresh development start keeps the data dir to its owner (0700, files 0600, PGlite's
 * files included) and listens on loopback only unless HOST says otherwise, saying where in its log.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/crypto/totp.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
let parent: string;
let dataDir: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startService(port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const started = Date.now();
  const child = spawn(TSX, ['src/node.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, IKD_DATA_DIR: dataDir, IKD_SEED_COUNT: '50', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}:\n${out}`);
    if (Date.now() - started > 90_000) throw new Error(`not ready in 90 s:\n${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 && out.includes('IKD service listening')) {
        return { child, output: () => out };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(path);
    if (entry.isDirectory()) out.push(...(await filesBelow(path)));
  }
  return out;
}

/** A non-loopback IPv4 address of this machine, if it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

async function reachable(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(3000) }).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ikd-harden-'));
  dataDir = join(parent, 'data'); // not yet there: the service creates it
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('a development start', () => {
  it('creates the data dir 0700 and every file in it without group or other access, and listens on 127.0.0.1 only', async () => {
    const port = await freePort();
    const service = await startService(port);
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      for (const name of ['keys.json', 'pin-pepper', 'dev-credentials.json']) {
        expect({ name, mode: (await stat(join(dataDir, name))).mode & 0o777 }).toEqual({ name, mode: 0o600 });
      }
      const pgFiles = await filesBelow(join(dataDir, 'pgdata'));
      expect(pgFiles.length).toBeGreaterThan(10);
      const open = [];
      for (const path of pgFiles) if ((await stat(path)).mode & 0o077) open.push(path);
      expect(open).toEqual([]);

      const listening = service
        .output()
        .split('\n')
        .filter((l) => l.includes('IKD service listening'))
        .map((l) => JSON.parse(l) as { host: string; url: string });
      expect(listening).toEqual([expect.objectContaining({ host: '127.0.0.1', url: `http://127.0.0.1:${port}` })]);
      expect(await reachable(`http://127.0.0.1:${port}/healthz`)).toBe(true);
      if (externalAddress) expect(await reachable(`http://${externalAddress}:${port}/dev/mailbox.json`)).toBe(false);
    } finally {
      await stopService(service.child);
    }
  }, 180_000);

  it('listens where HOST says', async () => {
    const port = await freePort();
    const service = await startService(port, { HOST: '0.0.0.0' });
    try {
      expect(service.output()).toContain('"host":"0.0.0.0"');
      if (externalAddress) expect(await reachable(`http://${externalAddress}:${port}/healthz`)).toBe(true);
    } finally {
      await stopService(service.child);
    }
  }, 180_000);

  it('operators log in with their TOTP after npm run keys:rotate (the TOTP key is not in the rotating ring)', async () => {
    const creds = JSON.parse(await readFile(join(dataDir, 'dev-credentials.json'), 'utf8')) as { operator: { username: string; password: string; totpSecret: string } };
    await promisify(execFile)(TSX, ['scripts/keys-rotate.ts'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, IKD_DATA_DIR: dataDir } });
    const port = await freePort();
    const service = await startService(port);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/operator/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: creds.operator.username, password: creds.operator.password, otp: await totpCode(creds.operator.totpSecret, new Date()) }),
      });
      expect(res.status).toBe(200);
    } finally {
      await stopService(service.child);
    }
    // And the secret is nowhere in the database files in clear.
    const { stdout } = await promisify(execFile)('grep', ['-rlF', creds.operator.totpSecret, join(dataDir, 'pgdata')]).catch((e: { stdout: string }) => e);
    expect(stdout.trim()).toBe('');
  }, 180_000);
});
