/**
 * Active residents for tests: an account and its device key pair written straight into the database (a registry
 * demo resident from seedDemoResidents, the PIN hashed with deps.pins), then logged in through the real
 * POST /v1/challenges + POST /v1/auth/login. Also verifiers (API keys) and the KTP QR / verify calls.
 */
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto/secrets.js';
import type { KtpElement, TokenDocument } from '../../src/crypto/token-codec.js';
import { KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { accounts, devices, registrations } from '../../src/db/schema/index.js';
import { createVerifier } from '../../src/domain/verifiers/verifiers.js';
import { seedDemoResidents } from '../../src/registry/seeded.js';
import { jsonRequest, type TestContext } from './context.js';
import { newDeviceKey, seedResident, signChallenge, testIp, type DeviceKey, type TestResident } from './enrolment.js';

export const DEFAULT_TEST_PIN = '480731';

export interface ActiveResident {
  accountId: string;
  deviceId: string;
  nik: string;
  name: string;
  birthDate: string;
  email: string;
  phone: string;
  pin: string;
  device: DeviceKey;
  /** The client IP this resident's requests come from (per-IP limits stay per test). */
  ip: string;
  /** From the login in createActiveResident; '' with { login: false }. */
  accessToken: string;
}

const usedDemoNiks = new WeakMap<TestContext, Set<string>>();

/** The next eligible demo resident not yet given an account in this context; then made-to-order registry residents. */
async function nextResident(ctx: TestContext): Promise<TestResident> {
  const used = usedDemoNiks.get(ctx) ?? new Set<string>();
  usedDemoNiks.set(ctx, used);
  const demo = (await seedDemoResidents(ctx.deps.db)).find((r) => r.eligible && !used.has(r.nik));
  if (!demo) return seedResident(ctx);
  used.add(demo.nik);
  return { nik: demo.nik, name: demo.name, birthDate: demo.birthDate };
}

/** An active IKD account with one active device, as activation would leave it; logged in unless { login: false }. */
export async function createActiveResident(
  ctx: TestContext,
  options: { pin?: string; email?: string; phone?: string; resident?: TestResident; lang?: 'id' | 'en'; login?: boolean } = {},
): Promise<ActiveResident> {
  const who = options.resident ?? (await nextResident(ctx));
  const device = await newDeviceKey();
  const pin = options.pin ?? DEFAULT_TEST_PIN;
  const now = ctx.clock.now();
  const accountId = newId('acc');
  const deviceId = newId('dev');
  const registrationId = newId('reg');
  const email = options.email ?? `warga.${who.nik.slice(-6)}@example.id`;
  const phone = options.phone ?? '+6281234567890';
  const pinHash = await ctx.deps.pins.hash(pin);
  await ctx.deps.db.transaction(async (tx) => {
    await tx.insert(registrations).values({
      id: registrationId,
      nik: who.nik,
      name: who.name,
      birthDate: who.birthDate,
      email,
      phone,
      devicePublicKey: device.publicKey,
      kind: 'new',
      status: 'active',
      lang: options.lang ?? 'id',
      accountId,
      channel: 'counter',
      decidedAt: now,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 24 * 3600_000),
    });
    await tx.insert(accounts).values({ id: accountId, nik: who.nik, email, phone, status: 'active', pinHash, activatedAt: now, createdAt: now, updatedAt: now });
    await tx.insert(devices).values({ id: deviceId, accountId, publicKey: device.publicKey, registrationId, status: 'active', createdAt: now });
  });
  const resident: ActiveResident = { accountId, deviceId, ...who, email, phone, pin, device, ip: testIp(), accessToken: '' };
  if (options.login !== false) resident.accessToken = await loginAs(ctx, resident);
  return resident;
}

/** POST /v1/challenges (purpose login) from the resident's IP. */
export async function loginChallenge(ctx: TestContext, ip: string) {
  const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose: 'login' }, { 'cf-connecting-ip': ip }));
  if (res.status !== 201) throw new Error(`challenge failed in test helper: ${res.status}`);
  return (await res.json()) as { challengeId: string; nonce: string };
}

/** A fresh challenge signed by `device` (default the resident's own) and POST /v1/auth/login; the raw Response. */
export async function postLogin(
  ctx: TestContext,
  resident: Pick<ActiveResident, 'nik' | 'device' | 'ip'>,
  pin: string,
  options: { device?: DeviceKey; headers?: Record<string, string> } = {},
): Promise<Response> {
  const challenge = await loginChallenge(ctx, resident.ip);
  const signature = await signChallenge(options.device ?? resident.device, 'login', challenge.challengeId, challenge.nonce);
  return ctx.app.request(
    '/v1/auth/login',
    jsonRequest('POST', { nik: resident.nik, challengeId: challenge.challengeId, signature, pin }, { 'cf-connecting-ip': resident.ip, ...options.headers }),
  );
}

/** Logs in with the resident's PIN; the access token. */
export async function loginAs(ctx: TestContext, resident: Pick<ActiveResident, 'nik' | 'device' | 'ip' | 'pin'>): Promise<string> {
  const res = await postLogin(ctx, resident, resident.pin);
  if (res.status !== 200) throw new Error(`login failed in test helper: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export const residentAuth = (accessToken: string): Record<string, string> => ({ Authorization: `Bearer ${accessToken}` });

/** A request as the resident (their access token and IP). */
export const asResident = (ctx: TestContext, resident: ActiveResident, method: string, path: string, body?: unknown) =>
  ctx.app.request(path, jsonRequest(method, body, { ...residentAuth(resident.accessToken), 'cf-connecting-ip': resident.ip }));

export interface IssuedQr {
  token: string;
  expiresAt: string;
  ttlSeconds: number;
  svg?: string;
  png?: string;
}

/** POST /v1/me/ktp/qr with the resident's PIN (format none unless asked); fails the test on anything but 201. */
export async function issueQr(
  ctx: TestContext,
  resident: ActiveResident,
  body: { elements?: KtpElement[]; format?: 'svg' | 'png' | 'none'; pin?: string } = {},
): Promise<IssuedQr> {
  const res = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: resident.pin, format: 'none', ...body });
  if (res.status !== 201) throw new Error(`QR issuance failed in test helper: ${res.status} ${await res.text()}`);
  return (await res.json()) as IssuedQr;
}

export interface TestVerifier {
  id: string;
  name: string;
  apiKey: string;
  allowedElements: readonly KtpElement[];
}

let verifierCount = 0;

/** A verifier straight through the domain (the admin route has its own tests). */
export async function createTestVerifier(
  ctx: TestContext,
  options: { name?: string; allowedElements?: readonly KtpElement[]; allowedDocuments?: readonly TokenDocument[] } = {},
): Promise<TestVerifier> {
  verifierCount += 1;
  const name = options.name ?? `Loket Uji ${verifierCount}`;
  const allowedElements = options.allowedElements ?? KTP_ELEMENTS;
  const created = await createVerifier(ctx.deps, {
    name,
    allowedElements,
    allowedDocuments: options.allowedDocuments,
    actor: { actorType: 'system', actorId: 'test' },
  });
  return { ...created, name, allowedElements };
}

export const verifierAuth = (apiKey: string): Record<string, string> => ({ Authorization: `Bearer ${apiKey}` });

/** POST /v1/verify as the verifier; the raw Response. */
export const postVerify = (ctx: TestContext, apiKey: string, body: unknown) =>
  ctx.app.request('/v1/verify', jsonRequest('POST', body, verifierAuth(apiKey)));

/** The account row, for asserting states. */
export async function accountRow(ctx: TestContext, accountId: string) {
  const [row] = await ctx.deps.db.select().from(accounts).where(eq(accounts.id, accountId));
  return row!;
}
