/**
 * Failover that loses nothing, end to end (the failover test and `npm run failover` both run this):
 *
 * 1. A primary and a synchronous streaming standby (postgres-replica.ts); the schema, 600 accounts with live
 *    sessions and a verifier seeded on the primary (the bench's seeding).
 * 2. The service as src/node.ts builds it (parseConfig → buildNodeDeps → createApp, served over HTTP by
 *    @hono/node-server) with DATABASE_URL naming both hosts and target_session_attrs=read-write.
 * 3. Load: a few clients, each issuing a KTP QR (POST /v1/me/ktp/qr) and redeeming it at once (POST /v1/verify),
 *    a counter retrying a redemption that got a 503, as the counter app does.
 * 4. SIGKILL to the primary's processes; a second later `pg_ctl promote` on the standby (what a failover manager
 *    does); the service is not told anything and keeps its pool.
 * 5. Counted on the new primary afterwards: every token whose redemption was answered 200 is marked used, no token
 *    was redeemed twice (access log and answers), and every answer was 200/201 or a 503 with Retry-After.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { createApp } from '../../src/app.js';
import { buildNodeDeps } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config.js';
import { decodeKtpToken } from '../../src/crypto/token-codec.js';
import { createLogger } from '../../src/logger.js';
import { seedingDeps } from '../bench/harness.js';
import { BENCH_PIN, seedAccounts, seedBenchRegistry, seedVerifier, type BenchAccount } from '../bench/seed.js';
import { startReplicaPair, type ReplicaPair } from './postgres-replica.js';

export interface Answer {
  step: 'issue' | 'verify';
  status: number;
  code?: string;
  retryAfter: string | null;
  phase: 'before' | 'switch' | 'after';
  /** ms since the primary was killed (negative before) */
  at: number;
}

export interface FailoverReport {
  postgres: string;
  serviceUrl: string;
  answers: Answer[];
  /** status → count, per step */
  statuses: Record<string, number>;
  redeemed200: number;
  /** tokens answered 200 whose row is not marked used on the new primary (must be 0) */
  lost: number;
  /** tokens with more than one 'verified' access-log row, or answered 200 more than once (must be 0) */
  doubleRedemptions: number;
  /** QRs answered 201 whose row the new primary does not have: the asynchronous-commit issuance lost in the crash */
  issuedButLost: number;
  /** redemptions answered 503 whose commit reached the standby anyway (a retry then met 409 token_already_used) */
  committedBut503: number;
  /** answers other than 200/201/503-with-Retry-After, and after the switch the allowed refusals (listed) */
  unexpected: Answer[];
  /** ms from the SIGKILL to the first redemption answered 200 on the promoted standby */
  recoveryMs: number;
  /** the service's error log lines (a 500 logs its cause) */
  serviceErrors: string[];
  /** ms from the SIGKILL until pg_ctl promote returned (1 s of "detection" + the promotion) */
  promotedMs: number;
}

const CLIENTS = 6;
const ACCOUNTS = 600;

export async function runFailover(options: { bin?: string; log?: (line: string) => void } = {}): Promise<FailoverReport> {
  const log = options.log ?? (() => {});
  const pair: ReplicaPair = await startReplicaPair({ bin: options.bin });
  let server: ReturnType<typeof serve> | undefined;
  let closeService: (() => Promise<void>) | undefined;
  try {
    log(`primary :${pair.primary.port}, synchronous standby :${pair.standby.port} (PostgreSQL ${pair.primary.version})`);
    // Seeding straight on the primary: schema, registry, accounts with sessions, a verifier.
    const seeding = await seedingDeps(pair.primary.url);
    const now = new Date();
    await seedBenchRegistry(seeding.db, ACCOUNTS, now);
    const accounts = await seedAccounts(seeding, ACCOUNTS, now);
    const verifier = await seedVerifier(seeding, 'Loket Failover', ['nik', 'name']);
    await seeding.database.close();

    // The service, built as src/node.ts builds it, from the environment a deployment would give it.
    const config = parseConfig({
      NODE_ENV: 'production',
      DATABASE_URL: pair.serviceUrl,
      DATABASE_POOL_SIZE: '8',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      IKD_KEYS: JSON.stringify(seeding.storedKeys),
      IKD_PIN_PEPPER: seeding.pepper,
      // The outbox worker is not started here; no e-mail leaves.
      RESEND_API_KEY: 're_failover_unused',
      LOG_LEVEL: 'error',
    });
    const serviceLog: string[] = [];
    const logger = createLogger({ level: 'error', sink: (line) => serviceLog.push(line) });
    const deps = await buildNodeDeps(config, logger);
    closeService = () => deps.database.close();
    const app = createApp(deps);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    log(`service on ${base}, DATABASE_URL=${pair.serviceUrl}`);

    const answers: Answer[] = [];
    let phase: Answer['phase'] = 'before';
    let killedAt = 0;
    const since = () => (killedAt ? performance.now() - killedAt : -1);
    const tokens200 = new Map<string, number>(); // token id → 200 answers
    const issuedIds = new Set<string>();
    const retriedAfter503 = new Set<string>();
    const alreadyUsedAfter503 = new Set<string>();
    let firstOkAfterPromotion = 0;
    let promoted = false;

    const call = async (step: Answer['step'], path: string, body: unknown, auth: string) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${auth}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      answers.push({ step, status: res.status, code: json?.code as string | undefined, retryAfter: res.headers.get('Retry-After'), phase, at: since() });
      return { status: res.status, json };
    };

    let next = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const account: BenchAccount = accounts[next++ % accounts.length]!;
        const qr = await call('issue', '/v1/me/ktp/qr', { pin: BENCH_PIN, format: 'none', elements: ['nik', 'name'] }, account.accessToken);
        if (qr.status !== 201) {
          if (qr.status === 503) await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const token = String(qr.json!.token);
        const decoded = decodeKtpToken(deps.keys, token);
        if (!decoded.ok) throw new Error('the service issued a token it cannot decode');
        issuedIds.add(decoded.tokenId);
        // The counter retries a redemption that met a 503 (up to 60 times, 50 ms apart) until it gets an answer.
        for (let attempt = 0; attempt < 60; attempt++) {
          const verified = await call('verify', '/v1/verify', { token }, verifier.apiKey);
          if (verified.status === 200) {
            tokens200.set(decoded.tokenId, (tokens200.get(decoded.tokenId) ?? 0) + 1);
            if (promoted && !firstOkAfterPromotion) firstOkAfterPromotion = since();
          }
          if (verified.status !== 503) {
            if (attempt > 0 && verified.json?.code === 'token_already_used') alreadyUsedAfter503.add(decoded.tokenId);
            break;
          }
          retriedAfter503.add(decoded.tokenId);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const okCount = () => answers.filter((a) => a.step === 'verify' && a.status === 200).length;
    const waitFor = async (what: string, check: () => boolean, timeoutMs = 60_000) => {
      const started = performance.now();
      while (!check()) {
        if (performance.now() - started > timeoutMs) throw new Error(`failover: no ${what} within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    const clients = Array.from({ length: CLIENTS }, () => client());
    const failed = Promise.all(clients).then(
      () => null,
      (error: unknown) => error,
    );
    await waitFor('load before the failover', () => okCount() >= 60);
    log(`load running: ${okCount()} redemptions answered 200; SIGKILL to the primary`);
    phase = 'switch';
    killedAt = performance.now();
    pair.killPrimary();
    await new Promise((r) => setTimeout(r, 1000));
    await pair.promoteStandby();
    const promotedMs = since();
    promoted = true;
    log(`standby promoted ${Math.round(promotedMs)} ms after the kill`);
    await waitFor('redemption answered 200 after the promotion', () => firstOkAfterPromotion > 0);
    phase = 'after';
    const okAtRecovery = okCount();
    await waitFor('load after the failover', () => okCount() >= okAtRecovery + 60);
    stop = true;
    const clientError = await failed;
    if (clientError) throw clientError;

    // Counted on the new primary, directly (not through the service).
    const sql = postgres(pair.standby.url, { max: 1, onnotice: () => {} });
    let lost = 0;
    let doubleLogged = 0;
    let issuedButLost = 0;
    try {
      const ids200 = [...tokens200.keys()];
      const [used] = await sql<{ n: number }[]>`select count(*)::int as n from ktp_tokens where id = any(${ids200}) and used_at is not null`;
      lost = ids200.length - (used?.n ?? 0);
      const doubles = await sql<{ token_id: string }[]>`
        select token_id from access_log where outcome = 'verified' and token_id is not null group by token_id having count(*) > 1`;
      doubleLogged = doubles.length;
      const ids = [...issuedIds];
      const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from ktp_tokens where id = any(${ids})`;
      issuedButLost = ids.length - (stored?.n ?? 0);
    } finally {
      await sql.end();
    }
    const doubleAnswered = [...tokens200.values()].filter((n) => n > 1).length;
    const statuses: Record<string, number> = {};
    for (const a of answers) {
      const key = `${a.step} ${a.status}${a.code ? ` ${a.code}` : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    // Fails closed and allowed: a QR whose asynchronous commit died with the primary does not redeem; a redemption
    // that committed on both machines but whose answer was lost (503) answers token_already_used to the retry.
    const allowedAfterKill = (a: Answer) =>
      a.phase !== 'before' && a.step === 'verify' && (a.code === 'token_already_used' || a.code === 'token_invalid' || a.code === 'token_revoked');
    const unexpected = answers.filter(
      (a) => !(a.status === 200 || a.status === 201 || (a.status === 503 && a.code === 'service_unavailable' && a.retryAfter !== null) || allowedAfterKill(a)),
    );
    return {
      postgres: pair.primary.version,
      serviceUrl: pair.serviceUrl,
      answers,
      statuses,
      redeemed200: tokens200.size,
      lost,
      doubleRedemptions: doubleLogged + doubleAnswered,
      issuedButLost,
      committedBut503: alreadyUsedAfter503.size,
      unexpected,
      serviceErrors: serviceLog,
      recoveryMs: Math.round(firstOkAfterPromotion),
      promotedMs: Math.round(promotedMs),
    };
  } finally {
    server?.close();
    await closeService?.().catch(() => {});
    pair.destroy();
  }
}
