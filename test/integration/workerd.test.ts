/**
 * The Workers entry really run: src/worker.ts under workerd through `wrangler dev` (wrangler's own npm dependency;
 * nothing is downloaded), Hyperdrive pointed at this file's PostgreSQL database through
 * CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE. Started once; the whole resident journey goes over HTTP
 * to it: registration → the registration QR → operator lookup and approval → activation from the e-mail → login →
 * KTP QR → verification at a counter → the holder's access history. The test's own database handle only seeds what
 * has no public route (the registry, an operator, a verifier) and reads the outbox, as the in-process tests do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing, KeyRing } from '../../src/crypto/keyring.js';
import { createScryptPinHasher } from '../../src/crypto/pin-scrypt.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { accounts, ktpTokens, outbox } from '../../src/db/schema/index.js';
import { queryRows, type Database } from '../../src/db/types.js';
import { ROLLUP_LAG_MS, ROLLUP_META_KEY } from '../../src/domain/operators/rollups.js';
import { createSharpCounterPhotos } from '../../src/domain/credential/photo-sharp.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createSeededRegistry } from '../../src/registry/seeded.js';
import { freePort } from '../../scripts/lib/postgres-local.js';
import type { TestClock } from '../helpers/clock.js';
import { withDatabase } from '../helpers/global-setup.js';
import { createTestDatabase, jsonRequest, testConfig, type TestContext } from '../helpers/context.js';
import { activationMail, approve, postActivation, registerResident } from '../helpers/enrolment.js';
import { createOperatorSession } from '../helpers/operator.js';
import { createTestVerifier, issueQr, loginAs, postVerify, residentAuth, type ActiveResident } from '../helpers/resident.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';
const onPostgres = /^postgres(ql)?:\/\//.test(DATABASE_URL);
if (!onPostgres) console.warn('test/integration/workerd: skipped — DATABASE_URL is not PostgreSQL (Hyperdrive needs a real PostgreSQL); CI runs it');

const PEPPER = 'test-pepper-0123456789abcdef';
const WRANGLER = join(process.cwd(), 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/** Hyperdrive's local connection string must carry a password; trust authentication ignores it. */
function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = 'local';
  return u.toString();
}

interface Wrangler {
  base: string;
  child: ChildProcess;
  output: () => string;
  stop: () => void;
}

/** `wrangler dev` on a free port, in its own process group; resolves when GET /healthz answers 200 through workerd. */
async function startWrangler(databaseUrl: string, keysJson: string): Promise<Wrangler> {
  const port = await freePort();
  const inspector = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'ikd-wrangler-'));
  const base = `http://127.0.0.1:${port}`;
  const vars = { IKD_KEYS: keysJson, IKD_PIN_PEPPER: PEPPER, RESEND_API_KEY: 're_local_unused', PUBLIC_BASE_URL: base };
  const child = spawn(
    process.execPath,
    [
      WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
      '--persist-to', state, '--show-interactive-dev-session=false', '--log-level', 'log', '--test-scheduled',
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(databaseUrl),
        // Offline: no metrics, no Request.cf download from workers.cloudflare.com, logs in the temp dir.
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_LOG_PATH: join(state, 'logs'),
        CI: 'true',
        NO_COLOR: '1',
      },
    },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(state, { recursive: true, force: true });
  };
  process.once('exit', stop);
  // The first start bundles src/worker.ts with esbuild and starts workerd: seconds, more beside other suites.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const ok = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) return { base, child, output: () => log, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`wrangler dev did not start (${exited ? 'exited' : 'no /healthz within 90 s'}):\n${log.slice(-4000)}`);
}

/** The wall clock: the worker runs on systemClock, so the test's TOTP codes and dates must too. */
const wallClock: TestClock = { now: () => new Date(), advance: () => {}, set: () => {} };

describe.skipIf(!onPostgres)('the Workers entry under workerd (wrangler dev, Hyperdrive local connection string)', () => {
  let database: Database;
  let wrangler: Wrangler;
  let ctx: TestContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    const keysJson = JSON.stringify(generateKeyRing());
    wrangler = await startWrangler(withDatabase(DATABASE_URL, databaseName(database)), keysJson);
    // The helpers' context, with requests going over HTTP to workerd, and the Workers' hashers (scrypt, not argon2)
    // and secret box for what the test writes straight into the database (the operator's password and TOTP secret).
    const hasher = createScryptPinHasher(PEPPER);
    const logger = createMemoryLogger('debug');
    ctx = {
      app: { request: (path: string, init?: RequestInit) => fetch(`${wrangler.base}${path}`, init) } as unknown as TestContext['app'],
      deps: {
        config: testConfig(),
        database,
        db: database.db,
        logger,
        clock: wallClock,
        keys: new KeyRing(JSON.parse(keysJson)),
        registry: createSeededRegistry(database.db),
        pins: hasher,
        passwords: hasher,
        secrets: createSecretBox(PEPPER),
        photos: createSharpCounterPhotos(),
      },
      clock: wallClock,
      logLines: logger.lines,
      close: () => database.close(),
    };
  });

  afterAll(async () => {
    wrangler?.stop();
    await database?.close();
  });

  it('serves registration → approval → activation → login → QR → verify → history from workerd', async () => {
    const health = await ctx.app.request('/readyz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ready', database: 'postgres' });

    const operator = await createOperatorSession(ctx);
    const verifier = await createTestVerifier(ctx, { name: 'Loket Workers', allowedElements: ['nik', 'name', 'birthDate', 'photo'] });

    // Registration and the operator's approval (the lookup of the registrant's QR first), all through workerd.
    const reg = await registerResident(ctx);
    await approve(ctx, operator.token, reg.registrationId);

    // Activation with the link token and code from the e-mail the worker put in the outbox.
    const mail = await activationMail(ctx, reg.email);
    const pin = '258013';
    const activated = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: pin });
    expect(activated.status).toBe(200);
    const [account] = await database.db.select().from(accounts).where(eq(accounts.nik, reg.resident.nik));
    expect(account?.status).toBe('active');

    // PIN login with the device key (the worker verifies the Ed25519 signature and the scrypt PIN hash).
    const resident: ActiveResident = {
      accountId: account!.id,
      deviceId: '',
      ...reg.resident,
      email: reg.email,
      phone: '',
      pin,
      device: reg.device,
      ip: '198.51.100.7',
      accessToken: '',
    };
    resident.accessToken = await loginAs(ctx, resident);
    expect(resident.accessToken).not.toBe('');
    const wrongPin = await ctx.app.request('/v1/me/ktp/qr', jsonRequest('POST', { pin: '000000', format: 'none' }, residentAuth(resident.accessToken)));
    expect(wrongPin.status).toBe(401);
    expect(((await wrongPin.json()) as { code: string }).code).toBe('pin_invalid');

    // The KTP QR (an SVG is drawn too), redeemed once at the counter; a second scan is refused.
    const qr = await issueQr(ctx, resident, { elements: ['nik', 'name', 'birthDate', 'photo'], format: 'svg' });
    expect(qr.svg).toMatch(/^<svg/);
    const verified = await postVerify(ctx, verifier.apiKey, { token: qr.token, counter: 'Loket 1' });
    expect(verified.status).toBe(200);
    const body = (await verified.json()) as { resident: Record<string, unknown>; photo?: string };
    expect(body.resident).toMatchObject({ nik: reg.resident.nik, name: reg.resident.name });
    // sharp does not load on Workers: the counter photo is the PNG drawn in JS.
    expect(body, JSON.stringify(body).slice(0, 300)).toHaveProperty('photo');
    expect(body.photo).toMatch(/^data:image\/png;base64,/);
    const again = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(again.status).toBe(409);
    const [token] = await database.db.select().from(ktpTokens).where(eq(ktpTokens.accountId, account!.id));
    expect(token?.usedAt).not.toBeNull();

    // The holder's access history shows the counter's scan.
    const history = await ctx.app.request('/v1/me/access-history', { headers: residentAuth(resident.accessToken) });
    expect(history.status).toBe(200);
    const { items } = (await history.json()) as { items: Array<{ outcome: string; verifier: { name: string }; counter?: string }> };
    expect(items.some((i) => i.outcome === 'verified' && i.verifier.name === 'Loket Workers' && i.counter === 'Loket 1')).toBe(true);

    // The every-minute cron (wrangler dev --test-scheduled: GET /__scheduled) also rolls up the statistics: the mark,
    // absent before, stands ROLLUP_LAG_MS behind the clock afterwards.
    const mark = async () =>
      (await queryRows<{ at: string }>(database.db, sql`select value->>'at' as at from app_meta where key = ${ROLLUP_META_KEY}`))[0]?.at;
    expect(await mark()).toBeUndefined();
    const cron = await fetch(`${wrangler.base}/__scheduled?cron=${encodeURIComponent('* * * * *')}`);
    expect(cron.status).toBe(200);
    const behind = Date.now() - Date.parse((await mark()) ?? 'none');
    expect(behind).toBeGreaterThanOrEqual(ROLLUP_LAG_MS);
    expect(behind).toBeLessThan(ROLLUP_LAG_MS + 30_000);

    // A problem from the worker is the same problem+json as from Node.
    const unknown = await ctx.app.request('/v1/me', { headers: residentAuth('not-a-token') });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await database.db.select().from(outbox).where(eq(outbox.to, reg.email))).length).toBeGreaterThan(0);
  });
});

/** The database name the test database's client is connected to. */
function databaseName(database: Database): string {
  const options = (database as Database & { client?: { options?: { database?: string } } }).client?.options;
  if (!options?.database) throw new Error('the test database has no PostgreSQL client');
  return options.database;
}
