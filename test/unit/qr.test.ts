/** The KTP QR: a token is one alphanumeric segment, and the code is the one qrcode's own segmentation would draw. */
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { base45Encode } from '../../src/crypto/base45.js';
import { qrVersion, renderQrSvg } from '../../src/crypto/qr.js';

/** The dark modules of renderQrSvg's runs ("M x y.5hn", quiet zone 4), as a 0/1 matrix in row order. */
function modulesOfSvg(svg: string, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  const d = /<path stroke="#000" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)\.5h(\d+)/g)) {
    for (let i = 0; i < Number(n); i++) out[(Number(y) - 4) * size + Number(x) - 4 + i] = 1;
  }
  return out;
}

describe('renderQrSvg', () => {
  it('draws exactly the modules of qrcode given one alphanumeric segment, for random tokens of the real length', () => {
    // Automatic segmentation may split a rare token (a long digit run) into numeric + alphanumeric segments: another
    // valid code of the same text, so the reference is qrcode with the one segment renderQrSvg writes.
    for (let i = 0; i < 500; i++) {
      const token = base45Encode(randomBytes(115));
      const reference = QRCode.create([{ data: token, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });
      expect(reference.version).toBe(7);
      expect(qrVersion(token)).toBe(7);
      expect(modulesOfSvg(renderQrSvg(token), reference.modules.size)).toEqual(Uint8Array.from(reference.modules.data));
    }
  });

  it('still renders text outside the alphanumeric set (automatic segments)', () => {
    const text = 'r1.lower-case text: ä';
    const reference = QRCode.create(text, { errorCorrectionLevel: 'M' });
    expect(modulesOfSvg(renderQrSvg(text), reference.modules.size)).toEqual(Uint8Array.from(reference.modules.data));
  });
});
