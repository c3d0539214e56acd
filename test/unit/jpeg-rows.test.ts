/** Baseline JPEGs rewritten into one restart interval per MCU row, and joined: lossless, and read by libjpeg strictly. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { joinJpegRows, splitJpegRows } from '../../src/domain/credential/jpeg-rows.js';
import { renderPortrait } from '../../src/registry/portrait.js';

const portrait = renderPortrait('7310044107900001');
const strict = { failOn: 'truncated' } as const; // libjpeg's warnings (a bad restart marker, corrupt data) fail too

async function encode(width: number, height: number, chromaSubsampling: '4:2:0' | '4:4:4' = '4:2:0') {
  return sharp(portrait).resize(width, height, { fit: 'fill' }).jpeg({ quality: 82, optimiseCoding: false, chromaSubsampling }).toBuffer();
}

describe('jpeg rows', () => {
  it.each([
    [120, 160, '4:2:0'],
    [160, 80, '4:2:0'],
    [117, 93, '4:4:4'], // neither side whole MCUs
    [60, 80, '4:2:0'],
    [1000, 700, '4:2:0'], // more than 255 MCUs: long rows, and RST0–7 cycling over 44 rows
  ] as const)('%i×%i %s: split and joined again decodes to exactly the same pixels', async (w, h, sub) => {
    const jpeg = await encode(w, h, sub);
    const rows = splitJpegRows(jpeg);
    const mcu = sub === '4:2:0' ? 16 : 8;
    expect(rows.rows.length).toBe(Math.ceil(h / mcu));
    expect(rows.mcusPerRow).toBe(Math.ceil(w / mcu));
    const joined = joinJpegRows([rows]);
    // The joined file has a restart interval (DRI) and restart markers; the original has neither.
    expect(joined.includes(Buffer.from([0xff, 0xdd]))).toBe(true);
    expect(jpeg.includes(Buffer.from([0xff, 0xdd]))).toBe(false);
    const [a, b] = await Promise.all([sharp(jpeg).raw().toBuffer(), sharp(joined, strict).raw().toBuffer()]);
    expect(b.equals(a)).toBe(true);
  });

  it('lays two images of one width under one another: the top rows of one, then the other, pixel for pixel', async () => {
    const top = await sharp(portrait).resize(120, 160).jpeg({ quality: 82, optimiseCoding: false }).toBuffer();
    const bottom = await sharp({ create: { width: 120, height: 32, channels: 3, background: '#203040' } }).jpeg({ quality: 82, optimiseCoding: false }).toBuffer();
    const joined = joinJpegRows([splitJpegRows(top), splitJpegRows(bottom)]);
    const meta = await sharp(joined, strict).metadata();
    expect([meta.width, meta.height]).toEqual([120, 192]);
    const [j, t, b] = await Promise.all([joined, top, bottom].map((x) => sharp(x).raw().toBuffer()));
    // libjpeg's chroma upsampling blends the chroma rows either side of the seam, so the pixel rows next to it may
    // differ by a few levels; everything else is pixel for pixel.
    const row = 120 * 3;
    const seam = 4 * row;
    expect(j!.subarray(0, t!.length - seam).equals(t!.subarray(0, t!.length - seam))).toBe(true);
    expect(j!.subarray(t!.length + seam).equals(b!.subarray(seam))).toBe(true);
    let worst = 0;
    for (let k = t!.length - seam; k < t!.length + seam; k++) worst = Math.max(worst, Math.abs(j![k]! - (k < t!.length ? t![k]! : b![k - t!.length]!)));
    expect(worst).toBeLessThan(64);
  });

  it('refuses what it does not handle: progressive, already restarted, different tables, not a JPEG, cut short', async () => {
    const progressive = await sharp(portrait).jpeg({ progressive: true }).toBuffer();
    expect(() => splitJpegRows(progressive)).toThrow(/not baseline/);
    const once = joinJpegRows([splitJpegRows(await encode(120, 160))]);
    expect(() => splitJpegRows(once)).toThrow(/restart/);
    const q50 = await sharp(portrait).resize(120, 160).jpeg({ quality: 50, optimiseCoding: false }).toBuffer();
    const jpeg = await encode(120, 160);
    expect(() => joinJpegRows([splitJpegRows(jpeg), splitJpegRows(q50)])).toThrow(/differ/);
    const png = await sharp(portrait).png().toBuffer();
    expect(() => splitJpegRows(png)).toThrow(/not a JPEG/);
    expect(() => splitJpegRows(jpeg.subarray(0, jpeg.length - 400))).toThrow(/ends early|Huffman/);
  });
});
