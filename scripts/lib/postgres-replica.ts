/**
 * A PostgreSQL primary and a synchronous streaming standby from Debian's binaries, in temp dirs on their own ports
 * (run as `postgres` when we are root, like postgres-local.ts): the primary from startLocalPostgres with
 * synchronous_standby_names = the standby's cluster_name, the standby from pg_basebackup -R (standby.signal and
 * primary_conninfo written for us). The failover test and `npm run failover` kill the primary and promote the standby.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { findPostgresBin, freePort, postgresUser, startLocalPostgres, type LocalPostgres } from './postgres-local.js';

export const STANDBY_NAME = 'ikd_standby';

export interface ReplicaPair {
  primary: LocalPostgres;
  standby: { port: number; dir: string; url: string };
  /** Both hosts, the primary first, and target_session_attrs=read-write: what the service is given as DATABASE_URL. */
  serviceUrl: string;
  /** SIGKILL to the primary's postmaster and every backend it forked: the machine is gone, nothing is flushed. */
  killPrimary(): void;
  /** pg_ctl promote on the standby (asynchronous: the event loop keeps serving meanwhile); resolves when it is primary. */
  promoteStandby(): Promise<void>;
  destroy(): void;
}

export async function startReplicaPair(options: { bin?: string } = {}): Promise<ReplicaPair> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) throw new Error('No PostgreSQL binaries (apt-get install postgresql)');
  // Every commit that waits (synchronous_commit = on, the default) waits until the standby has flushed it too.
  const primary = await startLocalPostgres({
    bin,
    settings: { synchronous_standby_names: STANDBY_NAME, wal_level: 'replica', max_wal_senders: 4, wal_keep_size: '64MB' },
  });
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ikd-pg-standby-'));
  const data = join(dir, 'data');
  const user = postgresUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const run = (program: string, args: string[], extra: SpawnSyncOptions = {}) => {
    const result = spawnSync(join(bin, program), args, { encoding: 'utf8', ...(user ?? {}), ...extra });
    if (result.status !== 0) {
      const serverLog = (() => {
        try {
          return readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000);
        } catch {
          return '';
        }
      })();
      throw new Error(`${program} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout || result.error}\n${serverLog}`);
    }
    return String(result.stdout ?? '');
  };
  let standbyRunning = false;
  const destroy = () => {
    process.off('exit', destroy);
    if (standbyRunning) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    primary.destroy();
  };
  process.once('exit', destroy);
  try {
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
    // A hot standby needs at least the primary's max_connections and max_wal_senders (postgres-local sets 300).
    const settings = [
      `-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, `-c cluster_name=${STANDBY_NAME}`,
      '-c hot_standby=on', '-c max_connections=300', '-c max_wal_senders=4',
    ];
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', settings.join(' '), 'start'], { stdio: 'ignore' });
    standbyRunning = true;
    await waitForSyncStandby(primary.url);
  } catch (error) {
    destroy();
    throw error;
  }

  const killPrimary = () => {
    const postmaster = Number(readFileSync(join(primary.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const victims = [postmaster, ...childrenOf(postmaster)];
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  };
  const promoteStandby = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', 'promote'], { stdio: 'ignore', ...(user ?? {}) });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl promote exited ${code}`))));
    });
  const host = (p: number) => `127.0.0.1:${p}`;
  return {
    primary,
    standby: { port, dir, url: `postgres://postgres@127.0.0.1:${port}/postgres` },
    serviceUrl: `postgres://postgres@${host(primary.port)},${host(port)}/postgres?target_session_attrs=read-write`,
    killPrimary,
    promoteStandby,
    destroy,
  };
}

/** Until pg_stat_replication on the primary shows the standby streaming as the synchronous one. */
async function waitForSyncStandby(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 300; i++) {
      const rows = await sql<{ sync_state: string }[]>`select sync_state from pg_stat_replication where application_name = ${STANDBY_NAME} and state = 'streaming'`;
      if (rows[0]?.sync_state === 'sync') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the standby did not become the synchronous standby within 30 s');
  } finally {
    await sql.end();
  }
}

/** Direct children of a process, from /proc (Linux): the backends, WAL sender and writer of a postmaster. */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
