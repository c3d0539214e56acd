import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { PORTRAIT_HEIGHT, PORTRAIT_WIDTH, renderPortrait } from '../../src/registry/portrait.js';

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
const pixel = (png: PNG, x: number, y: number) => {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!] as const;
};

describe('renderPortrait', () => {
  it('is a valid 120×160 PNG', () => {
    const bytes = renderPortrait('7310041207859001', { sex: 'LAKI-LAKI', birthYear: 1985 });
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = decode(bytes);
    expect(png.width).toBe(PORTRAIT_WIDTH);
    expect(png.height).toBe(PORTRAIT_HEIGHT);
    expect(bytes.length).toBeLessThan(12_000);
  });

  it('is deterministic: the same seed and options give the same bytes', () => {
    const a = renderPortrait('5108064302949001', { sex: 'PEREMPUAN', birthYear: 1994 });
    const b = renderPortrait('5108064302949001', { sex: 'PEREMPUAN', birthYear: 1994 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('varies with the seed', () => {
    const images = new Set<string>();
    for (let i = 0; i < 20; i++) images.add(Buffer.from(renderPortrait(`73100412078590${String(i).padStart(2, '0')}`, { sex: 'LAKI-LAKI', birthYear: 1985 })).toString('base64'));
    expect(images.size).toBe(20);
  });

  it('has a red background for odd birth years and a blue one for even years', () => {
    const corner = (year: number) => pixel(decode(renderPortrait('7372032511799001', { birthYear: year })), 2, 2);
    const [r1, g1, b1] = corner(1979);
    expect(r1).toBeGreaterThan(150);
    expect(r1).toBeGreaterThan(b1 + 80);
    expect(r1).toBeGreaterThan(g1 + 80);
    const [r2, , b2] = corner(1980);
    expect(b2).toBeGreaterThan(r2 + 80);
  });

  it('draws a face: the centre differs from the background and the eyes have dark irises', () => {
    const png = decode(renderPortrait('7310044901909001', { sex: 'PEREMPUAN', birthYear: 1990, headscarf: true }));
    const bg = pixel(png, 2, 2);
    const centre = pixel(png, 60, 75);
    expect(centre).not.toEqual(bg);
    // Some pixel in the eye band is much darker than the skin around it.
    let darkest = 255 * 3;
    for (let x = 40; x < 80; x++) {
      for (let y = 64; y < 80; y++) {
        const [r, g, b] = pixel(png, x, y);
        darkest = Math.min(darkest, r + g + b);
      }
    }
    expect(darkest).toBeLessThan(200);
  });
});
