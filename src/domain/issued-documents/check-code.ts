/**
 * The short check code printed on an issued document and typed at /cek/{code}: 10 Crockford base32 characters.
 *
 * Why 10 characters (50 bits): the code is the only key to the public check, so guessing one must be hopeless.
 * With a million documents issued, a random guess hits one with probability 10^6 / 2^50 ≈ 1 in 10^9; the public
 * route is rate-limited per IP, so even a botnet gets nowhere, and a hit reveals only a partly masked name. Crockford
 * base32 has no I, L, O or U, so a code read aloud or copied by hand survives (I/L read as 1, O as 0), and 10
 * characters printed as XXXXX-XXXXX are still easy to type on a phone.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECK_CODE_LENGTH = 10;
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{10}$/;

export function newCheckCode(): string {
  let code = '';
  for (let i = 0; i < CHECK_CODE_LENGTH; i++) code += ALPHABET[randomInt(32)];
  return code;
}

/** "ABCDE-FGHJK": how the code is printed. */
export const formatCheckCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What a person typed → the stored code, or null when it cannot be one (lower case, hyphens, spaces, I/L/O allowed). */
export function normalizeCheckCode(input: string): string | null {
  if (input.length > 40) return null;
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return CANONICAL.test(code) ? code : null;
}
