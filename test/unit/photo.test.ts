/** The counter's photo: downsized, with the verifier's name and the time burned into the pixels. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { captionLayout, drawText, printable, stampedPhotoDataUrl, stampTime, wrapText } from '../../src/domain/credential/photo.js';

function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

const readDataUrl = (url: string) => {
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  return PNG.sync.read(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
};

const at = new Date('2026-11-23T08:00:12.345Z');

describe('stamped photo', () => {
  it('downsizes to at most 160 px, keeping the aspect ratio', () => {
    const portrait = readDataUrl(stampedPhotoDataUrl({ contentType: 'image/png', bytes: solidPng(480, 640, [90, 120, 200]) }, { verifierName: 'X', at })!);
    expect([portrait.width, portrait.height]).toEqual([120, 160]);
    const landscape = readDataUrl(stampedPhotoDataUrl({ contentType: 'image/png', bytes: solidPng(1000, 500, [90, 120, 200]) }, { verifierName: 'X', at })!);
    expect([landscape.width, landscape.height]).toEqual([160, 80]);
    const small = readDataUrl(stampedPhotoDataUrl({ contentType: 'image/png', bytes: solidPng(60, 80, [90, 120, 200]) }, { verifierName: 'X', at })!);
    expect([small.width, small.height]).toEqual([60, 80]); // never upscaled
  });

  it('burns the verifier name and the time into the bottom band, pixel for pixel', () => {
    const name = 'BPJS Kesehatan Pangkep';
    const out = readDataUrl(stampedPhotoDataUrl({ contentType: 'image/png', bytes: solidPng(120, 160, [100, 100, 100]) }, { verifierName: name, at })!);
    const caption = captionLayout(name, at, out.width, out.height);
    expect(caption.lines).toEqual(['BPJS KESEHATAN', 'PANGKEP', '2026-11-23 15:00 WIB']);
    // Draw the expected caption on an empty canvas and compare: text pixels white, the rest of the band dark.
    const expected = { width: out.width, height: out.height, data: Buffer.alloc(out.width * out.height * 4) };
    const lit = caption.lines.reduce((n, line, i) => n + drawText(expected, line, caption.x, caption.lineY(i)), 0);
    expect(lit).toBeGreaterThan(300);
    let white = 0;
    for (let y = caption.bandTop; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        const o = (y * out.width + x) * 4;
        if (expected.data[o] === 255) {
          expect(out.data[o]).toBe(255);
          white++;
        } else {
          expect(out.data[o]!).toBeLessThan(40); // 30 % of 100
        }
      }
    }
    expect(white).toBe(lit);
    // Above the band and outside the middle stripe the photo is untouched.
    expect(out.data[(10 * out.width + 10) * 4]).toBe(100);
  });

  it('uses the full local date and zone when it fits, and only characters the font has', () => {
    expect(stampTime(at, 26)).toBe('2026-11-23 15:00:12 WIB');
    expect(stampTime(at, 26, 'WITA')).toBe('2026-11-23 16:00:12 WITA');
    expect(stampTime(at, 20, 'WIT')).toBe('2026-11-23 17:00 WIT');
    expect(stampTime(at, 19, 'WITA')).toBe('26-11-23 16:00 WITA');
    expect(stampTime(at, 12)).toBe('15:00:12 WIB');
    expect(stampTime(at, 9)).toBe('15:00 WIB');
    expect(printable('Rumah Sakit Ümi & Co. <b>')).toBe('RUMAH SAKIT UMI & CO. ?B?');
    expect(wrapText('SAMSAT KABUPATEN PANGKAJENE DAN KEPULAUAN', 20, 2)).toEqual(['SAMSAT KABUPATEN', 'PANGKAJENE DAN']);
    expect(wrapText('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 20, 2)).toEqual(['ABCDEFGHIJKLMNOPQRST']);
  });

  it('gives no photo rather than an unmarked one when the image cannot be read', () => {
    expect(stampedPhotoDataUrl({ contentType: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff]) }, { verifierName: 'X', at })).toBeNull();
    expect(stampedPhotoDataUrl({ contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) }, { verifierName: 'X', at })).toBeNull();
  });
});
