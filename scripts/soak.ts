/**
 * `npm run soak -- --minutes 5`: a steady mix of registrations, logins, QR issuance, verification (first scans and
 * replays), history reads and hostile tokens against the real app on a real PostgreSQL, for minutes. Reports the server's
 * RSS over time and every unexpected answer; exits 1 on any error or when RSS grows more than the bound.
 *
 *   npm run soak -- [--minutes 5] [--concurrency 8] [--accounts 200] [--max-rss-growth-mib 64] [--out soak-results.json]
 *
 * Growth is measured from the samples right after the warm-up (a tenth of the run, at least 20 s: JIT, pools and
 * prepared statements fill up first) to the last ones, medians of three each, every sample after a full GC.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/types.js';
import { benchDatabase, flags, machine, seedingDeps, startServerChild, type ServerChild } from './bench/harness.js';
import { BENCH_PIN, eligibleNiks, seedAccounts, seedBenchRegistry, seedVerifier, simulatedClientIp, type BenchAccount } from './bench/seed.js';

const args = flags(process.argv.slice(2));
const MINUTES = Number(args.minutes ?? 5);
const CONCURRENCY = Number(args.concurrency ?? 8);
// Enough accounts that QR issuance stays well inside its 30 per account-minute limit at argon2's pace.
const ACCOUNTS = Number(args.accounts ?? 600);
const MAX_GROWTH_MIB = Number(args['max-rss-growth-mib'] ?? 64);
const OUT = args.out ?? 'soak-results.json';
const REGISTRATIONS = Number(args.registrations ?? Math.ceil(MINUTES * 60 * 25));

const MiB = 2 ** 20;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

interface Counters {
  ok: Record<string, number>;
  errors: number;
  errorSamples: string[];
}

async function main() {
  const database = await benchDatabase();
  const deps = await seedingDeps(database.url);
  let server: ServerChild | undefined;
  try {
    const now = new Date();
    await seedBenchRegistry(deps.db, ACCOUNTS + REGISTRATIONS, now);
    const accounts = await seedAccounts(deps, ACCOUNTS, now);
    // Registrations need registry residents with no account or registration yet, with their name and birth date.
    const free = await eligibleNiks(deps.db, REGISTRATIONS, now);
    const registrants = await queryRows<{ nik: string; name: string; birth_date: string }>(
      deps.db,
      sql`select nik, name, birth_date::text as birth_date from registry_residents where nik in ${free.length ? sql`(${sql.join(free.map((n) => sql`${n}`), sql`, `)})` : sql`(null)`}`,
    );
    const kyc = await seedVerifier(deps, 'Bank Soak (KYC)', ['nik', 'name', 'birthDate', 'address']);
    const hospital = await seedVerifier(deps, 'RS Soak (with photo)', ['nik', 'name', 'birthDate', 'photo']);
    await deps.db.execute(sql`vacuum analyze`);

    server = await startServerChild(database.url, deps, { nodeArgs: ['--expose-gc'] });
    const base = `http://127.0.0.1:${server.ports.clients}`;
    const counters: Counters = { ok: {}, errors: 0, errorSamples: [] };
    let client = 0;

    const call = async (op: string, method: string, path: string, body: unknown, headers: Record<string, string>, expected: number, code?: string) => {
      try {
        const res = await fetch(base + path, {
          method,
          headers: { 'content-type': 'application/json', 'x-bench-client': simulatedClientIp(client++), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
        if (res.status !== expected || (code && json?.code !== code)) {
          counters.errors++;
          if (counters.errorSamples.length < 20) counters.errorSamples.push(`${op}: ${res.status} ${String(json?.code ?? '')}`);
          return null;
        }
        counters.ok[op] = (counters.ok[op] ?? 0) + 1;
        return json ?? {};
      } catch (error) {
        counters.errors++;
        if (counters.errorSamples.length < 20) counters.errorSamples.push(`${op}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };

    const login = async (account: BenchAccount) => {
      const challenge = await call('challenge', 'POST', '/v1/challenges', { purpose: 'login' }, {}, 201);
      if (!challenge) return;
      const signature = sign(null, Buffer.from(`ikd-v1|login|${String(challenge.challengeId)}|${String(challenge.nonce)}`), account.privateKey).toString('base64url');
      const session = await call('login', 'POST', '/v1/auth/login', { nik: account.nik, challengeId: challenge.challengeId, signature, pin: BENCH_PIN }, {}, 200);
      if (session) account.accessToken = String(session.accessToken);
    };

    const issueAndVerify = async (account: BenchAccount, round: number) => {
      const auth = { authorization: `Bearer ${account.accessToken}` };
      const verifier = round % 4 === 0 ? hospital : kyc;
      const qr = await call('issue', 'POST', '/v1/me/ktp/qr', { pin: BENCH_PIN, format: round % 2 ? 'svg' : 'none' }, auth, 201);
      if (!qr) return;
      await call('verify', 'POST', '/v1/verify', { token: qr.token, counter: 'soak' }, { authorization: `Bearer ${verifier.apiKey}` }, 200);
      if (round % 5 === 0) await call('verify_replay', 'POST', '/v1/verify', { token: qr.token }, { authorization: `Bearer ${kyc.apiKey}` }, 409, 'token_already_used');
      if (round % 3 === 0) await call('history', 'GET', '/v1/me/access-history', undefined, auth, 200);
    };

    let registered = 0;
    const register = async () => {
      const who = registrants[registered++];
      if (!who) return;
      const { publicKey } = generateKeyPairSync('ed25519');
      const devicePublicKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
      await call(
        'register',
        'POST',
        '/v1/registrations',
        { nik: who.nik, name: who.name, birthDate: who.birth_date, email: `soak.${who.nik}@example.id`, phone: '081234567890', devicePublicKey },
        {},
        201,
      );
    };

    const hostile = () => call('verify_garbage', 'POST', '/v1/verify', { token: 'NOT A TOKEN %%%' }, { authorization: `Bearer ${kyc.apiKey}` }, 400, 'token_invalid');

    const started = Date.now();
    const endAt = started + MINUTES * 60_000;
    const warmAt = started + Math.max(20_000, (MINUTES * 60_000) / 10);
    const samples: { atSeconds: number; rssMiB: number; heapAfterGcMiB: number }[] = [];
    const sample = async () => {
      const s = await server!.stats({ gc: true });
      samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMiB: mib(s.rss), heapAfterGcMiB: mib(s.heapUsed) });
    };
    await sample();
    const sampler = setInterval(() => void sample(), 10_000);

    console.error(`soak: ${MINUTES} min, ${CONCURRENCY} workers, ${ACCOUNTS} accounts, PostgreSQL ${database.version} (${database.source})`);
    // Each worker owns its accounts, so one worker's new QR never revokes another's token in flight.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        const mine = accounts.filter((_, i) => i % CONCURRENCY === w);
        for (let round = 0; Date.now() < endAt; round++) {
          const account = mine[round % mine.length]!;
          if (round % 6 === 0) await login(account);
          await issueAndVerify(account, round);
          if (round % 4 === w % 4) await register();
          if (round % 10 === 0) await hostile();
        }
      }),
    );
    clearInterval(sampler);
    await sample();

    // Medians of the first three samples after the warm-up and of the last three: single samples swing with GC.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const warmIndex = Math.max(1, samples.findIndex((x) => x.atSeconds * 1000 >= warmAt - started));
    const early = samples.slice(warmIndex, warmIndex + 3);
    const late = samples.slice(-3);
    const first = samples[0]!.rssMiB;
    const baseline = median(early.map((x) => x.rssMiB));
    const last = median(late.map((x) => x.rssMiB));
    const growth = Math.round((last - baseline) * 10) / 10;
    const heapGrowth = Math.round((median(late.map((x) => x.heapAfterGcMiB)) - median(early.map((x) => x.heapAfterGcMiB))) * 10) / 10;
    const [db] = await queryRows<{ doubles: number; used_without_log: number }>(
      deps.db,
      sql`select (select count(*)::int from (select token_id from access_log where outcome = 'verified' group by token_id having count(*) > 1) d) as doubles,
                 (select count(*)::int from ktp_tokens t where used_at is not null and not exists
                    (select 1 from access_log l where l.token_id = t.id and l.outcome = 'verified')) as used_without_log`,
    );
    const requests = Object.values(counters.ok).reduce((a, b) => a + b, 0) + counters.errors;
    const result = {
      command: `npm run soak -- --minutes ${MINUTES}`,
      machine: machine(database),
      minutes: MINUTES,
      concurrency: CONCURRENCY,
      requests,
      requestsPerSecond: Math.round(requests / ((Date.now() - started) / 1000)),
      ok: counters.ok,
      errors: counters.errors,
      errorSamples: counters.errorSamples,
      integrity: db,
      rss: { startMiB: first, afterWarmupMiB: baseline, endMiB: last, growthAfterWarmupMiB: growth, boundMiB: MAX_GROWTH_MIB, heapAfterGcGrowthMiB: heapGrowth, samples },
    };
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    console.log(`\n${requests} requests in ${MINUTES} min (${result.requestsPerSecond}/s): ${JSON.stringify(counters.ok)}`);
    console.log(`errors: ${counters.errors}${counters.errorSamples.length ? ` — ${counters.errorSamples.join('; ')}` : ''}`);
    console.log(`integrity: double redemptions ${db!.doubles}, used tokens without their access-log row ${db!.used_without_log}`);
    console.log(`server RSS: start ${first} MiB, after warm-up ${baseline} MiB, end ${last} MiB (growth ${growth} MiB, bound ${MAX_GROWTH_MIB} MiB); live heap after GC grew ${heapGrowth} MiB`);
    console.log(`samples (s=RSS/heap MiB): ${samples.map((s) => `${s.atSeconds}s=${s.rssMiB}/${s.heapAfterGcMiB}`).join(' ')}`);
    console.log(`written to ${OUT}`);
    const pass = counters.errors === 0 && growth <= MAX_GROWTH_MIB && db!.doubles === 0 && db!.used_without_log === 0;
    console.log(pass ? 'PASS' : 'FAIL');
    process.exitCode = pass ? 0 : 1;
  } finally {
    await server?.stop().catch(() => {});
    await deps.database.close().catch(() => {});
    await database.drop().catch(() => {});
  }
}

await main();
