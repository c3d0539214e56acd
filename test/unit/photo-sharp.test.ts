/** The counter photo on Node (sharp/libvips): prepared once per holder and cached, a real-font caption below it, JPEG. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ByteBoundedLru } from '../../src/domain/credential/lru.js';
import { captionLayout, cleanText, createSharpCounterPhotos, escapeXml, wrapByWidth } from '../../src/domain/credential/photo-sharp.js';
import type { Photo } from '../../src/registry/port.js';
import { renderPortrait } from '../../src/registry/portrait.js';

const at = new Date('2026-11-23T08:00:12.345Z');

async function solid(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Photo> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 100, g: 100, b: 100 } } });
  const bytes = new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
  return { contentType: format === 'png' ? 'image/png' : 'image/jpeg', bytes };
}

async function decode(url: string | null) {
  expect(url).not.toBeNull();
  expect(url!.startsWith('data:image/jpeg;base64,')).toBe(true);
  const bytes = Buffer.from(url!.slice('data:image/jpeg;base64,'.length), 'base64');
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const meta = await sharp(bytes).metadata();
  return { format: meta.format, width: info.width, height: info.height, channels: info.channels, data };
}

/** Mean luminance of rows [y0, y1) — the caption band is dark with white text, the photo grey 100. */
function rowsStats(img: { width: number; channels: number; data: Buffer }, y0: number, y1: number) {
  let sum = 0, bright = 0, n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[(y * img.width + x) * img.channels]!;
      sum += v;
      if (v > 200) bright++;
      n++;
    }
  }
  return { mean: sum / n, bright };
}

describe('sharp counter photo', () => {
  it('returns a JPEG that sharp decodes, downsized to at most 160 px and never upscaled', async () => {
    const photos = createSharpCounterPhotos();
    const stamp = { verifierName: 'RS Umum Daerah Pangkep', at };
    // The photo, then one 16-px caption band per line: two name lines and the time (a one-line name: two bands).
    const portrait = await decode(await photos.stamped('a', async () => solid(480, 640), stamp));
    expect([portrait.format, portrait.width, portrait.height]).toEqual(['jpeg', 120, 160 + 3 * 16]);
    const landscape = await decode(await photos.stamped('b', async () => solid(1000, 500, 'jpeg'), stamp));
    expect([landscape.width, landscape.height]).toEqual([160, 80 + 2 * 16]);
    const small = await decode(await photos.stamped('c', async () => solid(60, 80), stamp));
    // Narrow: the name wraps to two lines at 8 px.
    expect(captionLayout(stamp.verifierName, at, 60, 80).nameLines).toHaveLength(2);
    expect([small.width, small.height]).toEqual([60, 80 + 3 * 16]);
    // A height that is not whole 16-px rows is padded with white under the photo (never cropped): 100 → 112.
    const odd = await decode(await photos.stamped('e', async () => solid(75, 100), stamp));
    expect([odd.width, odd.height]).toEqual([75, captionLayout(stamp.verifierName, at, 75, 100).height]);
    expect(captionLayout(stamp.verifierName, at, 75, 100).captionTop).toBe(112);
    expect(rowsStats(odd, 101, 112).mean).toBeGreaterThan(240);
    // The synthetic KTP-el portrait (PNG 120×160) as the registry hands it over.
    const real = await decode(await photos.stamped('d', async () => ({ contentType: 'image/png', bytes: renderPortrait('7310044107900001') }), stamp));
    expect([real.width, real.height]).toEqual([120, 160 + 3 * 16]);
  });

  it('burns the caption in under the face: a dark band per line with white text, the photo untouched', async () => {
    const photos = createSharpCounterPhotos();
    const img = await decode(await photos.stamped('a', async () => solid(120, 160), { verifierName: 'BPJS Kesehatan Pangkep', at }));
    const layout = captionLayout('BPJS Kesehatan Pangkep', at, 120, 160);
    expect(layout.nameLines).toEqual(['BPJS Kesehatan', 'Pangkep']);
    expect(layout.time).toBe('2026-11-23 15:00 WIB');
    expect([layout.captionTop, layout.height]).toEqual([160, 208]);
    for (let line = 0; line < 3; line++) {
      const band = rowsStats(img, 160 + line * 16, 176 + line * 16);
      expect(band.mean).toBeLessThan(80); // the dark band plus the text
      expect(band.bright).toBeGreaterThan(15); // white glyph pixels (the shortest line, "Pangkep", has ~30)
    }
    // The photo's own rows are what libvips encodes of them: grey 100 everywhere, no text over the face.
    const photo = rowsStats(img, 0, 160);
    expect(Math.abs(photo.mean - 100)).toBeLessThan(3);
    expect(photo.bright).toBe(0);
  });

  it('is one ordinary JPEG: a strict decoder reads it, and the caption is what sharp renders of the same SVG', async () => {
    const photos = createSharpCounterPhotos();
    const url = await photos.stamped('a', async () => ({ contentType: 'image/png', bytes: renderPortrait('7310044107900001') }), { verifierName: 'Bank Sulselbar', at });
    const bytes = Buffer.from(url!.slice('data:image/jpeg;base64,'.length), 'base64');
    // failOn 'truncated' fails on libjpeg's warnings too, e.g. a restart marker out of sequence.
    const meta = await sharp(bytes, { failOn: 'truncated' }).metadata();
    expect([meta.format, meta.width, meta.height, meta.isProgressive]).toEqual(['jpeg', 120, 192, false]);
    await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer();
    // Another verifier changes only the caption's rows, never the photo's.
    const other = Buffer.from((await photos.stamped('a', async () => null, { verifierName: 'BPJS Kesehatan', at }))!.split(',')[1]!, 'base64');
    const [a, b] = await Promise.all([bytes, other].map((x) => sharp(x).raw().toBuffer()));
    const photoBytes = 120 * 160 * 3;
    expect(a!.subarray(0, photoBytes).equals(b!.subarray(0, photoBytes))).toBe(true);
    expect(a!.subarray(photoBytes).equals(b!.subarray(photoBytes))).toBe(false);
  });

  it('renders any Unicode name and XML specials without error', async () => {
    const photos = createSharpCounterPhotos();
    for (const verifierName of ['<&>"\' ]]> <!--', 'Rumah Sakit Ümi & Łódź "東京" — Δ Ж ع 한', '\u0000bad\ud800 name\u0007', '']) {
      const img = await decode(await photos.stamped('x', async () => solid(120, 160), { verifierName, at }));
      expect(img.width).toBe(120);
      expect([176, 192, 208]).toContain(img.height); // the time, and up to two lines of name
    }
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(cleanText('a\u0000b\ud800c\u0007  d')).toBe('a b c d');
  });

  it('downsizes once per holder: the second verification reads no registry photo and does no resize', async () => {
    const photos = createSharpCounterPhotos();
    let loads = 0;
    const load = async () => {
      loads++;
      return solid(480, 640);
    };
    await photos.stamped('7310040101900001', load, { verifierName: 'Bank A', at });
    expect(photos.stats()).toMatchObject({ hits: 0, resizes: 1, cachedHolders: 1 });
    // Another verifier, another second: same cached photo, a new caption.
    const second = await decode(await photos.stamped('7310040101900001', load, { verifierName: 'Bank B', at: new Date(at.getTime() + 5000) }));
    expect(second.width).toBe(120);
    expect(loads).toBe(1);
    expect(photos.stats()).toMatchObject({ hits: 1, resizes: 1, cachedHolders: 1 });
    // The cache keeps the photo as encoded rows (a few kB), not raw pixels (57.6 kB).
    expect(photos.stats().cachedBytes).toBeGreaterThan(500);
    expect(photos.stats().cachedBytes).toBeLessThan(8000);
    await photos.stamped('7310040101900002', load, { verifierName: 'Bank A', at });
    expect(loads).toBe(2);
  });

  it('concurrent verifications of one holder share one read and one resize', async () => {
    const photos = createSharpCounterPhotos();
    let loads = 0;
    const load = async () => (loads++, solid(120, 160));
    const urls = await Promise.all(Array.from({ length: 5 }, () => photos.stamped('h', load, { verifierName: 'X', at })));
    expect(urls.every((u) => u?.startsWith('data:image/jpeg'))).toBe(true);
    expect(loads).toBe(1);
  });

  it('re-reads the registry after the maximum age, and keeps within its byte bound', async () => {
    let now = 0;
    let loads = 0;
    const probe = createSharpCounterPhotos();
    await probe.stamped('p', async () => solid(120, 160), { verifierName: 'X', at });
    const entry = probe.stats().cachedBytes;
    const photos = createSharpCounterPhotos({ maxAgeMs: 60_000, maxBytes: 3 * entry, now: () => now });
    const load = async () => (loads++, solid(120, 160));
    await photos.stamped('h1', load, { verifierName: 'X', at });
    now = 59_000;
    await photos.stamped('h1', load, { verifierName: 'X', at });
    expect(loads).toBe(1);
    now = 121_000;
    await photos.stamped('h1', load, { verifierName: 'X', at });
    expect(loads).toBe(2);
    for (const h of ['h2', 'h3', 'h4', 'h5']) await photos.stamped(h, load, { verifierName: 'X', at });
    expect(photos.stats().cachedHolders).toBe(3);
    expect(photos.stats().cachedBytes).toBeLessThanOrEqual(3 * entry);
  });

  it('gives no photo rather than an unmarked one when the image cannot be read, and none when there is none', async () => {
    const photos = createSharpCounterPhotos();
    expect(await photos.stamped('a', async () => ({ contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) }), { verifierName: 'X', at })).toBeNull();
    expect(await photos.stamped('b', async () => null, { verifierName: 'X', at })).toBeNull();
    expect(photos.stats().cachedHolders).toBe(0);
  });

  it('wraps long names by width into two lines and marks the cut', () => {
    expect(wrapByWidth('SAMSAT KABUPATEN PANGKAJENE DAN KEPULAUAN', 11.6, 2)).toEqual(['SAMSAT KABUPATEN', 'PANGKAJENE DAN…']);
    expect(wrapByWidth('東京東京東京東京東京東京東京', 11.6, 2)).toEqual(['東京東京東京東京東京東', '京東京']);
    expect(wrapByWidth('', 11.6, 2)).toEqual([]);
  });
});

describe('byte-bounded LRU', () => {
  it('evicts the least recently used first', () => {
    const lru = new ByteBoundedLru<string, string>({ maxBytes: 3, sizeOf: () => 1 });
    lru.set('a', 'A');
    lru.set('b', 'B');
    lru.set('c', 'C');
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('d', 'D');
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual(['A', 'C', 'D']);
    expect(lru.bytes).toBe(3);
    lru.set('huge', 'H'.repeat(10));
    expect(lru.size).toBe(3);
  });
});
