/**
 * The photo a counter receives: the KTP-el photo downsized (≤ 160 px) with the verifier's name and the time burned
 * into the pixels, so a leaked copy says who received it and when.
 *
 * Two renderers behind one port (`CounterPhotos`, in Deps): on Node, photo-sharp.ts (libvips: resize once per
 * holder and cache, SVG text in a real font, JPEG). On Workers, where the libvips addon cannot load, the pure-JS
 * renderer below (pngjs + a 5×7 bitmap font, PNG), which needs nothing but the photo bytes.
 */
import { Buffer } from 'node:buffer';
import { PNG } from 'pngjs';
import type { Photo } from '../../registry/port.js';
import { zoneOffsetHours, type IndonesianZone } from '../local-time.js';

export const PHOTO_MAX_SIDE = 160;

export interface PhotoStamp {
  verifierName: string;
  at: Date;
  /** The holder's zone (WIB, WITA or WIT) the time is written in; WIB when absent. */
  zone?: IndonesianZone;
}

/** The stamped photo a counter receives, as a data URL; null when the holder has none or it cannot be read. */
export interface CounterPhotos {
  /** `holder` identifies whose photo `load` fetches (the NIK): a renderer may cache per holder and skip the load. */
  stamped(holder: string, load: () => Promise<Photo | null>, stamp: PhotoStamp): Promise<string | null>;
}

/** The Workers path: no cache, the photo is read and drawn with the bitmap font every time; a PNG data URL. */
export const drawnCounterPhotos: CounterPhotos = {
  async stamped(_holder, load, stamp) {
    const photo = await load();
    return photo ? stampedPhotoDataUrl(photo, stamp) : null;
  },
};

/** 5×7 glyphs, seven rows of five bits (bit 4 = leftmost column), as 14 hex digits. */
const FONT: Record<string, string> = {
  '0': '0E11131519110E', '1': '040C040404040E', '2': '0E11010204081F', '3': '1F02040201110E',
  '4': '02060A121F0202', '5': '1F101E0101110E', '6': '0608101E11110E', '7': '1F010204080808',
  '8': '0E11110E11110E', '9': '0E11110F01020C', A: '0E11111F111111', B: '1E11111E11111E',
  C: '0E11101010110E', D: '1C12111111121C', E: '1F10101E10101F', F: '1F10101E101010',
  G: '0E11101711110F', H: '1111111F111111', I: '0E04040404040E', J: '0702020202120C',
  K: '11121418141211', L: '1010101010101F', M: '111B1515111111', N: '11111915131111',
  O: '0E11111111110E', P: '1E11111E101010', Q: '0E11111115120D', R: '1E11111E141211',
  S: '0F10100E01011E', T: '1F040404040404', U: '1111111111110E', V: '11111111110A04',
  W: '1111111515150A', X: '11110A040A1111', Y: '1111110A040404', Z: '1F01020408101F',
  ' ': '00000000000000', '-': '0000001F000000', ':': '000C0C000C0C00', '.': '00000000000C0C',
  '/': '00010204081000', '(': '02040808080402', ')': '08040202020408', ',': '000000000C0408',
  '&': '0C12140815120D', "'": '0C040800000000', '?': '0E110102040004', '+': '0004041F040400',
};
const GLYPH_W = 5;
const GLYPH_H = 7;
const ADVANCE = GLYPH_W + 1;
const LINE = GLYPH_H + 2;

const glyphRows = (ch: string): number[] => {
  const hex = FONT[ch] ?? FONT['?']!;
  return Array.from({ length: GLYPH_H }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
};

/** What the font can draw: upper case, accents dropped, anything else as '?'. */
export const printable = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/./gu, (ch) => (FONT[ch] ? ch : '?'));

interface Canvas {
  width: number;
  height: number;
  data: Buffer;
}

/** Draws text in white from (x, y), clipped to the canvas. Returns how many pixels it set. */
export function drawText(canvas: Canvas, text: string, x: number, y: number): number {
  let set = 0;
  [...text].forEach((ch, index) => {
    const rows = glyphRows(ch);
    for (let r = 0; r < GLYPH_H; r++) {
      for (let c = 0; c < GLYPH_W; c++) {
        if (!(rows[r]! & (1 << (GLYPH_W - 1 - c)))) continue;
        const px = x + index * ADVANCE + c;
        const py = y + r;
        if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
        const o = (py * canvas.width + px) * 4;
        canvas.data[o] = canvas.data[o + 1] = canvas.data[o + 2] = canvas.data[o + 3] = 255;
        set++;
      }
    }
  });
  return set;
}

/** Darkens a band so white text stays readable on any photo (70 % black). */
function shadeBand(canvas: Canvas, y0: number, y1: number, keep = 0.3): void {
  for (let y = Math.max(0, y0); y < Math.min(canvas.height, y1); y++) {
    for (let x = 0; x < canvas.width; x++) {
      const o = (y * canvas.width + x) * 4;
      canvas.data[o] = Math.round(canvas.data[o]! * keep);
      canvas.data[o + 1] = Math.round(canvas.data[o + 1]! * keep);
      canvas.data[o + 2] = Math.round(canvas.data[o + 2]! * keep);
      canvas.data[o + 3] = 255;
    }
  }
}

/** Box-filter downscale so the longer side is at most maxSide (never upscales). */
export function downsize(src: Canvas, maxSide = PHOTO_MAX_SIDE): Canvas {
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  if (scale === 1) return { width: src.width, height: src.height, data: Buffer.from(src.data) };
  const width = Math.max(1, Math.round(src.width * scale));
  const height = Math.max(1, Math.round(src.height * scale));
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor((y * src.height) / height);
    const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor((x * src.width) / width);
      const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * src.width) / width));
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const o = (sy * src.width + sx) * 4;
          r += src.data[o]!;
          g += src.data[o + 1]!;
          b += src.data[o + 2]!;
          a += src.data[o + 3]!;
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0);
      const o = (y * width + x) * 4;
      data[o] = Math.round(r / n);
      data[o + 1] = Math.round(g / n);
      data[o + 2] = Math.round(b / n);
      data[o + 3] = Math.round(a / n);
    }
  }
  return { width, height, data };
}

/**
 * The stamp's time in the holder's local time and zone, as long as fits: "2026-11-23 15:00:12 WIB", then without
 * the seconds, then with a two-digit year, then the time alone (the zone always: a time without it misleads).
 */
export function stampTime(at: Date, maxChars: number, zone: IndonesianZone = 'WIB'): string {
  const iso = new Date(at.getTime() + zoneOffsetHours(zone) * 3600_000).toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 19)];
  const minutes = time.slice(0, 5);
  const choices = [`${date} ${time} ${zone}`, `${date} ${minutes} ${zone}`, `${date.slice(2)} ${minutes} ${zone}`, `${time} ${zone}`, `${minutes} ${zone}`];
  return choices.find((c) => c.length <= maxChars) ?? choices[choices.length - 1]!;
}

/** Greedy word wrap into at most maxLines lines of maxChars; words longer than a line are cut. */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.slice(0, maxChars);
  }
  if (line) lines.push(line);
  return lines.slice(0, maxLines);
}

/** The caption: the verifier's name (up to two lines), then the time; where it starts, from the bottom up. */
export function captionLayout(verifierName: string, at: Date, width: number, height: number, zone?: IndonesianZone) {
  const maxChars = Math.max(1, Math.floor(width / ADVANCE));
  const lines = [...wrapText(printable(verifierName), maxChars, 2), stampTime(at, maxChars, zone)];
  const bandTop = Math.max(0, height - (lines.length * LINE + 1));
  return { lines, bandTop, x: 1, lineY: (i: number) => bandTop + 2 + i * LINE };
}

/**
 * Decodes the registry photo (PNG), downsizes it and burns in the verifier's name and the time; a PNG data URL.
 * Null when the photo is not a PNG we can read: the counter then gets no photo rather than an unmarked one.
 */
export function stampedPhotoDataUrl(photo: Photo, stamp: PhotoStamp): string | null {
  let decoded: Canvas;
  try {
    if (photo.contentType !== 'image/png') return null;
    decoded = PNG.sync.read(Buffer.from(photo.bytes));
  } catch {
    return null;
  }
  const canvas = downsize(decoded);
  const caption = captionLayout(stamp.verifierName, stamp.at, canvas.width, canvas.height, stamp.zone);
  // The name once more across the middle, so cutting off the band does not clean the photo.
  const midY = Math.floor(canvas.height / 2) - 5;
  shadeBand(canvas, midY, midY + LINE, 0.6);
  drawText(canvas, caption.lines[0] ?? '', caption.x, midY + 1);
  shadeBand(canvas, caption.bandTop, canvas.height);
  caption.lines.forEach((line, i) => drawText(canvas, line, caption.x, caption.lineY(i)));
  const png = new PNG({ width: canvas.width, height: canvas.height });
  canvas.data.copy(png.data);
  // Paeth filtering for every row: smaller than pngjs's adaptive choice on photos, and half the time.
  return `data:image/png;base64,${PNG.sync.write(png, { filterType: 4 }).toString('base64')}`;
}
