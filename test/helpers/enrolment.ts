/**
 * Enrolment for tests, through the real HTTP routes: registry residents made to order, device keys (@noble/ed25519,
 * the resident client's library), registration, the registration QR, operator approval and the activation e-mail.
 */
import * as ed from '@noble/ed25519';
import { desc, eq } from 'drizzle-orm';
import { activations, outbox, registrations } from '../../src/db/schema/index.js';
import { registryResidents, type RegistryResidentRow } from '../../src/db/schema/registry.js';
import { composeNik } from '../../src/domain/enrolment/nik.js';
import { jsonRequest, type TestContext } from './context.js';
import { operatorAuth } from './operator.js';

export interface DeviceKey {
  publicKey: string;
  secretKey: Uint8Array;
}

export async function newDeviceKey(): Promise<DeviceKey> {
  const { secretKey, publicKey } = await ed.keygenAsync();
  return { secretKey, publicKey: Buffer.from(publicKey).toString('base64url') };
}

/** The API's device signature: Ed25519 over utf8("ikd-v1|" purpose "|" challengeId "|" nonce), base64url. */
export async function signChallenge(device: DeviceKey, purpose: string, challengeId: string, nonce: string): Promise<string> {
  const message = new TextEncoder().encode(`ikd-v1|${purpose}|${challengeId}|${nonce}`);
  return Buffer.from(await ed.signAsync(message, device.secretKey)).toString('base64url');
}

let serial = 100;

export interface TestResident {
  nik: string;
  name: string;
  birthDate: string;
}

/**
 * Inserts one registry resident (eligible unless overridden) with a NIK of valid structure (Pangkajene district,
 * serials 0100+ per file, apart from the demo residents' 9001+).
 */
export async function seedResident(ctx: TestContext, overrides: Partial<RegistryResidentRow> = {}): Promise<TestResident> {
  serial += 1;
  const birthDate = overrides.birthDate ?? '1990-05-17';
  const sex = overrides.sex ?? 'LAKI-LAKI';
  const nik = overrides.nik ?? composeNik('731004', birthDate, sex, serial);
  const row: RegistryResidentRow = {
    nik,
    kk: `731004010101${String(serial).padStart(4, '0')}`,
    name: `BUDI SANTOSO ${serial}`,
    birthPlace: 'PANGKAJENE',
    birthDate,
    sex,
    bloodType: 'O',
    street: 'JL. POROS PANGKEP NO. 1',
    rt: '001',
    rw: '002',
    village: 'TUMAMPUA',
    district: 'PANGKAJENE',
    regency: 'KABUPATEN PANGKAJENE DAN KEPULAUAN',
    province: 'SULAWESI SELATAN',
    provinceCode: '73',
    regencyCode: '7310',
    districtCode: '731004',
    religion: 'ISLAM',
    maritalStatus: 'KAWIN',
    occupation: 'PETANI',
    citizenship: 'WNI',
    ktpElRecorded: true,
    recordStatus: 'single',
    deceased: false,
    familyRelationship: 'KEPALA KELUARGA',
    familyOrder: 1,
    ...overrides,
  };
  await ctx.deps.db.insert(registryResidents).values(row);
  return { nik: row.nik, name: row.name, birthDate: row.birthDate };
}

let ipCounter = 0;
/** A distinct client IP per caller, so per-IP limits of one test never trip another's. */
export const testIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

export interface RegistrationBody {
  nik: string;
  name: string;
  birthDate: string;
  email: string;
  phone: string;
  devicePublicKey: string;
  selfie?: string;
}

export function registrationBody(resident: TestResident, device: DeviceKey, overrides: Partial<RegistrationBody> = {}): RegistrationBody {
  return {
    nik: resident.nik,
    name: resident.name,
    birthDate: resident.birthDate,
    email: `warga.${resident.nik.slice(-6)}@example.id`,
    phone: '0812-3456-7890',
    devicePublicKey: device.publicKey,
    ...overrides,
  };
}

export const postRegistration = (ctx: TestContext, body: unknown, headers: Record<string, string> = {}) =>
  ctx.app.request('/v1/registrations', jsonRequest('POST', body, { 'cf-connecting-ip': testIp(), ...headers }));

/** Registers an eligible resident: the registration id, the device and the e-mail used. */
export async function registerResident(ctx: TestContext, resident?: TestResident, overrides: Partial<RegistrationBody> = {}) {
  const who = resident ?? (await seedResident(ctx));
  const device = await newDeviceKey();
  const body = registrationBody(who, device, overrides);
  const res = await postRegistration(ctx, body);
  if (res.status !== 201) throw new Error(`registration failed in test helper: ${res.status} ${await res.text()}`);
  const { registrationId } = (await res.json()) as { registrationId: string };
  registrationDevices.set(registrationId, device);
  return { registrationId, device, resident: who, email: body.email };
}

export async function newChallenge(ctx: TestContext, purpose: 'login' | 'registration_qr' = 'registration_qr') {
  const res = await ctx.app.request('/v1/challenges', jsonRequest('POST', { purpose }));
  if (res.status !== 201) throw new Error(`challenge failed: ${res.status}`);
  return (await res.json()) as { challengeId: string; nonce: string; expiresAt: string };
}

/** POST /v1/registrations/{id}/qr signed by `device`; returns the raw response. */
export async function requestRegistrationQr(ctx: TestContext, registrationId: string, device: DeviceKey) {
  const challenge = await newChallenge(ctx);
  const signature = await signChallenge(device, 'registration_qr', challenge.challengeId, challenge.nonce);
  return ctx.app.request(`/v1/registrations/${registrationId}/qr`, jsonRequest('POST', { challengeId: challenge.challengeId, signature }));
}

export async function registrationQr(ctx: TestContext, registrationId: string, device: DeviceKey): Promise<string> {
  const res = await requestRegistrationQr(ctx, registrationId, device);
  if (res.status !== 200) throw new Error(`registration QR failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { qr: string }).qr;
}

export const counterApproval = {
  decision: 'approve',
  channel: 'counter',
  ktpElSighted: true,
  faceMatch: 'match',
  consentRecorded: true,
} as const;

/** The device of each registration made through registerResident, so an approval can scan its QR first. */
const registrationDevices = new Map<string, DeviceKey>();

/** POST /v1/operator/registrations/lookup with the registration's QR, as the operator behind `token`. */
export async function lookupAs(ctx: TestContext, token: string, registrationId: string, device?: DeviceKey) {
  const known = device ?? registrationDevices.get(registrationId);
  if (!known) throw new Error('lookupAs: no device known for this registration');
  const qr = await registrationQr(ctx, registrationId, known);
  return ctx.app.request('/v1/operator/registrations/lookup', jsonRequest('POST', { qr }, operatorAuth(token)));
}

/**
 * POST …/decision. An approval first looks the registration's QR up as the same operator (the rule: approval
 * only after that operator saw the registrant's device), when the helper knows the device and the registration
 * is still pending; pass `{ lookup: false }` to test the rule itself.
 */
export async function decide(ctx: TestContext, token: string, registrationId: string, body: unknown, options: { lookup?: boolean } = {}) {
  const approving = (body as { decision?: string } | null)?.decision === 'approve';
  if (approving && options.lookup !== false && registrationDevices.has(registrationId)) {
    const qr = await requestRegistrationQr(ctx, registrationId, registrationDevices.get(registrationId)!);
    if (qr.status === 200) {
      const { qr: code } = (await qr.json()) as { qr: string };
      await ctx.app.request('/v1/operator/registrations/lookup', jsonRequest('POST', { qr: code }, operatorAuth(token)));
    }
  }
  return ctx.app.request(`/v1/operator/registrations/${registrationId}/decision`, jsonRequest('POST', body, operatorAuth(token)));
}

export async function approve(ctx: TestContext, token: string, registrationId: string) {
  const res = await decide(ctx, token, registrationId, counterApproval);
  if (res.status !== 200) throw new Error(`approval failed: ${res.status} ${await res.text()}`);
}

export interface ActivationMail {
  token: string;
  code: string;
  link: string;
  text: string;
  html: string;
  subject: string;
}

/** The newest activation e-mail to `to`, and the link token and code read from its text part as a person would. */
export async function activationMail(ctx: TestContext, to: string): Promise<ActivationMail> {
  const rows = await ctx.deps.db.select().from(outbox).where(eq(outbox.to, to)).orderBy(desc(outbox.seq));
  const mail = rows.find((r) => r.template === 'activation' || r.template === 'activation_resent');
  if (!mail) throw new Error(`no activation e-mail to ${to}`);
  const link = /https?:\/\/\S+\/activate\?t=\S+/.exec(mail.text)?.[0];
  const codes = mail.text.match(/\b\d{6}\b/g) ?? [];
  if (!link || codes.length !== 1) throw new Error('activation e-mail without exactly one link and one 6-digit code');
  const token = decodeURIComponent(new URL(link).searchParams.get('t')!);
  return { token, code: codes[0]!, link, text: mail.text, html: mail.html, subject: mail.subject };
}

export const postActivation = (ctx: TestContext, body: unknown) => ctx.app.request('/v1/activations', jsonRequest('POST', body));

/** Register → approve at the counter → activate with `pin`: an active account. */
export async function enrolResident(ctx: TestContext, operatorToken: string, options: { resident?: TestResident; pin?: string; email?: string } = {}) {
  const reg = await registerResident(ctx, options.resident, options.email ? { email: options.email } : {});
  await approve(ctx, operatorToken, reg.registrationId);
  const mail = await activationMail(ctx, reg.email);
  const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: options.pin ?? '258013' });
  if (res.status !== 200) throw new Error(`activation failed: ${res.status} ${await res.text()}`);
  return { ...reg, mail };
}

export async function registrationRow(ctx: TestContext, registrationId: string) {
  const [row] = await ctx.deps.db.select().from(registrations).where(eq(registrations.id, registrationId));
  return row!;
}

export async function activationRows(ctx: TestContext, registrationId: string) {
  return ctx.deps.db.select().from(activations).where(eq(activations.registrationId, registrationId));
}
