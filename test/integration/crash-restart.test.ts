/**
 * Reliability: the process is killed (SIGKILL) between an approval and the delivery of its activation e-mail → after
 * the restart the outbox sends it, exactly once. The real service (`tsx src/node.ts`) runs as a child process against
 * a throwaway PostgreSQL, with a fake Resend that refuses until the kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinHasher } from '../../src/crypto/pin.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { totpCode } from '../../src/crypto/totp.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { outbox } from '../../src/db/schema/index.js';
import type { Database } from '../../src/db/types.js';
import { systemClock } from '../../src/deps.js';
import { createOperator } from '../../src/domain/operators/operators.js';
import { seedDemoResidents } from '../../src/registry/seeded.js';
import { findPostgresBin, freePort, startLocalPostgres, type LocalPostgres } from '../../scripts/lib/postgres-local.js';
import { counterApproval, newDeviceKey, registrationBody, signChallenge } from '../helpers/enrolment.js';
import { startFakeResend, type FakeResend } from './fake-resend.js';

const bin = findPostgresBin();
if (!bin && process.env.CI) throw new Error('CI needs PostgreSQL binaries for the fault tests (.ci/run installs postgresql)');
if (!bin) console.warn('test/integration/crash-restart: skipped — no PostgreSQL binaries (/usr/lib/postgresql/*/bin); CI runs it');

const PEPPER = 'crash-test-pepper-0123456789abcdef';
const root = new URL('../../', import.meta.url).pathname;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!bin)('crash between approval and delivery', () => {
  let pg: LocalPostgres;
  let database: Database;
  let fake: FakeResend;
  let dataDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  let output = '';

  const startService = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        DATABASE_URL: pg.url,
        IKD_DATA_DIR: dataDir,
        IKD_PIN_PEPPER: PEPPER,
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        RESEND_API_KEY: 're_test_crash',
        RESEND_BASE_URL: fake.baseUrl,
        LOG_LEVEL: 'info',
        // One process, so the SIGKILL below kills the whole service (cluster workers only follow their primary's death).
        IKD_WORKERS: '1',
      },
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const started = child;
    await waitFor('the service to answer /readyz', async () => {
      if (started.exitCode !== null) throw new Error(`the service exited (${started.exitCode}):\n${output}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    });
  };

  const api = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };

  beforeAll(async () => {
    pg = await startLocalPostgres({ bin: bin! });
    database = createPostgresDatabase(pg.url, { max: 2 });
    await applyMigrations(database);
    fake = await startFakeResend();
    dataDir = mkdtempSync(join(tmpdir(), 'ikd-crash-'));
    port = await freePort();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await fake?.close();
    pg?.destroy();
    await database?.close().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the activation e-mail after the restart, exactly once', async () => {
    const resident = (await seedDemoResidents(database.db)).find((r) => r.eligible)!;
    const operator = await createOperator(
      { db: database.db, clock: systemClock, passwords: createPinHasher(PEPPER), secrets: createSecretBox(PEPPER) },
      { username: 'crash.operator', name: 'Operator Uji', role: 'operator', officeCode: '7310', password: 'crash-test-password-long' },
    );

    fake.mode = 'down';
    await startService();
    const login = await api('/v1/operator/login', { username: 'crash.operator', password: 'crash-test-password-long', otp: await totpCode(operator.totpSecret, new Date()) });
    expect(login.status).toBe(200);
    const device = await newDeviceKey();
    const body = registrationBody(resident, device, { email: 'warga.crash@example.id' });
    const registration = await api('/v1/registrations', body);
    expect(registration.status).toBe(201);
    // Approval needs this operator's lookup of the registrant's QR first.
    const registrationId = String(registration.body!.registrationId);
    const challenge = await api('/v1/challenges', { purpose: 'registration_qr' });
    const qr = await api(`/v1/registrations/${registrationId}/qr`, {
      challengeId: challenge.body!.challengeId,
      signature: await signChallenge(device, 'registration_qr', String(challenge.body!.challengeId), String(challenge.body!.nonce)),
    });
    expect(qr.status).toBe(200);
    const lookup = await api('/v1/operator/registrations/lookup', { qr: qr.body!.qr }, { Authorization: `Bearer ${String(login.body!.token)}` });
    expect(lookup.status).toBe(200);
    const decision = await api(`/v1/operator/registrations/${String(registration.body!.registrationId)}/decision`, counterApproval, {
      Authorization: `Bearer ${String(login.body!.token)}`,
    });
    expect(decision.body).toEqual({ status: 'awaiting_activation' });

    // The worker tried, the provider refused, the retry is booked: now the process dies.
    const activationMail = and(eq(outbox.to, 'warga.crash@example.id'), eq(outbox.template, 'activation'));
    await waitFor('a refused delivery attempt', async () => {
      const [row] = await database.db.select().from(outbox).where(activationMail);
      return fake.attempts > 0 && row && row.attempts >= 1 && row.leaseUntil === null && row.status === 'pending';
    });
    const killed = child!;
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    killed.kill('SIGKILL');
    await exited;
    expect(fake.deliveries).toHaveLength(0);

    // The provider is back; a new process picks the message up from the outbox.
    fake.mode = 'up';
    await startService();
    await waitFor('the activation e-mail to be sent', async () => {
      const [row] = await database.db.select().from(outbox).where(activationMail);
      return row?.status === 'sent';
    });
    // One more poll round of the worker: still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.deliveredTo('warga.crash@example.id')).toHaveLength(1);
    expect(fake.deliveredTo('warga.crash@example.id')[0]!.text).toMatch(/\/activate\?t=/);
    const rows = await database.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(fake.deliveries).toHaveLength(rows.length);
  });
});
