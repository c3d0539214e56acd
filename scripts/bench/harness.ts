/**
 * What the bench and the soak share: a PostgreSQL to run against (DATABASE_URL's server, in a fresh database, or a
 * throwaway local one), a migrated and seeded database, and the server child process (scripts/bench/server.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { generateKeyRing, KeyRing, type StoredKeyRing } from '../../src/crypto/keyring.js';
import { createPinHasher } from '../../src/crypto/pin.js';
import { randomSecret } from '../../src/crypto/secrets.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/types.js';
import { systemClock, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { createSeededRegistry } from '../../src/registry/seeded.js';
import { parseConfig } from '../../src/config.js';
import { startLocalPostgres, type LocalPostgres } from '../lib/postgres-local.js';

export interface BenchDatabase {
  url: string;
  /** Where it came from: "local" (a throwaway server started here) or "DATABASE_URL". */
  source: 'local' | 'DATABASE_URL';
  version: string;
  settings: Record<string, string>;
  /** CPU seconds used by the PostgreSQL server so far; only known for a local throwaway server. */
  cpuSeconds?: () => number;
  drop(): Promise<void>;
}

/** A new database `name` in the server of `url` (its URL), and how to drop it (forcing its connections closed). */
export async function databaseBeside(url: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await dropper.end();
    },
  };
}

/** DATABASE_URL's server (a fresh database in it, dropped afterwards), else a throwaway local PostgreSQL. */
export async function benchDatabase(options: { statementStats?: boolean } = {}): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  let local: LocalPostgres | undefined;
  let url: string;
  let drop: () => Promise<void>;
  if (given) {
    ({ url, drop } = await databaseBeside(given, `ikd_bench_${Date.now().toString(36)}`));
  } else {
    local = await startLocalPostgres(options.statementStats ? { settings: { shared_preload_libraries: 'pg_stat_statements' } } : {});
    url = local.url;
    drop = async () => local!.destroy();
  }
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  const rows = await probe.unsafe(
    `select name, setting from pg_settings where name in ('server_version','fsync','synchronous_commit','shared_buffers','max_connections')`,
  );
  const settings = Object.fromEntries(rows.map((r) => [String(r.name), String(r.setting)]));
  if (options.statementStats && local) await probe.unsafe('create extension if not exists pg_stat_statements');
  await probe.end();
  return {
    url,
    source: local ? 'local' : 'DATABASE_URL',
    version: settings.server_version ?? 'unknown',
    settings,
    ...(local ? { cpuSeconds: local.cpuSeconds } : {}),
    drop,
  };
}

export interface SeedingDeps extends Deps {
  storedKeys: StoredKeyRing;
  pepper: string;
}

/** Deps for seeding from this process: the same key ring and pepper the server child is given. */
export async function seedingDeps(url: string): Promise<SeedingDeps> {
  // The bench's own connections (seeding, the national fill, the integrity counts over tens of millions of rows)
  // run without the statement timeout; the server child under test keeps the app's default.
  const database: Database = createPostgresDatabase(url, { max: 8, statementTimeoutMs: 0 });
  await applyMigrations(database);
  const storedKeys = generateKeyRing();
  const pepper = randomSecret(32);
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: url, IKD_PIN_PEPPER: pepper, PUBLIC_BASE_URL: 'http://127.0.0.1' });
  return {
    config,
    database,
    db: database.db,
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    keys: new KeyRing(storedKeys),
    registry: createSeededRegistry(database.db),
    pins: createPinHasher(pepper),
    pepper,
    storedKeys,
  } as SeedingDeps;
}

export interface ServerChild {
  ports: { app: number; ceiling: number; noPin: number; clients: number };
  pid: number;
  logFile: string;
  stats(options?: { gc?: boolean }): Promise<{ rss: number; heapUsed: number; cpu: { user: number; system: number }; uptime: number }>;
  stop(): Promise<void>;
}

/** Starts scripts/bench/server.ts in production mode against `url`; its JSON log lines go to a file. */
export async function startServerChild(
  url: string,
  deps: SeedingDeps,
  options: { poolSize?: number; logLevel?: string; nodeArgs?: string[] } = {},
): Promise<ServerChild> {
  const dir = mkdtempSync(join(tmpdir(), 'ikd-bench-'));
  const logFile = join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
    // BENCH_NODE_ARGS (e.g. --cpu-prof) profiles the server without touching the bench.
    execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', log, 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(options.poolSize ?? 16),
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      // Production requires a mail provider; the bench server runs no outbox worker, so nothing is ever sent.
      RESEND_API_KEY: 're_bench_unused',
      RESEND_BASE_URL: 'http://127.0.0.1:9',
      IKD_KEYS: JSON.stringify(deps.storedKeys),
      IKD_PIN_PEPPER: deps.pepper,
      IKD_DATA_DIR: dir,
      LOG_LEVEL: options.logLevel ?? process.env.BENCH_LOG_LEVEL ?? 'info',
    },
  });
  const ready = await new Promise<{ ports: ServerChild['ports']; pid: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready; see ${logFile}`)));
    child.on('message', (m: { type?: string; ports?: ServerChild['ports']; pid?: number }) => {
      if (m?.type === 'ready') resolve({ ports: m.ports!, pid: m.pid! });
    });
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    ...ready,
    logFile,
    stats: (request = {}) =>
      new Promise((resolve) => {
        const onMessage = (m: { type?: string }) => {
          if (m?.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(m as never);
        };
        child.on('message', onMessage);
        child.send({ type: 'stats', gc: request.gc === true });
      }),
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.send({ type: 'stop' });
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function machine(database: BenchDatabase) {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgres: database.version,
    postgresSource: database.source,
    postgresSettings: database.settings,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Parses `--name value` / `--name=value` flags. */
export function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) out[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[key] = argv[++i]!;
    else out[key] = 'true';
  }
  return out;
}
