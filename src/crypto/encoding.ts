/** base64url helpers shared by the crypto modules (no padding, as in JOSE). */
import { Buffer } from 'node:buffer';

export const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
