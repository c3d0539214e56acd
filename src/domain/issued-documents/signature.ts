/**
 * What the service signs for an issued document: the PDF's SHA-256 and the issuing data, as one canonical byte
 * string, under the key ring's current Ed25519 key. A check recomputes the string from the stored row, so a row
 * whose PDF, hash, number, holder or office was changed afterwards no longer verifies.
 */
import type { KeyRing } from '../../crypto/keyring.js';
import { fromBase64Url, toBase64Url } from '../../crypto/encoding.js';

export interface IssuingData {
  id: string;
  checkCode: string;
  type: string;
  number: string;
  nik: string;
  holderName: string;
  officeCode: string;
  issuedAt: Date;
  serviceRequestId: string | null;
  sha256: string;
}

const CONTEXT = 'IKD issued document v1\n';

/** The signed bytes: a context line, then a JSON array in a fixed order (no key-order ambiguity). */
export function signedBytes(d: IssuingData): Uint8Array {
  const body = JSON.stringify([
    d.id,
    d.checkCode,
    d.type,
    d.number,
    d.nik,
    d.holderName,
    d.officeCode,
    d.issuedAt.toISOString(),
    d.serviceRequestId,
    d.sha256,
  ]);
  return new TextEncoder().encode(CONTEXT + body);
}

export function signIssuingData(keys: KeyRing, d: IssuingData): { kid: string; signature: string } {
  const { kid, signature } = keys.sign(signedBytes(d));
  return { kid, signature: toBase64Url(signature) };
}

/** True when the signature verifies under that kid of the ring (the current key or a rotated-out one still kept). */
export function verifyIssuingData(keys: KeyRing, d: IssuingData, kid: string, signature: string): boolean {
  let sig: Uint8Array;
  try {
    sig = fromBase64Url(signature);
  } catch {
    return false;
  }
  return keys.verify(kid, signedBytes(d), sig);
}
