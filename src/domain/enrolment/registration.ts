/** Registration (SOP step 2): format checks, the registry's eligibility rules, and the pending registration it creates. */
import { and, eq, lte, ne } from 'drizzle-orm';
import { isDevicePublicKey } from '../../crypto/device.js';
import { newId, sha256Hex } from '../../crypto/secrets.js';
import { accounts, registrations } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError, type FieldError } from '../../errors.js';
import type { RegistryResident } from '../../registry/port.js';
import type { EmailLang } from '../../email/templates.js';
import { parseNik } from './nik.js';
import { enforceRateLimits } from '../limits/rate-limit.js';
import { openVideoCall } from './registrant-video-call.js';

export const REGISTRATION_TTL_MS = 7 * 24 * 3600_000;
export const MAX_SELFIE_BYTES = 300 * 1024;
/**
 * Per client IP, and per (NIK, client IP) for registrations the registry refuses: a stranger's junk with a
 * victim's NIK never blocks the holder's own (matching) registration. The NIK is keyed by its hash.
 */
export const REGISTRATION_LIMITS = {
  perIp: { limit: 60, windowSeconds: 3600 },
  perNik: { limit: 10, windowSeconds: 3600 },
} as const;

export type RegistrationStatus = 'pending_verification' | 'awaiting_activation' | 'active' | 'rejected' | 'expired';

/** Why the registry refused a registration: kept for operators, never told to the caller. */
export type RegistryRejection =
  | 'not_in_registry'
  | 'data_mismatch'
  | 'deceased'
  | 'duplicate_record'
  | 'under_17_unmarried'
  | 'no_ktp_el';

export interface RegistrationInput {
  nik: string;
  name: string;
  birthDate: string;
  email: string;
  phone: string;
  devicePublicKey: string;
  selfie?: string;
  ip: string;
  lang: EmailLang;
}

// ---------- format checks (pure) ----------

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const isEmailAddress = (value: string): boolean => value.length <= 254 && EMAIL.test(value);

/** An Indonesian mobile number in +62/62/0 form, separators allowed → "+628…", or null. */
export function normaliseMobilePhone(value: string): string | null {
  const compact = value.replace(/[\s().-]/g, '');
  const national = /^\+62/.test(compact) ? compact.slice(3) : /^62/.test(compact) ? compact.slice(2) : /^0/.test(compact) ? compact.slice(1) : null;
  // Mobile numbers are 08xx-xxxx-xxx(x)…: "8", a non-zero operator digit, then 7–10 more digits.
  if (national === null || !/^8[1-9][0-9]{7,10}$/.test(national)) return null;
  return `+62${national}`;
}

export function isCalendarDateString(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export type SelfieCheck = { ok: true; bytes: Uint8Array; type: 'image/jpeg' | 'image/png' } | { ok: false; message: string };

/** A data URL whose bytes really are a JPEG or PNG (magic bytes, not the declared type) of at most 300 KB. */
export function parseSelfie(dataUrl: string): SelfieCheck {
  const m = /^data:(image\/(?:jpeg|jpg|png));base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (!m) return { ok: false, message: 'must be a base64 data URL of a JPEG or PNG image' };
  const declared = m[1] === 'image/png' ? 'image/png' : 'image/jpeg';
  const base64 = m[2]!;
  if (Math.floor((base64.length * 3) / 4) > MAX_SELFIE_BYTES + 2) return { ok: false, message: 'must be at most 300 KB' };
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.length > MAX_SELFIE_BYTES) return { ok: false, message: 'must be at most 300 KB' };
  const actual = imageTypeOf(bytes);
  if (!actual || actual !== declared) return { ok: false, message: 'is not a JPEG or PNG image' };
  return { ok: true, bytes, type: actual };
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageTypeOf(bytes: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

/** All field problems at once, so the app can mark every wrong field; throws 400 invalid_request. */
function checkFormat(input: RegistrationInput, now: Date) {
  const errors: FieldError[] = [];
  const nik = parseNik(input.nik, now);
  if (!nik.ok) errors.push({ path: 'nik', message: `not a valid NIK (${nik.reason})` });
  if (normaliseName(input.name).length === 0) errors.push({ path: 'name', message: 'required' });
  if (!isCalendarDateString(input.birthDate)) errors.push({ path: 'birthDate', message: 'must be a date YYYY-MM-DD' });
  if (!isEmailAddress(input.email)) errors.push({ path: 'email', message: 'not a valid e-mail address' });
  const phone = normaliseMobilePhone(input.phone);
  if (!phone) errors.push({ path: 'phone', message: 'not an Indonesian mobile number (+62 8…, 62 8… or 08…)' });
  if (!isDevicePublicKey(input.devicePublicKey)) {
    errors.push({ path: 'devicePublicKey', message: 'must be a raw 32-byte Ed25519 public key, base64url' });
  }
  let selfie: { bytes: Uint8Array; type: string } | null = null;
  if (input.selfie !== undefined) {
    const checked = parseSelfie(input.selfie);
    if (checked.ok) selfie = checked;
    else errors.push({ path: 'selfie', message: checked.message });
  }
  if (errors.length > 0 || !phone) throw new AppError('invalid_request', { errors });
  return { phone, selfie };
}

// ---------- registry eligibility (pure) ----------

/** Names compare without case and extra spaces: "  siti  AMINAH" is "SITI AMINAH". */
export const normaliseName = (name: string): string => name.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();

/** Whole years between a YYYY-MM-DD birth date and a YYYY-MM-DD day. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Today in Indonesia (WIB, UTC+7): a birthday starts at local midnight. */
export const jakartaDay = (now: Date): string => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/** The registry's verdict on a registrant: null when eligible (SOP: 17+ or married, KTP-el recorded). */
export function registryRejection(
  resident: RegistryResident | null,
  claimed: { name: string; birthDate: string },
  today: string,
): RegistryRejection | null {
  if (!resident) return 'not_in_registry';
  if (normaliseName(resident.name) !== normaliseName(claimed.name) || resident.birthDate !== claimed.birthDate) return 'data_mismatch';
  // Same order and names as the registry's own ineligibilityReason, so operators and dev-credentials agree.
  if (resident.deceased) return 'deceased';
  if (resident.recordStatus !== 'single') return 'duplicate_record';
  // "Ever married": KAWIN, CERAI HIDUP and CERAI MATI all count; only BELUM KAWIN does not.
  if (ageOn(resident.birthDate, today) < 17 && resident.maritalStatus === 'BELUM KAWIN') return 'under_17_unmarried';
  if (!resident.ktpElRecorded) return 'no_ktp_el';
  return null;
}

// ---------- the use case ----------

/**
 * POST /v1/registrations. Known and unknown NIKs do the same work (registry read, account read, one insert),
 * and every refusal is the same 422, so the answer tells nobody whether a NIK exists or why it was refused.
 */
export async function registerResident(deps: Deps, input: RegistrationInput) {
  const { db, clock, registry, logger } = deps;
  const now = clock.now();
  await enforceRateLimits(db, [{ key: `registration:ip:${input.ip}`, ...REGISTRATION_LIMITS.perIp }], now);
  const { phone, selfie } = checkFormat(input, now);

  const resident = await registry.findResident(input.nik);
  const rejection = registryRejection(resident, input, jakartaDay(now));
  if (rejection) {
    const key = `registration:nik:${sha256Hex(input.nik).slice(0, 32)}:ip:${input.ip}`;
    await enforceRateLimits(db, [{ key, ...REGISTRATION_LIMITS.perNik }], now);
  }
  // An IKD that is still live (active or suspended) makes this a request to move it to this device.
  const [liveAccount] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.nik, input.nik), ne(accounts.status, 'deleted')))
    .limit(1);

  const row = {
    id: newId('reg'),
    nik: input.nik,
    name: input.name.trim().replace(/\s+/g, ' '),
    birthDate: input.birthDate,
    email: input.email.trim(),
    phone,
    devicePublicKey: input.devicePublicKey,
    selfie: selfie?.bytes ?? null,
    selfieType: selfie?.type ?? null,
    kind: liveAccount ? ('device_replacement' as const) : ('new' as const),
    status: rejection ? ('rejected' as const) : ('pending_verification' as const),
    rejectionReason: rejection ? `registry:${rejection}` : null,
    decidedBy: rejection ? 'system:registry' : null,
    decidedAt: rejection ? now : null,
    lang: input.lang,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REGISTRATION_TTL_MS),
  };
  await db.insert(registrations).values(row);

  if (rejection) {
    logger.info('registration refused by the registry', { registrationId: row.id, reason: rejection });
    throw new AppError('registration_rejected');
  }
  logger.info('registration received', { registrationId: row.id, kind: row.kind });
  return { registrationId: row.id, status: 'pending_verification' as const, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Marks a pending registration expired once its 7 days are over (one conditional UPDATE, idempotent), so every
 * reader — status poll, QR, operator lookup, decision — sees the same state.
 */
export async function expireIfDue(deps: Pick<Deps, 'db'>, registrationId: string, now: Date): Promise<void> {
  await deps.db
    .update(registrations)
    .set({ status: 'expired' })
    .where(and(eq(registrations.id, registrationId), eq(registrations.status, 'pending_verification'), lte(registrations.expiresAt, now)));
}

/** Loads a registration with its expiry applied; null when there is none. */
export async function findRegistration(deps: Pick<Deps, 'db'>, registrationId: string, now: Date) {
  await expireIfDue(deps, registrationId, now);
  const [row] = await deps.db.select().from(registrations).where(eq(registrations.id, registrationId)).limit(1);
  return row ?? null;
}

/** A registry refusal is stored as "registry:<reason>" and decided by "system:registry"; anything else is an operator's. */
const isOperatorRejection = (row: { decidedBy: string | null; rejectionReason: string | null }) =>
  row.rejectionReason !== null && row.decidedBy !== null && !row.decidedBy.startsWith('system:');

/**
 * GET /v1/registrations/{id}: the status; `videoCallOpen: true` while an operator's video call for it is open (the
 * room and phrase themselves only through the signed POST /v1/registrations/{id}/video-call); and, once an operator
 * rejected it, the operator's reason (the same words the registrant was e-mailed). A registry refusal's reason is
 * never told: it would say whether a NIK exists.
 */
export async function registrationStatus(
  deps: Deps,
  registrationId: string,
): Promise<{ status: RegistrationStatus; videoCallOpen?: true; rejectionReason?: string }> {
  const now = deps.clock.now();
  const row = await findRegistration(deps, registrationId, now);
  if (!row) throw new AppError('not_found');
  if (row.status === 'pending_verification' && (await openVideoCall(deps.db, row.id, now))) return { status: row.status, videoCallOpen: true };
  if (row.status === 'rejected' && isOperatorRejection(row)) return { status: row.status, rejectionReason: row.rejectionReason! };
  return { status: row.status };
}
