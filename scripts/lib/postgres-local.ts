/**
 * A throwaway PostgreSQL from Debian's packages (the same dance as .ci/run): initdb into a temp dir, pg_ctl on
 * 127.0.0.1:<free port>, run as the `postgres` user when we are root. The bench, the soak and the fault tests use it;
 * the fault tests stop and start it under a running app.
 */
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  bin: string;
  dir: string;
  /** e.g. "15.18" */
  version: string;
  /** pg_ctl stop: `fast` ends the sessions (clients see 57P01), `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): void;
  /** pg_ctl start on the same data dir and port; waits until it accepts connections. */
  start(): void;
  /** Stops it (if running) and removes the temp dir. */
  destroy(): void;
  /** CPU seconds (user + system) used so far by the server's processes (postmaster and its children). */
  cpuSeconds(): number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds of a process and its direct children, from /proc (Linux): the live children's own time, and the root's
 * cutime/cstime — the children it has reaped (PostgreSQL's exited backends and autovacuum workers), so the sum only
 * grows as processes come and go.
 */
export function processTreeCpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command: state ppid … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    if (pid === rootPid) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === rootPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

/** The newest /usr/lib/postgresql/<v>/bin with initdb (or IKD_TEST_PG_BIN); null when PostgreSQL is not installed. */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.IKD_TEST_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/** A TCP port nobody listens on right now (the kernel's pick). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb is refused to root: run the binaries as `postgres` then (numeric ids, no `su` shell quoting). */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startLocalPostgres(
  options: { bin?: string; port?: number; settings?: Record<string, string | number> } = {},
): Promise<LocalPostgres> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) throw new Error('No PostgreSQL binaries (apt-get install postgresql, or set DATABASE_URL)');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'ikd-pg-'));
  const data = join(dir, 'data');
  const user = postgresUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const run = (program: string, args: string[], extra: SpawnSyncOptions = {}) => {
    const result = spawnSync(join(bin, program), args, { encoding: 'utf8', ...(user ?? {}), ...extra });
    if (result.status !== 0) {
      throw new Error(`${program} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout || result.error}`);
    }
    return String(result.stdout ?? '');
  };
  const version = run('postgres', ['--version']).trim().replace(/^.*\(PostgreSQL\)\s*/, '').split(' ')[0] ?? 'unknown';
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    max_connections: 300,
    unix_socket_directories: dir,
    ...options.settings,
  };
  const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  let running = false;
  const start = () => {
    // -w waits until the server accepts connections; the log stays in the temp dir for post-mortems.
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start'], { stdio: 'ignore' });
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], { stdio: 'ignore' });
    running = false;
  };
  try {
    start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const destroy = () => {
    process.off('exit', destroy);
    try {
      stop('immediate');
    } catch {
      // already gone: nothing to stop
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A process that dies without cleaning up (an uncaught error, a timed-out test) still takes its server along.
  process.once('exit', destroy);
  const cpuSeconds = () => {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return processTreeCpuSeconds(pid);
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, bin, dir, version, stop, start, destroy, cpuSeconds };
}
