/**
 * `npm start` with several processes (IKD_WORKERS, node:cluster) on one PostgreSQL: every e-mail is delivered once
 * although every process runs an outbox worker, and the maintenance job runs once per period although every process
 * keeps its timer. Real processes, as in node-start.test.ts; PGlite mode always runs one process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const DATABASE_URL = process.env.DATABASE_URL;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ikd-cluster-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

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

interface Service {
  child: ChildProcess;
  /** The JSON log lines of the primary and its workers (they share its stdout). */
  lines(): { msg?: string; pid?: number; [field: string]: unknown }[];
  output(): string;
}

function start(env: Record<string, string>): Service {
  const child = spawn(TSX, ['src/node.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, IKD_DATA_DIR: dataDir, IKD_SEED_COUNT: '20', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    lines: () =>
      out.split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as { msg?: string; pid?: number }];
        } catch {
          return [];
        }
      }),
  };
}

/** Polls `check` (a real process works at its own pace; nothing here advances a clock) until it holds or 60 s pass. */
async function until(service: Service, what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (service.child.exitCode !== null) throw new Error(`service exited ${service.child.exitCode} waiting for ${what}:\n${service.output()}`);
    if (Date.now() - started > 60_000) throw new Error(`no ${what} in 60 s:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const listeningPids = (s: Service) => new Set(s.lines().filter((l) => l.msg === 'IKD service listening').map((l) => l.pid));

describe.skipIf(!DATABASE_URL)('IKD_WORKERS=2 on one PostgreSQL (needs DATABASE_URL: PGlite is single-process)', () => {
  it('delivers each e-mail once and runs the maintenance job once per period', async () => {
    const url = DATABASE_URL!;
    const name = `ikd_cluster_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const own = new URL(url);
    own.pathname = `/${name}`;
    const db = postgres(own.toString(), { max: 1, onnotice: () => {} });
    const port = await freePort();
    const service = start({ DATABASE_URL: own.toString(), PORT: String(port), IKD_WORKERS: '2', IKD_DATA_DIR: join(dataDir, 'pg') });
    try {
      await until(service, 'two listening workers', () => listeningPids(service).size === 2);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);

      // 40 pending e-mails, as any process's transaction would write them; both workers' outbox loops compete for them.
      const ids = Array.from({ length: 40 }, (_, i) => `msg_cluster_${i}`);
      for (const id of ids) {
        await db`insert into outbox (id, idempotency_key, "to", subject, text, html, template, status, next_attempt_at, created_at)
                 values (${id}, ${`ikd-${id}`}, 'warga@example.id', 'Uji', 'teks', '<p>teks</p>', 'activation', 'pending', now(), now())`;
      }
      await until(service, 'all 40 e-mails delivered', async () => {
        const [row] = await db<{ n: number }[]>`select count(*)::int as n from outbox where status = 'sent'`;
        return row?.n === ids.length;
      });
      const rows = await db<{ id: string; attempts: number }[]>`select id, attempts from outbox order by id`;
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
      const deliveries = service.lines().filter((l) => l.msg === 'e-mail delivered');
      expect(deliveries.map((l) => l.messageId).sort()).toEqual([...ids].sort());

      // Each worker's first maintenance run comes ~5 s after its start: one runs, the other finds it locked or done.
      await until(service, 'both workers\' first maintenance tick', () => service.lines().filter((l) => String(l.msg).startsWith('maintenance ')).length >= 2);
      const maintenance = service.lines().filter((l) => String(l.msg).startsWith('maintenance '));
      expect(maintenance.map((l) => l.msg).sort()).toEqual(['maintenance run', 'maintenance skipped']);
      expect(new Set(maintenance.map((l) => l.pid)).size).toBe(2);
      const [mark] = await db<{ value: { at: string } }[]>`select value from app_meta where key = 'maintenance.lastRun'`;
      expect(mark?.value.at).toEqual(expect.any(String));
    } finally {
      expect(await stop(service.child)).toBe(0);
      await db.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    // Every worker stopped with the primary.
    expect(service.lines().filter((l) => l.msg === 'shutting down').length).toBe(3);
  }, 180_000);
});

describe('IKD_WORKERS with PGlite', () => {
  it('runs one process and says why', async () => {
    const port = await freePort();
    const service = start({ PORT: String(port), IKD_WORKERS: '2', IKD_DATA_DIR: join(dataDir, 'pglite') });
    try {
      await until(service, 'the service listening', () => listeningPids(service).size === 1);
      expect(service.lines().find((l) => String(l.msg).startsWith('PGlite is single-process'))).toMatchObject({ requestedWorkers: 2 });
      // No cluster: the one process that listens is the one started.
      expect(service.lines().find((l) => l.msg === 'IKD service listening')?.pid).toBeUndefined();
      expect(service.lines().some((l) => l.msg === 'starting worker processes')).toBe(false);
    } finally {
      expect(await stop(service.child)).toBe(0);
    }
  }, 120_000);
});
