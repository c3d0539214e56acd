/**
 * Secrets the service must read back (operators' TOTP secrets), sealed at rest with AES-256-GCM under a dedicated
 * data-encryption key. The key is derived with HKDF-SHA256 from the PIN pepper under its own label: it lives
 * outside the database like the pepper, never rotates with the key ring (keys:rotate leaves it alone), and needs
 * no new configuration. WebCrypto only, so the Workers entry seals and opens the same way. See docs/keys.md.
 */
import { fromBase64Url, toBase64Url } from './encoding.js';

/** Prefix of a sealed value: version 1 (HKDF label v1, 12-byte IV, 16-byte tag). A base32 TOTP secret never starts so. */
export const SEALED_PREFIX = 'enc1:';
const HKDF_INFO = 'ikd/secret-box/v1';

export interface SecretBox {
  /** Seals `plain`; `context` (e.g. the operator id) is bound as associated data, so a sealed value cannot be moved to another row. */
  seal(plain: string, context: string): Promise<string>;
  /** Opens a sealed value; throws when it was tampered with, sealed for another context or under another key. */
  open(sealed: string, context: string): Promise<string>;
}

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

export function createSecretBox(pepper: string): SecretBox {
  const encoder = new TextEncoder();
  const key = (async () => {
    const material = await crypto.subtle.importKey('raw', encoder.encode(pepper), 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('ikd-secret-box'), info: encoder.encode(HKDF_INFO) },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  })();
  return {
    async seal(plain, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, await key, encoder.encode(plain)),
      );
      const out = new Uint8Array(iv.length + sealed.length);
      out.set(iv);
      out.set(sealed, iv.length);
      return SEALED_PREFIX + toBase64Url(out);
    },
    async open(stored, context) {
      if (!isSealed(stored)) throw new Error('not a sealed value');
      const bytes = fromBase64Url(stored.slice(SEALED_PREFIX.length));
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encoder.encode(context) },
        await key,
        bytes.slice(12),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
