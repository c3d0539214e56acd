/** base45 against the RFC 9285 examples, its strictness, and round trips of random bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE45_ALPHABET, base45Decode, base45Encode } from '../../src/crypto/base45.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);

describe('base45 (RFC 9285)', () => {
  it.each([
    ['AB', 'BB8'], // §4.3
    ['Hello!!', '%69 VD92EX0'], // §4.3
    ['base-45', 'UJCLQE7W581'], // §4.3
    ['ietf!', 'QED8WEX0'], // §4.4
  ])('encodes %j as %j and back', (plain, encoded) => {
    expect(base45Encode(utf8(plain))).toBe(encoded);
    expect(text(base45Decode(encoded))).toBe(plain);
  });

  it('encodes the edges of the value range', () => {
    expect(base45Encode(new Uint8Array([]))).toBe('');
    expect(base45Encode(new Uint8Array([0]))).toBe('00');
    expect(base45Encode(new Uint8Array([255]))).toBe('U5');
    expect(base45Encode(new Uint8Array([255, 255]))).toBe('FGW');
    expect(base45Decode('FGW')).toEqual(new Uint8Array([255, 255]));
  });

  it('refuses what RFC 9285 §6 calls invalid', () => {
    expect(base45Decode('GGW')).toBeNull(); // 65536 does not fit two bytes
    expect(base45Decode(':::')).toBeNull();
    expect(base45Decode('V5')).toBeNull(); // 256 does not fit one byte
    expect(base45Decode('A')).toBeNull(); // length 3k+1
    expect(base45Decode('BB8A')).toBeNull();
    expect(base45Decode('bb8')).toBeNull(); // lower case is not in the alphabet
    expect(base45Decode('BB#')).toBeNull();
    expect(base45Decode('BB\u00e9')).toBeNull();
    expect(base45Decode('BB8\n')).toBeNull();
  });

  it('round-trips any bytes, and decodes only alphabet strings of valid length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = base45Encode(bytes);
        expect([...encoded].every((c) => BASE45_ALPHABET.includes(c))).toBe(true);
        expect(base45Decode(encoded)).toEqual(bytes);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const decoded = base45Decode(s);
        if (decoded) expect(base45Encode(decoded)).toBe(s); // accepted strings are canonical
      }),
    );
  });
});
