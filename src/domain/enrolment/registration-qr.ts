/** The registration QR (SOP step 3): a 5-minute code, signed by the service, that the operator scans at the counter. */
import QRCode from 'qrcode';
import { fromBase64Url, toBase64Url } from '../../crypto/encoding.js';
import type { KeyRing } from '../../crypto/keyring.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { consumeSignedChallenge } from './challenges.js';
import { findRegistration } from './registration.js';

export const REGISTRATION_QR_TTL_MS = 5 * 60_000;

/**
 * Layout (text, QR byte mode): "R1." registrationId "." expiry (unix seconds, base36) "." kid "." signature,
 * the signature being Ed25519 over utf8("ikd-registration-qr-v1|" id "|" expiry "|" kid), base64url.
 * The "R1." marker keeps it apart from a KTP token (base45 of bytes starting 0x01), which is refused here.
 */
const FORMAT = /^R1\.(reg_[A-Za-z0-9_-]{16})\.([0-9a-z]{1,11})\.([0-9a-f]{8})\.([A-Za-z0-9_-]{86})$/;

const signedPart = (registrationId: string, exp: string, kid: string) =>
  new TextEncoder().encode(`ikd-registration-qr-v1|${registrationId}|${exp}|${kid}`);

export function encodeRegistrationQr(keys: KeyRing, registrationId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000).toString(36);
  const kid = keys.currentKid;
  const { signature } = keys.sign(signedPart(registrationId, exp, kid));
  return `R1.${registrationId}.${exp}.${kid}.${toBase64Url(signature)}`;
}

export type RegistrationQrCheck =
  | { ok: true; registrationId: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Strict: anything but a well-formed, validly signed, unexpired code is refused; the signature is judged first. */
export function decodeRegistrationQr(keys: KeyRing, qr: string, now: Date): RegistrationQrCheck {
  const m = FORMAT.exec(qr.trim());
  if (!m) return { ok: false, reason: 'invalid' };
  const [, registrationId, exp, kid, signature] = m as unknown as [string, string, string, string, string];
  if (!keys.verify(kid, signedPart(registrationId, exp, kid), fromBase64Url(signature))) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(parseInt(exp, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, registrationId, expiresAt };
}

/**
 * POST /v1/registrations/{id}/qr: the registrant's phone proves it holds the registered device key (a signed,
 * single-use challenge), and gets a fresh QR for the operator.
 */
export async function issueRegistrationQr(deps: Deps, input: { registrationId: string; challengeId: string; signature: string }) {
  const now = deps.clock.now();
  const registration = await signedPendingRegistration(deps, input, now);

  const expiresAt = new Date(Math.min(now.getTime() + REGISTRATION_QR_TTL_MS, registration.expiresAt.getTime()));
  const qr = encodeRegistrationQr(deps.keys, registration.id, expiresAt);
  const svg = await QRCode.toString(qr, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { qr, svg, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString() };
}

/**
 * The registration, once its registrant's device signed a single-use `registration_qr` challenge and it still waits
 * for an operator: 404 not_found, 401 signature_invalid, 409 registration_not_pending. Shared by the QR and the
 * video-call routes.
 */
export async function signedPendingRegistration(deps: Deps, input: { registrationId: string; challengeId: string; signature: string }, now: Date) {
  const registration = await findRegistration(deps, input.registrationId, now);
  if (!registration) throw new AppError('not_found');
  const signed = await consumeSignedChallenge(deps.db, {
    challengeId: input.challengeId,
    purpose: 'registration_qr',
    signature: input.signature,
    devicePublicKey: registration.devicePublicKey,
    now,
  });
  if (!signed) throw new AppError('signature_invalid');
  if (registration.status !== 'pending_verification') throw new AppError('registration_not_pending');
  return registration;
}
