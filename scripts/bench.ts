/**
 * `npm run bench`: the hot paths against their primitives' ceilings, on a real PostgreSQL over loopback, in one run
 * (DESIGN.md "Performance"). Prints a table, writes bench-results.json, exits 1 when a budget fails.
 *
 *   npm run bench -- [--duration 10] [--rounds 3] [--warmup 2] [--connections 32] [--accounts 2000] [--out bench-results.json]
 *                    [--pool <server's DATABASE_POOL_SIZE; default one per core of the machine, at least 2>]
 *                    [--only redeem_ceiling,verify,verify_kyc,verify_photo,issue_ceiling,issue_no_pin,redeem_document_ceiling,verify_document,
 *                           issue_document_ceiling,issue_document_no_pin,issue,login,
 *                           oidc_token_ceiling,oidc_token,verify_request_ceiling,verify_request]
 *                    [--statements]   (PostgreSQL's top statements afterwards, pg_stat_statements; local server only)
 *
 * DATABASE_URL: a fresh database in that server (dropped afterwards); otherwise a throwaway local PostgreSQL.
 * The server runs in a child process (scripts/bench/server.ts); autocannon runs here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { KTP_ELEMENTS, type KtpElement } from '../src/crypto/token-codec.js';
import { queryRows } from '../src/db/types.js';
import {
  BENCH_PIN,
  BENCH_REDIRECT_URI,
  mintApprovedCodes,
  mintApprovedRequests,
  mintKtpTokens,
  mintLoginChallenges,
  seedAccounts,
  seedBenchRegistry,
  seedVerifier,
  simulatedClientIp,
  type BenchAccount,
} from './bench/seed.js';
import { createProgress } from './progress.js';
import { fillNational, nationalAccountId } from './bench/national.js';
import { ROLLUP_LAG_MS, rollUpAccessStats } from '../src/domain/operators/rollups.js';
import { STATS_ROLLUP_INTERVAL_MS } from '../src/domain/maintenance/purge.js';
import { statsPaths, supervisorSession, timeStats, type StatsTiming } from './bench/stats-timing.js';
import { createOidcClient } from '../src/domain/oidc/clients.js';
import { benchDatabase, databaseBeside, flags, machine, seedingDeps, startServerChild, type ServerChild, type SeedingDeps } from './bench/harness.js';

const args = flags(process.argv.slice(2));
const DURATION = Number(args.duration ?? 10);
const WARMUP = Number(args.warmup ?? 2);
const CONNECTIONS = Number(args.connections ?? 32);
const ACCOUNTS = Number(args.accounts ?? 2000);
const OUT = args.out ?? 'bench-results.json';
const ONLY = args.only ? new Set(args.only.split(',')) : null;
/** Slices per compared path (ceiling and route, interleaved). */
const ROUNDS = Number(args.rounds ?? 3);
/** --national: after the empty run, fill a year of national history (scripts/bench/national.ts) and run again. */
const NATIONAL = args.national !== undefined && args.national !== 'false';
const NATIONAL_SCALE = Number(args['national-scale'] ?? 1);
/** The national peak the statistics read is budgeted at (docs/scale.md: 1–2 k verifications/s). */
const PEAK_VERIFICATIONS_PER_S = 2000;
/**
 * The server's connection pool. PostgreSQL runs beside it on the same cores here, so more backends than cores only
 * compete for them; a small pool also lets postgres.js pipeline queries on busy connections (fewer writes).
 * Measured on 2 cores (docs/performance.md): pool 4 against 16 gave redemption +10 % and issuance +22 %; pool 2
 * against 4 (with postgres.js's queue patched) redemption 3763 → 4648/s, issuance unchanged.
 */
const POOL = Number(args.pool ?? Math.max(2, availableParallelism()));

/**
 * The counters the bench redeems as. Tokens carry every element (the API's default); each counter sees what it is
 * allowed. `identity` sees the NIK only: its redemption is exactly the ceiling's work (decode, open, verify, the one
 * statement) plus the app around it, so the budget is judged on it. `kyc` adds registry data (one more read through
 * the registry port), measured and reported, not budgeted. `photo` adds the stamped KTP-el photo (sharp: the holder's
 * photo prepared once as JPEG restart intervals in the per-process cache, the caption lines cached per verifier and
 * per second, joined per request), budgeted at ≥ 0.5 of the ceiling. The server's photo cache is sized to hold
 * every bench holder (IKD_PHOTO_CACHE_MB below), and the warm-up fills it: the bench measures the warm path; a cold
 * holder adds a registry photo read, one resize, one encode and the split (≈ 3 ms of CPU, docs/performance.md).
 */
const COUNTERS = {
  identity: { name: 'BPJS Bench (NIK check)', elements: ['nik'] },
  kyc: { name: 'Bank Bench (KYC)', elements: ['nik', 'name', 'birthDate', 'address'] },
  photo: { name: 'RS Bench (with photo)', elements: ['nik', 'name', 'photo'] },
  /** A school office that receives the KK (Data Keluarga): a document QR shows NIK and name with the card. */
  document: { name: 'Disdik Bench (KK)', elements: ['nik', 'name'] },
  /** A counter collecting approved Pindai requests (GET /v1/verification-requests/{id}): the NIK only. */
  pindai: { name: 'Samsat Bench (Pindai)', elements: ['nik'] },
} as const satisfies Record<string, { name: string; elements: readonly KtpElement[] }>;

interface Measurement {
  name: string;
  label: string;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  serverCpuPercent: number;
  /** The server process's CPU time per answered request: less sensitive to a busy machine than throughput. */
  serverCpuMsPerRequest: number;
  /** The part of it spent in the kernel (sockets: the HTTP connections and, for the app, PostgreSQL's). */
  serverSystemCpuMsPerRequest: number;
  /** PostgreSQL's CPU time per answered request (local server only). */
  databaseCpuMsPerRequest?: number;
  loadAverage: number;
  /** Per slice, when the path ran in several (interleaved with the path it is compared with). */
  slices?: { throughput: number; p99: number }[];
  /** The machine during the slices (medians, /proc/stat): CPU busy, iowait and steal shares. */
  machine?: { busy: number; iowait: number; steal: number };
  poolExhausted?: boolean;
}

interface Load {
  port: number;
  path: string;
  /** POST unless told (GET: no body; the path comes with each request). */
  method?: 'GET' | 'POST';
  /** The body's type for POST (JSON unless told). */
  contentType?: string;
  headers?: Record<string, string>;
  /** The next request's body, extra headers and (GET) path; `null` when its pool ran dry. */
  next: () => { body?: string; path?: string; headers?: Record<string, string> } | null;
}

async function drive(load: Load, seconds: number): Promise<autocannon.Result & { exhausted: boolean }> {
  let exhausted = false;
  let last: ReturnType<Load['next']> = null;
  const result = await autocannon({
    url: `http://127.0.0.1:${load.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: load.method ?? 'POST',
        path: load.path,
        headers: load.method === 'GET' ? { ...load.headers } : { 'content-type': load.contentType ?? 'application/json', ...load.headers },
        setupRequest: (request) => {
          const next = load.next() ?? last;
          if (!next) throw new Error('empty request pool');
          if (next === last) exhausted = true;
          last = next;
          return { ...request, ...(next.body !== undefined ? { body: next.body } : {}), ...(next.path ? { path: next.path } : {}), headers: { ...request.headers, ...next.headers } };
        },
      },
    ],
  });
  return Object.assign(result, { exhausted });
}

let databaseCpu: (() => number) | undefined;
let settleDatabase: (() => Promise<unknown>) | undefined;

interface Path {
  name: string;
  label: string;
  load: Load;
  /** The server child the load goes to, for its CPU figures (the empty twin's; default the main one). */
  server?: ServerChild;
  /** Called before each measured slice with the warm-up's rate: refills the path's request pool. */
  prepare?: (warmRate: number) => Promise<void>;
}

/** The machine's CPU ticks from /proc/stat's first line (Linux): all, idle (idle + iowait), iowait and steal. */
function machineTicks(): { total: number; idle: number; iowait: number; steal: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: sum(f.slice(0, 8)), idle: f[3]! + f[4]!, iowait: f[4]!, steal: f[7]! };
  } catch {
    return null;
  }
}

interface Slice {
  result: autocannon.Result & { exhausted: boolean };
  /** Shares of the machine's CPU time during the slice: busy (not idle), waiting on I/O, stolen by the hypervisor. */
  machine?: { busy: number; iowait: number; steal: number };
  elapsed: number;
  cpuSeconds: number;
  systemSeconds: number;
  dbSeconds?: number;
  load1: number;
}

/**
 * Measures paths that are compared with each other: warm each up, then run them in turn, `rounds` times, DURATION
 * seconds per slice (a b a b …), so a slow drift of the machine (other processes starting or stopping, autovacuum,
 * checkpoints) lands on both instead of on whichever ran second. Throughput is over all slices; latency
 * percentiles are the median of the slices'.
 */
async function measurePaths(server: ServerChild, paths: Path[], rounds: number): Promise<Measurement[]> {
  const warmRate = new Map<string, number>();
  for (const path of paths) {
    if (WARMUP > 0) {
      const warm = await drive(path.load, WARMUP);
      warmRate.set(path.name, warm['2xx'] / WARMUP);
    } else warmRate.set(path.name, 0);
  }
  const slices = new Map<string, Slice[]>(paths.map((p) => [p.name, []]));
  const progress = createProgress(`bench slices (${DURATION} s each)`, rounds * paths.length);
  let measured = 0;
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      await path.prepare?.(warmRate.get(path.name)!);
      // Every slice starts from the same database state: no dead rows from earlier slices for autovacuum to chew
      // on mid-run, no checkpoint of their writes landing in this one.
      await settleDatabase?.();
      const load1 = loadavg()[0]!;
      const target = path.server ?? server;
      const before = await target.stats();
      const dbBefore = databaseCpu?.();
      const ticksBefore = machineTicks();
      const started = performance.now();
      const result = await drive(path.load, DURATION);
      const elapsed = (performance.now() - started) / 1000;
      const ticksAfter = machineTicks();
      const after = await target.stats();
      const ticks = ticksBefore && ticksAfter ? { total: Math.max(1, ticksAfter.total - ticksBefore.total), idle: ticksAfter.idle - ticksBefore.idle, iowait: ticksAfter.iowait - ticksBefore.iowait, steal: ticksAfter.steal - ticksBefore.steal } : null;
      slices.get(path.name)!.push({
        result,
        elapsed,
        cpuSeconds: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1e6,
        systemSeconds: (after.cpu.system - before.cpu.system) / 1e6,
        ...(dbBefore === undefined ? {} : { dbSeconds: databaseCpu!() - dbBefore }),
        ...(ticks ? { machine: { busy: round3(1 - ticks.idle / ticks.total), iowait: round3(ticks.iowait / ticks.total), steal: round3(ticks.steal / ticks.total) } } : {}),
        load1,
      });
      progress.update(++measured);
    }
  }
  progress.stop();
  return paths.map((path) => summarise(path, slices.get(path.name)!));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function summarise(path: Path, slices: Slice[]): Measurement {
  const rs = slices.map((x) => x.result);
  const requests = sum(rs.map((r) => r.requests.total));
  const ok = sum(rs.map((r) => r['2xx']));
  const statusCodes: Record<string, number> = {};
  for (const r of rs) {
    for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + (stat as { count: number }).count;
  }
  const cpu = sum(slices.map((x) => x.cpuSeconds));
  const db = slices.every((x) => x.dbSeconds !== undefined) ? sum(slices.map((x) => x.dbSeconds!)) : undefined;
  const m: Measurement = {
    name: path.name,
    label: path.label,
    requests,
    ok,
    non2xx: sum(rs.map((r) => r.non2xx)),
    errors: sum(rs.map((r) => r.errors)),
    timeouts: sum(rs.map((r) => r.timeouts)),
    statusCodes,
    throughput: Math.round((ok / sum(rs.map((r) => r.duration))) * 10) / 10,
    latencyMs: {
      p50: median(rs.map((r) => r.latency.p50)),
      p90: median(rs.map((r) => r.latency.p90)),
      p99: median(rs.map((r) => r.latency.p99)),
      max: Math.max(...rs.map((r) => r.latency.max)),
      mean: Math.round((sum(rs.map((r) => r.latency.mean * r.requests.total)) / Math.max(1, requests)) * 100) / 100,
    },
    serverCpuPercent: Math.round((cpu / sum(slices.map((x) => x.elapsed))) * 100),
    serverCpuMsPerRequest: round3((cpu * 1000) / Math.max(1, requests)),
    serverSystemCpuMsPerRequest: round3((sum(slices.map((x) => x.systemSeconds)) * 1000) / Math.max(1, requests)),
    ...(db === undefined ? {} : { databaseCpuMsPerRequest: round3((db * 1000) / Math.max(1, requests)) }),
    loadAverage: Math.round(median(slices.map((x) => x.load1)) * 100) / 100,
    ...(slices.length > 1 ? { slices: rs.map((r) => ({ throughput: Math.round(r['2xx'] / r.duration), p99: r.latency.p99 })) } : {}),
    ...(slices.every((x) => x.machine)
      ? {
          machine: {
            busy: round3(median(slices.map((x) => x.machine!.busy))),
            iowait: round3(median(slices.map((x) => x.machine!.iowait))),
            steal: round3(median(slices.map((x) => x.machine!.steal))),
          },
        }
      : {}),
    ...(rs.some((r) => r.exhausted) ? { poolExhausted: true } : {}),
  };
  console.error(
    `  ${m.label.padEnd(44)} ${String(m.throughput).padStart(8)} req/s  p50 ${m.latencyMs.p50} p90 ${m.latencyMs.p90} p99 ${m.latencyMs.p99} ms  non-2xx ${m.non2xx}  server CPU ${m.serverCpuPercent}% (${m.serverCpuMsPerRequest} ms/req, kernel ${m.serverSystemCpuMsPerRequest}; PostgreSQL ${m.databaseCpuMsPerRequest ?? '?'} ms/req)${m.machine ? `  machine busy ${Math.round(m.machine.busy * 100)}% iowait ${Math.round(m.machine.iowait * 100)}% steal ${Math.round(m.machine.steal * 100)}%` : ''}${m.slices ? `  slices ${m.slices.map((x) => x.throughput).join('/')}` : ''}`,
  );
  return m;
}

/** A pool that hands out each item once, then null. */
function pool<T>(items: T[]) {
  let i = 0;
  return {
    next: () => (i < items.length ? items[i++]! : null),
    refill: (more: T[]) => {
      items = more;
      i = 0;
    },
  };
}

/** Redemption loads: tokens minted for the warm-up, then (after it) enough for the measured run at twice the warm rate. */
function redemptionLoad(deps: SeedingDeps, holders: BenchAccount[], port: number, path: string, apiKey: string, document?: 'family_card') {
  const elements = document ? COUNTERS.document.elements : KTP_ELEMENTS;
  const mint = async (count: number) =>
    (await mintKtpTokens(deps, holders, count, { elements, now: new Date(), ttlSeconds: Math.max(90, DURATION + 60), document })).map((token) => ({
      body: JSON.stringify({ token, counter: 'bench' }),
    }));
  const tokens = pool<{ body: string }>([]);
  return {
    load: { port, path, headers: { authorization: `Bearer ${apiKey}` }, next: tokens.next } satisfies Load,
    warmPool: async () => tokens.refill(await mint(Math.max(2000, CONNECTIONS * 50 * WARMUP + 4000))),
    prepare: async (warmRate: number) => tokens.refill(await mint(Math.ceil(Math.max(warmRate * 2, 1000) * DURATION) + 5000)),
  };
}

function issuanceLoad(holders: BenchAccount[], port: number, path: string) {
  let i = 0;
  return {
    port,
    path,
    next: () => {
      const holder = holders[i++ % holders.length]!;
      return { body: JSON.stringify({ pin: BENCH_PIN }), headers: { authorization: `Bearer ${holder.accessToken}` } };
    },
  } satisfies Load;
}

/** The document ceiling's requests: the holder's NIK in the body stands for the session the route authenticates. */
function documentCeilingLoad(holders: BenchAccount[], port: number) {
  let i = 0;
  return {
    port,
    path: '/issue-document',
    next: () => ({ body: JSON.stringify({ pin: BENCH_PIN, nik: holders[i++ % holders.length]!.nik }) }),
  } satisfies Load;
}

interface Twin {
  deps: SeedingDeps;
  accounts: BenchAccount[];
  identityKey: string;
  server: ServerChild;
  drop(): Promise<void>;
}

/** The empty twin (--national): a database beside `url`'s in the same server, migrated, seeded, with its server child. */
async function createTwin(url: string, now: Date): Promise<Twin> {
  const database = await databaseBeside(url, `ikd_bench_twin_${Date.now().toString(36)}`);
  const deps = await seedingDeps(database.url);
  await seedBenchRegistry(deps.db, ACCOUNTS, now);
  const accounts = await seedAccounts(deps, ACCOUNTS, now);
  const identityKey = (await seedVerifier(deps, COUNTERS.identity.name, COUNTERS.identity.elements)).apiKey;
  await deps.db.execute(sql`vacuum analyze`);
  const server = await startServerChild(database.url, deps, { poolSize: POOL });
  return {
    deps,
    accounts,
    identityKey,
    server,
    drop: async () => {
      await server.stop().catch(() => {});
      await deps.database.close().catch(() => {});
      await database.drop();
    },
  };
}

/** --statements: where PostgreSQL's time went (pg_stat_statements), to find the statement worth optimising. */
async function printTopStatements(deps: SeedingDeps, heading: string, reset = false) {
  const top = await queryRows<{ calls: number; total_ms: number; mean_ms: number; blks_read: number; wal_bytes: number; query: string }>(
    deps.db,
    sql`select calls::int, round(total_exec_time::numeric, 1)::float as total_ms, round(mean_exec_time::numeric, 3)::float as mean_ms,
               (shared_blks_read / greatest(calls, 1))::float as blks_read, (wal_bytes / greatest(calls, 1))::float as wal_bytes,
               regexp_replace(left(query, 140), '[[:space:]]+', ' ', 'g') as query
        from pg_stat_statements order by total_exec_time desc limit 15`,
  );
  console.error(`top statements, ${heading} (per call: time, shared blocks read, WAL bytes):`);
  for (const t of top) {
    console.error(`  ${String(t.calls).padStart(7)} calls ${String(t.total_ms).padStart(9)} ms ${String(t.mean_ms).padStart(7)} ms ${t.blks_read.toFixed(2).padStart(7)} blk ${Math.round(t.wal_bytes).toString().padStart(6)} B  ${t.query}`);
  }
  if (reset) await deps.db.execute(sql`select pg_stat_statements_reset()`);
}

async function main() {
  const startedAt = new Date();
  console.error(`bench: ${CONNECTIONS} connections, ${DURATION} s each (+${WARMUP} s warm-up), ${ACCOUNTS} accounts`);
  const database = await benchDatabase({ statementStats: args.statements === 'true' });
  console.error(`PostgreSQL ${database.version} (${database.source}), fsync=${database.settings.fsync}, synchronous_commit=${database.settings.synchronous_commit}`);
  const deps = await seedingDeps(database.url);
  databaseCpu = database.cpuSeconds;
  let server: ServerChild | undefined;
  let twin: Twin | undefined;
  try {
    const t0 = performance.now();
    await seedBenchRegistry(deps.db, ACCOUNTS, startedAt);
    const accounts = await seedAccounts(deps, ACCOUNTS, startedAt);
    const keys = {
      identity: (await seedVerifier(deps, COUNTERS.identity.name, COUNTERS.identity.elements)).apiKey,
      kyc: (await seedVerifier(deps, COUNTERS.kyc.name, COUNTERS.kyc.elements)).apiKey,
      photo: (await seedVerifier(deps, COUNTERS.photo.name, COUNTERS.photo.elements)).apiKey,
      document: (await seedVerifier(deps, COUNTERS.document.name, COUNTERS.document.elements, ['ktp', 'family_card'])).apiKey,
    };
    // Masuk dengan IKD: a relying party authenticating with client_secret_basic; Pindai: a counter that sees the NIK.
    const rp = await createOidcClient(deps, { name: 'RP Bench (OIDC)', redirectUris: [BENCH_REDIRECT_URI], allowedScopes: ['openid'], actor: { actorType: 'system', actorId: 'bench' } });
    const pindai = await seedVerifier(deps, COUNTERS.pindai.name, COUNTERS.pindai.elements);
    await deps.db.execute(sql`vacuum analyze`);
    console.error(`seeded ${accounts.length} accounts in ${Math.round(performance.now() - t0)} ms`);

    // The empty twin's database (--national), settled with the main one once it exists.
    let twinDb: SeedingDeps['db'] | undefined;
    settleDatabase = async () => {
      await deps.db.execute(sql`vacuum analyze`);
      if (twinDb) await twinDb.execute(sql`vacuum analyze`);
      await deps.db.execute(sql`checkpoint`);
    };
    // 120×160 RGB = 57.6 kB per holder: room for all of them (unless the caller set the size).
    process.env.IKD_PHOTO_CACHE_MB ??= String(Math.ceil((ACCOUNTS * 57_664) / 1024 / 1024) + 8);
    server = await startServerChild(database.url, deps, { poolSize: POOL });
    const s = server;
    // The empty twin's slices (--national) run when their national counterpart does.
    const want = (name: string) => !ONLY || ONLY.has(name) || ONLY.has(name.replace(/_twin$/, '_national'));
    const resetRateLimits = (db: SeedingDeps['db'] = deps.db) => db.execute(sql`delete from rate_limits`);
    const results: Measurement[] = [];

    const redemption = (name: string, label: string, port: number, path: string, apiKey: string, document?: 'family_card', options: { everyHolderFirst?: boolean } = {}): Path & { warm: () => Promise<void> } => {
      const r = redemptionLoad(deps, accounts, port, path, apiKey, document);
      // The photo path measures the warm path (the per-process photo cache holds every bench holder): one redemption
      // per holder first, 32 at a time, so the 2 s warm-up does not run into holders not yet cached (≈ 3 ms each)
      // and size the slice's token pool by that slower rate.
      const everyHolder = async () => {
        const tokens = await mintKtpTokens(deps, accounts, accounts.length, { elements: KTP_ELEMENTS, now: new Date(), ttlSeconds: 600 });
        let next = 0;
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (next < tokens.length) {
              const token = tokens[next++]!;
              const res = await fetch(`http://127.0.0.1:${port}${path}`, {
                method: 'POST',
                headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
                body: JSON.stringify({ token, counter: 'bench' }),
              });
              await res.arrayBuffer();
              if (res.status !== 200) throw new Error(`photo warm-up: ${res.status}`);
            }
          }),
        );
      };
      const warm = options.everyHolderFirst ? async () => (await everyHolder(), await r.warmPool()) : r.warmPool;
      return { name, label, load: r.load, prepare: r.prepare, warm };
    };
    // Slices whose requests are spent once: a pool for the warm-up, refilled before each slice (twice the warm rate).
    const oncePath = <T>(name: string, label: string, load: Omit<Load, 'next'>, mint: (count: number) => Promise<T[]>, toRequest: (item: T) => ReturnType<Load['next']>) => {
      const items = pool<ReturnType<Load['next']>>([]);
      const fill = async (count: number) => items.refill((await mint(count)).map(toRequest));
      return {
        name,
        label,
        load: { ...load, next: items.next } satisfies Load,
        warm: () => fill(Math.max(2000, CONNECTIONS * 50 * WARMUP + 4000)),
        prepare: (warmRate: number) => fill(Math.ceil(Math.max(warmRate * 2, 1000) * DURATION) + 5000),
      };
    };
    const rpBasic = `Basic ${Buffer.from(`${encodeURIComponent(rp.clientId)}:${encodeURIComponent(rp.clientSecret!)}`).toString('base64')}`;
    const longEnough = Math.max(60_000, (DURATION + 60) * 1000);
    const tokenPath = (name: string, label: string, port: number, path: string) =>
      oncePath(
        name,
        label,
        { port, path, contentType: 'application/x-www-form-urlencoded', headers: { authorization: rpBasic } },
        (count) => mintApprovedCodes(deps.db, accounts, rp.clientId, count, { now: new Date(), codeTtlMs: longEnough }),
        (c) => ({ body: new URLSearchParams({ grant_type: 'authorization_code', code: c.code, redirect_uri: BENCH_REDIRECT_URI, code_verifier: c.codeVerifier }).toString() }),
      );
    const collectPath = (name: string, label: string, port: number, pathOf: (id: string) => string) =>
      oncePath(
        name,
        label,
        { port, path: pathOf('none'), method: 'GET', headers: { authorization: `Bearer ${pindai.apiKey}` } },
        (count) => mintApprovedRequests(deps.db, accounts, pindai.id, count, { now: new Date(), ttlMs: Math.max(5 * 60_000, longEnough), elements: COUNTERS.pindai.elements }),
        (id) => ({ path: pathOf(id) }),
      );
    const run = async (paths: (Path & { warm?: () => Promise<void> })[], rounds: number) => {
      const chosen = paths.filter((p) => want(p.name));
      if (chosen.length === 0) return;
      for (const p of chosen) await p.warm?.();
      await resetRateLimits();
      results.push(...(await measurePaths(s, chosen, chosen.length > 1 ? rounds : 1)));
    };

    // The budgeted pairs, interleaved: ceiling and route alternate ROUNDS times.
    // The photo path is budgeted against the same ceiling, so it runs in the same interleaved rounds.
    await run(
      [
        redemption('redeem_ceiling', '(a) bare redemption ceiling', s.ports.ceiling, '/redeem', keys.identity),
        redemption('verify', '(b) POST /v1/verify (NIK check)', s.ports.app, '/v1/verify', keys.identity),
        redemption('verify_photo', '(b3) POST /v1/verify with photo (sharp, JPEG)', s.ports.app, '/v1/verify', keys.photo, undefined, { everyHolderFirst: true }),
      ],
      ROUNDS,
    );
    await run([redemption('verify_kyc', '(b2) POST /v1/verify, KYC: + registry read', s.ports.app, '/v1/verify', keys.kyc)], 1);
    await run(
      [
        { name: 'issue_ceiling', label: '(c0) bare issuance ceiling: seal+sign+SVG', load: { port: s.ports.ceiling, path: '/issue', next: () => ({ body: JSON.stringify({ pin: BENCH_PIN }) }) } },
        // The per-account QR limit (30/min) is reset before each slice: the bench's accounts are few, residents many.
        { name: 'issue_no_pin', label: "(c') POST /v1/me/ktp/qr, PIN hash excluded", load: issuanceLoad(accounts, s.ports.noPin, '/v1/me/ktp/qr'), prepare: async () => void (await resetRateLimits()) },
      ],
      ROUNDS,
    );
    // Document QRs (Dokumen): a KK QR redeemed by a counter allowed the KK, and a KK QR issued (PIN hash excluded),
    // each interleaved with its own ceiling — the same primitives plus the one registry read the KK needs.
    await run(
      [
        redemption('redeem_document_ceiling', '(e0) bare KK redemption ceiling: + KK read', s.ports.ceiling, '/redeem-document', keys.document, 'family_card'),
        redemption('verify_document', '(e) POST /v1/verify, KK QR', s.ports.app, '/v1/verify', keys.document, 'family_card'),
      ],
      ROUNDS,
    );
    await run(
      [
        { name: 'issue_document_ceiling', label: '(f0) bare KK QR ceiling: KK read+seal+sign+SVG', load: documentCeilingLoad(accounts, s.ports.ceiling) },
        {
          name: 'issue_document_no_pin',
          label: "(f) POST /v1/me/documents/family_card/qr, PIN hash excluded",
          load: issuanceLoad(accounts, s.ports.noPin, '/v1/me/documents/family_card/qr'),
          prepare: async () => void (await resetRateLimits()),
        },
      ],
      ROUNDS,
    );
    // Masuk dengan IKD: POST /oidc/token (authorization_code + PKCE, client_secret_basic) against its ceiling, the
    // same statements and the ES256 ID token without the framework. Every code is approved beforehand and used once.
    await run(
      [
        tokenPath('oidc_token_ceiling', '(g0) bare token ceiling: code+holder+token, ES256', s.ports.ceiling, '/oidc-token'),
        tokenPath('oidc_token', '(g) POST /oidc/token (code + PKCE, Basic)', s.ports.app, '/oidc/token'),
      ],
      ROUNDS,
    );
    // Pindai: the counter collects approved requests (each once) against the collect statement alone.
    await run(
      [
        collectPath('verify_request_ceiling', '(h0) bare collect ceiling: the statement', s.ports.ceiling, (id) => `/collect/${id}`),
        collectPath('verify_request', '(h) GET /v1/verification-requests/{id}', s.ports.app, (id) => `/v1/verification-requests/${id}`),
      ],
      ROUNDS,
    );
    await run([{ name: 'issue', label: '(c) POST /v1/me/ktp/qr with PIN (argon2id)', load: issuanceLoad(accounts, s.ports.app, '/v1/me/ktp/qr'), prepare: async () => void (await resetRateLimits()) }], 1);

    if (want('login')) {
      const challenges = pool<{ body: string; headers: Record<string, string> }>([]);
      let client = 0;
      const mint = async (count: number) =>
        (await mintLoginChallenges(deps.db, accounts, count, new Date())).map((c) => ({
          body: JSON.stringify({ nik: c.nik, challengeId: c.challengeId, signature: c.signature, pin: BENCH_PIN }),
          // 30 logins per minute per IP: every request from its own simulated address (the statement still runs).
          headers: { 'x-bench-client': simulatedClientIp(client++) },
        }));
      challenges.refill(await mint(Math.max(1000, 200 * WARMUP)));
      await run(
        [
          {
            name: 'login',
            label: '(d) POST /v1/auth/login (argon2id)',
            load: { port: s.ports.clients, path: '/v1/auth/login', next: challenges.next },
            prepare: async (rate) => challenges.refill(await mint(Math.ceil(Math.max(rate, 100) * DURATION * 2) + 500)),
          },
        ],
        1,
      );
    }
    let national: Awaited<ReturnType<typeof fillNational>> | undefined;
    const statsTimings: { empty: StatsTiming[]; national: StatsTiming[] | null; peak: StatsTiming[] | null } = { empty: [], national: null, peak: null };
    const supervisor = await supervisorSession(deps, s.ports.clients);
    statsTimings.empty = await timeStats(s.ports.app, supervisor, statsPaths(new Date(), '73', '7310'));
    if (NATIONAL) {
      if (args.statements === 'true') await printTopStatements(deps, 'empty run', true);
      // The empty twin: a second database in the same server, seeded like the first (registry, holders, the NIK-check
      // counter) and served by its own child. Its slices interleave with the national ones, so a drift of the machine
      // over the fill's 30–50 min (measured: 18 % between two runs an hour apart) lands on both sides of the ratio.
      twin = await createTwin(database.url, startedAt);
      twinDb = twin.deps.db;
      console.error(`national fill at scale ${NATIONAL_SCALE} ...`);
      national = await fillNational(deps.db, NATIONAL_SCALE, new Date());
      console.error(`filled ${national.tokens} tokens and access-log rows, ${national.accounts} accounts in ${national.ms} ms`);
      await settleDatabase?.();
      if (args.statements === 'true') await deps.db.execute(sql`select pg_stat_statements_reset()`);
      const t = twin;
      const twinRedemption = (name: string, label: string, port: number, path: string): Path & { warm: () => Promise<void> } => {
        const r = redemptionLoad(t.deps, t.accounts, port, path, t.identityKey);
        return { name, label, load: r.load, prepare: r.prepare, warm: r.warmPool, server: t.server };
      };
      await run(
        [
          twinRedemption('redeem_ceiling_twin', '(a) bare redemption ceiling, empty twin', t.server.ports.ceiling, '/redeem'),
          twinRedemption('verify_twin', '(b) POST /v1/verify, empty twin', t.server.ports.app, '/v1/verify'),
          redemption('redeem_ceiling_national', '(a) bare redemption ceiling, national data', s.ports.ceiling, '/redeem', keys.identity),
          redemption('verify_national', '(b) POST /v1/verify, national data', s.ports.app, '/v1/verify', keys.identity),
        ],
        ROUNDS,
      );
      await run(
        [
          { name: 'issue_ceiling_twin', label: '(c0) bare issuance ceiling, empty twin', load: { port: t.server.ports.ceiling, path: '/issue', next: () => ({ body: JSON.stringify({ pin: BENCH_PIN }) }) }, server: t.server },
          {
            name: 'issue_no_pin_twin',
            label: "(c') POST /v1/me/ktp/qr, empty twin",
            load: issuanceLoad(t.accounts, t.server.ports.noPin, '/v1/me/ktp/qr'),
            prepare: async () => void (await resetRateLimits(t.deps.db)),
            server: t.server,
          },
          { name: 'issue_ceiling_national', label: '(c0) bare issuance ceiling, national data', load: { port: s.ports.ceiling, path: '/issue', next: () => ({ body: JSON.stringify({ pin: BENCH_PIN }) }) } },
          { name: 'issue_no_pin_national', label: "(c') POST /v1/me/ktp/qr, national data", load: issuanceLoad(accounts, s.ports.noPin, '/v1/me/ktp/qr'), prepare: async () => void (await resetRateLimits()) },
        ],
        ROUNDS,
      );
      // The statistics a supervisor opens, on the filled database. First the roll-up the Node processes run every
      // 10 s (the bench's server child runs no timers): what is left raw is the last 20 s of the slices.
      await rollUpAccessStats(deps.db, new Date());
      // A new session: the first one is an hour old by now (the fill), past the operator session's idle limit.
      const statsToken = await supervisorSession(deps, s.ports.clients);
      statsTimings.national = await timeStats(s.ports.app, statsToken, statsPaths(new Date(), '73', '7310'));
      for (const t of statsTimings.national) console.error(`  ${t.name}: p50 ${t.ms.p50} ms, max ${t.ms.max} ms (${t.status.join(',')})`);
      // The budgeted case: the read at a national peak, 2,000 verifications/s, the roll-up having last run 10 s ago —
      // the longest raw tail the job leaves (ROLLUP_LAG_MS + STATS_ROLLUP_INTERVAL_MS = 30 s ≈ 60 k rows), written
      // as the redemption statement writes them (the holder's district on the row), for the fill's holders.
      const peakAt = Date.now();
      const tailMs = ROLLUP_LAG_MS + STATS_ROLLUP_INTERVAL_MS;
      await rollUpAccessStats(deps.db, new Date(peakAt - STATS_ROLLUP_INTERVAL_MS));
      const peakRows = Math.round((PEAK_VERIFICATIONS_PER_S * tailMs) / 1000);
      const holders = Math.max(1, national.accounts);
      await deps.db.execute(sql.raw(`insert into access_log (at, token_id, account_id, verifier_id, outcome, elements, counter, holder_district)
        select '${new Date(peakAt - tailMs).toISOString()}'::timestamptz + (i::float8 / ${peakRows}) * interval '${tailMs} milliseconds', null,
               a.id, 'nat-counter', 'verified', '{nik,nama}', 'Loket 1', substr(a.nik, 1, 6)
        from generate_series(0, ${peakRows - 1}) as i join accounts a on a.id = ${nationalAccountId(`(i * 7919) % ${holders}`)}`));
      statsTimings.peak = await timeStats(s.ports.app, statsToken, statsPaths(new Date(), '73', '7310'));
      console.error(`statistics with the raw tail of a ${PEAK_VERIFICATIONS_PER_S}/s peak (${peakRows} rows over ${tailMs / 1000} s):`);
      for (const t of statsTimings.peak) console.error(`  ${t.name}: p50 ${t.ms.p50} ms, max ${t.ms.max} ms (${t.status.join(',')})`);
    }
    const redeemTotals = { ok: sum(results.filter((r) => r.name.startsWith('verify') || r.name.startsWith('redeem_')).map((r) => r.ok)) };

    // Integrity: every verified access-log row of a QR belongs to exactly one used token, and no token was redeemed
    // twice. (Collected Pindai requests are verified rows without a token: counted with their requests below.)
    const [integrity] = await queryRows<{ doubles: number; verified: number; used: number; tokens_with_log: number }>(
      deps.db,
      sql`select
            (select count(*)::int from (select token_id from access_log where outcome = 'verified' and token_id is not null group by token_id having count(*) > 1) d) as doubles,
            (select count(*)::int from access_log where outcome = 'verified' and token_id is not null) as verified,
            (select count(*)::int from ktp_tokens where used_at is not null) as used,
            (select count(distinct token_id)::int from access_log where outcome = 'verified') as tokens_with_log`,
    );
    // Masuk dengan IKD and Pindai: every code spent at most once with one access token; every collect one access-log row.
    const [onceIntegrity] = await queryRows<{ codes_used: number; access_tokens: number; codes_with_two: number; collected: number; collect_rows: number }>(
      deps.db,
      sql`select
            (select count(*)::int from oidc_authorizations where client_id = ${rp.clientId} and code_used_at is not null) as codes_used,
            (select count(*)::int from oidc_access_tokens where client_id = ${rp.clientId}) as access_tokens,
            (select count(*)::int from (select authorization_id from oidc_access_tokens where client_id = ${rp.clientId} group by authorization_id having count(*) > 1) d) as codes_with_two,
            (select count(*)::int from verification_requests where verifier_id = ${pindai.id} and collected_at is not null) as collected,
            (select count(*)::int from access_log where verifier_id = ${pindai.id} and outcome = 'verified') as collect_rows`,
    );
    if (args.statements === 'true') await printTopStatements(deps, NATIONAL ? 'national run' : 'whole run');
    const finalStats = await s.stats();
    await s.stop();
    server = undefined;

    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    const ratio = (a?: Measurement, b?: Measurement) => (a && b && b.throughput > 0 ? Math.round((a.throughput / b.throughput) * 1000) / 1000 : null);
    // The national ratios' denominators: the interleaved empty twin when it ran, else the first run's slices.
    const emptyVerify = byName.verify_twin ?? byName.verify;
    const emptyIssue = byName.issue_no_pin_twin ?? byName.issue_no_pin;
    // Answered 2xx in the measured slices (the warm-ups spent more): never more than the rows that say so.
    const tokenOk = (byName.oidc_token?.ok ?? 0) + (byName.oidc_token_ceiling?.ok ?? 0);
    const collectOk = (byName.verify_request?.ok ?? 0) + (byName.verify_request_ceiling?.ok ?? 0);
    const budgets = [
      { name: 'redemption / bare ceiling', value: ratio(byName.verify, byName.redeem_ceiling), limit: '≥ 0.8', pass: (ratio(byName.verify, byName.redeem_ceiling) ?? 0) >= 0.8 },
      { name: `redemption p99 at ${CONNECTIONS} connections (ms)`, value: byName.verify?.latencyMs.p99 ?? null, limit: '≤ 50', pass: (byName.verify?.latencyMs.p99 ?? Infinity) <= 50 },
      { name: 'double redemptions', value: integrity!.doubles, limit: '= 0', pass: integrity!.doubles === 0 },
      { name: 'verified access-log rows = used tokens', value: `${integrity!.verified} / ${integrity!.used}`, limit: 'equal', pass: integrity!.verified === integrity!.used && integrity!.tokens_with_log === integrity!.used },
      ...(byName.oidc_token || byName.oidc_token_ceiling
        ? [
            { name: 'OIDC codes used = access tokens, none twice', value: `${onceIntegrity!.codes_used} / ${onceIntegrity!.access_tokens}`, limit: 'equal', pass: onceIntegrity!.codes_used === onceIntegrity!.access_tokens && onceIntegrity!.codes_with_two === 0 && onceIntegrity!.codes_used >= tokenOk },
          ]
        : []),
      ...(byName.verify_request || byName.verify_request_ceiling
        ? [{ name: 'collected requests = their access-log rows', value: `${onceIntegrity!.collected} / ${onceIntegrity!.collect_rows}`, limit: 'equal', pass: onceIntegrity!.collected === onceIntegrity!.collect_rows && onceIntegrity!.collected >= collectOk }]
        : []),
      { name: 'redemption with photo / bare ceiling', value: ratio(byName.verify_photo, byName.redeem_ceiling), limit: '≥ 0.5', pass: (ratio(byName.verify_photo, byName.redeem_ceiling) ?? 0) >= 0.5 },
      { name: 'issuance (PIN hash excluded) / bare ceiling', value: ratio(byName.issue_no_pin, byName.issue_ceiling), limit: '≥ 0.8', pass: (ratio(byName.issue_no_pin, byName.issue_ceiling) ?? 0) >= 0.8 },
      ...(NATIONAL
        ? [
            // Against the empty twin measured in the same rounds (the first run's slices came before the fill).
            { name: 'redemption national / empty (interleaved twin)', value: ratio(byName.verify_national, emptyVerify), limit: '≥ 0.9', pass: (ratio(byName.verify_national, emptyVerify) ?? 0) >= 0.9 },
            { name: 'issuance national / empty (interleaved twin)', value: ratio(byName.issue_no_pin_national, emptyIssue), limit: '≥ 0.9', pass: (ratio(byName.issue_no_pin_national, emptyIssue) ?? 0) >= 0.9 },
            ...(() => {
              const admin = statsTimings.peak?.find((t) => t.name === 'admin_stats_month');
              return admin
                ? [{ name: `GET /v1/admin/stats, a month of national data at a ${PEAK_VERIFICATIONS_PER_S}/s peak, slowest of 20 (ms)`, value: admin.ms.max, limit: '≤ 100', pass: admin.ms.max <= 100 && admin.status.length === 1 && admin.status[0] === 200 }]
                : [];
            })(),
            { name: 'redemption national / its ceiling', value: ratio(byName.verify_national, byName.redeem_ceiling_national), limit: '≥ 0.9', pass: (ratio(byName.verify_national, byName.redeem_ceiling_national) ?? 0) >= 0.9 },
          ]
        : []),
    ].filter((b) => b.value !== null);

    // Informational ratios (not budgets): what the other paths reach of their ceilings.
    const ratios = {
      verifyToCeiling: ratio(byName.verify, byName.redeem_ceiling),
      verifyKycToCeiling: ratio(byName.verify_kyc, byName.redeem_ceiling),
      verifyPhotoToCeiling: ratio(byName.verify_photo, byName.redeem_ceiling),
      issueNoPinToCeiling: ratio(byName.issue_no_pin, byName.issue_ceiling),
      issueWithPinToCeiling: ratio(byName.issue, byName.issue_ceiling),
      verifyDocumentToCeiling: ratio(byName.verify_document, byName.redeem_document_ceiling),
      issueDocumentNoPinToCeiling: ratio(byName.issue_document_no_pin, byName.issue_document_ceiling),
      oidcTokenToCeiling: ratio(byName.oidc_token, byName.oidc_token_ceiling),
      verifyRequestToCeiling: ratio(byName.verify_request, byName.verify_request_ceiling),
      verifyNationalToEmpty: ratio(byName.verify_national, emptyVerify),
      issueNationalToEmpty: ratio(byName.issue_no_pin_national, emptyIssue),
      // The same against the first run's empty slices, before the fill (the machine may have drifted meanwhile).
      verifyNationalToFirstEmpty: ratio(byName.verify_national, byName.verify),
      issueNationalToFirstEmpty: ratio(byName.issue_no_pin_national, byName.issue_no_pin),
      verifyTwinToFirstEmpty: ratio(byName.verify_twin, byName.verify),
      issueTwinToFirstEmpty: ratio(byName.issue_no_pin_twin, byName.issue_no_pin),
    };
    const output = {
      startedAt: startedAt.toISOString(),
      command: `npm run bench -- --duration ${DURATION} --connections ${CONNECTIONS} --rounds ${ROUNDS}${NATIONAL ? ` --national --national-scale ${NATIONAL_SCALE}` : ""}`,
      machine: machine(database),
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        warmupSeconds: WARMUP,
        accounts: ACCOUNTS,
        counters: COUNTERS,
        rounds: ROUNDS,
        serverProcess: `child process (scripts/bench/server.ts), NODE_ENV=production, LOG_LEVEL=info to a file, pool ${POOL}`,
        loadGenerator: 'autocannon in the parent process, loopback',
      },
      results,
      national: national ?? null,
      statsTimings,
      ratios,
      integrity: { ...integrity, redemptions2xxMeasured: redeemTotals.ok, oidc: { codesUsed: onceIntegrity!.codes_used, accessTokens: onceIntegrity!.access_tokens, codesWithTwoTokens: onceIntegrity!.codes_with_two, measured2xx: tokenOk }, verificationRequests: { collected: onceIntegrity!.collected, accessLogRows: onceIntegrity!.collect_rows, measured2xx: collectOk } },
      budgets,
      serverRssMiB: Math.round(finalStats.rss / 2 ** 20),
      loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    };
    writeFileSync(OUT, JSON.stringify(output, null, 2) + '\n');
    printTable(output.machine, results, budgets, { oidcTokenToCeiling: ratios.oidcTokenToCeiling, verifyRequestToCeiling: ratios.verifyRequestToCeiling });
    console.log(`\nwritten to ${OUT}`);
    process.exitCode = budgets.every((b) => b.pass) ? 0 : 1;
  } finally {
    await server?.stop().catch(() => {});
    await twin?.drop().catch(() => {});
    await deps.database.close().catch(() => {});
    await database.drop().catch(() => {});
  }
}

function printTable(
  m: ReturnType<typeof machine>,
  results: Measurement[],
  budgets: { name: string; value: unknown; limit: string; pass: boolean }[],
  unbudgeted: Record<string, number | null>,
) {
  console.log(`\n${m.cpuModel}, ${m.cores} cores, Node ${m.node}, PostgreSQL ${m.postgres}, load ${m.loadAverageAtStart.join(' ')}`);
  console.log(`${CONNECTIONS} connections, ${DURATION} s each\n`);
  const rows = [
    ['path', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx', 'server CPU'],
    ...results.map((r) => [r.label, r.throughput.toFixed(0), String(r.latencyMs.p50), String(r.latencyMs.p90), String(r.latencyMs.p99), String(r.non2xx + r.errors), `${r.serverCpuPercent}%`]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log('\nbudgets');
  for (const b of budgets) console.log(`  ${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.value} (${b.limit})`);
  const shown = Object.entries(unbudgeted).filter(([, v]) => v !== null);
  if (shown.length > 0) {
    console.log('\nratios (not budgeted)');
    for (const [name, value] of shown) console.log(`  ${name}: ${value}`);
  }
}

await main();
