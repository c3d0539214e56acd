/**
 * The counter photo on Node, with sharp (libvips). Node only: src/worker.ts uses the drawn renderer in photo.ts.
 *
 * - Per holder, once: the registry photo is decoded and downsized (longer side ≤ 160 px, never upscaled) to raw RGB
 *   pixels, kept in an in-process LRU keyed by the holder's NIK, bounded in bytes and in age (a re-recorded KTP-el
 *   photo shows up after at most `maxAgeMs`). A hit skips the registry's photo read altogether. The downsized
 *   photo does not depend on the verifier.
 * - The caption is SVG text rendered by librsvg with a real font (DejaVu Sans Condensed, fontconfig's fallback for
 *   scripts it lacks): the verifier's name in the bottom band (up to two lines) and once more across the middle, and
 *   the time below it. Rendered overlays are cached too: the name's per (name, size), the time's per (text, size),
 *   so under load the SVG work is once per verifier and once per second, not once per request.
 * - Per request: the overlays are laid over a copy of the cached pixels (straight alpha "over", a few hundred
 *   microseconds less than libvips' composite, which works in floating point) and libvips encodes a JPEG.
 */
import { Buffer } from 'node:buffer';
import sharp from 'sharp';
import type { Photo } from '../../registry/port.js';
import { ByteBoundedLru } from './lru.js';
import type { IndonesianZone } from '../local-time.js';
import { PHOTO_MAX_SIDE, stampTime, type CounterPhotos, type PhotoStamp } from './photo.js';

// Every pipeline here is a tiny image seen once: libvips' operation cache only costs (1.83 → 1.45 ms CPU per 120×160
// JPEG encode measured here), and threads inside one image only add hand-offs; requests already run side by side.
sharp.cache(false);
sharp.concurrency(1);

export const COUNTER_PHOTO_CONTENT_TYPE = 'image/jpeg';
const JPEG_QUALITY = 82;
const FONT_FAMILY = "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif";
/** Larger inputs are refused rather than decoded (a registry photo is a few hundred pixels a side). */
const MAX_INPUT_PIXELS = 4096 * 4096;

interface Downsized {
  pixels: Buffer;
  width: number;
  height: number;
}

interface Overlay {
  /** RGBA, straight (not premultiplied) alpha, `width` = the photo's width. */
  pixels: Buffer;
  height: number;
  top: number;
}

export interface CounterPhotoStats {
  /** Verifications whose downsized photo came from the cache (no registry read, no resize). */
  hits: number;
  /** Verifications that read the registry photo and downsized it. */
  resizes: number;
  /** SVG captions rendered (name or time overlays); the rest came from the overlay cache. */
  captionRenders: number;
  /** Bytes and entries in the downsized-photo cache. */
  cachedBytes: number;
  cachedHolders: number;
}

export interface SharpCounterPhotos extends CounterPhotos {
  stats(): CounterPhotoStats;
}

export interface SharpCounterPhotoOptions {
  /** Bound on the downsized photos kept (bytes of raw pixels; 120×160 RGB = 57.6 kB). Default 64 MiB. */
  maxBytes?: number;
  /** How long a downsized photo is served without reading the registry again. Default 10 minutes. */
  maxAgeMs?: number;
  now?: () => number;
}

export function createSharpCounterPhotos(options: SharpCounterPhotoOptions = {}): SharpCounterPhotos {
  const photos = new ByteBoundedLru<string, Downsized>({
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    maxAgeMs: options.maxAgeMs ?? 10 * 60_000,
    sizeOf: (d) => d.pixels.length + 64,
    ...(options.now ? { now: options.now } : {}),
  });
  // Overlays are small (a band of the photo's width); a few hundred verifier names and seconds fit in 8 MiB.
  const overlays = new ByteBoundedLru<string, Overlay[]>({
    maxBytes: 8 * 1024 * 1024,
    sizeOf: (list) => list.reduce((n, o) => n + o.pixels.length + 64, 0),
  });
  const loading = new Map<string, Promise<Downsized | null>>();
  const counts = { hits: 0, resizes: 0, captionRenders: 0 };

  async function downsizedFor(holder: string, load: () => Promise<Photo | null>): Promise<Downsized | null> {
    const cached = photos.get(holder);
    if (cached) {
      counts.hits++;
      return cached;
    }
    // Concurrent verifications of the same holder share one read and one resize.
    let pending = loading.get(holder);
    if (!pending) {
      pending = (async () => {
        const photo = await load();
        if (!photo) return null;
        counts.resizes++;
        const downsized = await downsize(photo.bytes);
        if (downsized) photos.set(holder, downsized);
        return downsized;
      })().finally(() => loading.delete(holder));
      loading.set(holder, pending);
    }
    return pending;
  }

  async function overlay(key: string, render: () => Promise<Overlay[]>): Promise<Overlay[]> {
    const cached = overlays.get(key);
    if (cached) return cached;
    counts.captionRenders++;
    const rendered = await render();
    overlays.set(key, rendered);
    return rendered;
  }

  return {
    async stamped(holder: string, load: () => Promise<Photo | null>, stamp: PhotoStamp): Promise<string | null> {
      const photo = await downsizedFor(holder, load);
      if (!photo) return null;
      try {
        const layout = captionLayout(stamp.verifierName, stamp.at, photo.width, photo.height, stamp.zone);
        const size = `${photo.width}x${photo.height}`;
        const [nameOverlays, timeOverlays] = await Promise.all([
          overlay(`name\u0000${size}\u0000${stamp.verifierName}`, () => renderNameOverlays(layout, photo.width)),
          overlay(`time\u0000${size}\u0000${layout.nameLines.length}\u0000${layout.time}`, () => renderTimeOverlay(layout, photo.width)),
        ]);
        const pixels = Buffer.from(photo.pixels);
        for (const o of [...nameOverlays, ...timeOverlays]) blendOver(pixels, photo.width, o);
        const jpeg = await sharp(pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } })
          .jpeg({ quality: JPEG_QUALITY, optimiseCoding: false })
          .toBuffer();
        return `data:${COUNTER_PHOTO_CONTENT_TYPE};base64,${jpeg.toString('base64')}`;
      } catch {
        return null; // no photo rather than an unmarked one
      }
    },
    stats: () => ({ ...counts, cachedBytes: photos.bytes, cachedHolders: photos.size }),
  };
}

/** Decodes any format libvips reads (PNG, JPEG, WebP…), flattens alpha on white, downsizes; raw sRGB pixels. */
async function downsize(bytes: Uint8Array): Promise<Downsized | null> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // EXIF orientation, for photos from cameras
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return null;
    return { pixels: data, width: info.width, height: info.height };
  } catch {
    return null;
  }
}

export interface CaptionLayout {
  fontSize: number;
  lineHeight: number;
  /** The verifier's name, wrapped to at most two lines. */
  nameLines: string[];
  time: string;
  bandTop: number;
  midTop: number;
}

/** Font size from the width (10 px at 120, 13 px at 160); the name wrapped by estimated glyph widths. */
export function captionLayout(verifierName: string, at: Date, width: number, height: number, zone?: IndonesianZone): CaptionLayout {
  const fontSize = Math.max(8, Math.min(13, Math.round(width / 12)));
  const lineHeight = Math.round(fontSize * 1.25);
  const usable = width - 4;
  const nameLines = wrapByWidth(cleanText(verifierName), usable / fontSize, 2);
  // The time string as the shared helper gives it, as long as fits the estimated width.
  const time = stampTime(at, Math.max(8, Math.floor(usable / (fontSize * 0.56))), zone);
  const lines = nameLines.length + 1;
  const bandTop = Math.max(0, height - lines * lineHeight - 3);
  const midTop = Math.max(0, Math.floor(height / 2) - Math.round(lineHeight / 2));
  return { fontSize, lineHeight, nameLines, time, bandTop, midTop };
}

/** Control characters and lone surrogates are not allowed in XML: they become spaces. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * Estimated advance in em for DejaVu Sans Condensed, on the safe side: wide (CJK, Hangul, full-width, emoji) 1.0,
 * narrow punctuation 0.35, capitals 0.7, the rest 0.56.
 */
function advance(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x1f000
  ) return 1;
  if (" .,:;'!|il()[]".includes(ch)) return 0.35;
  if (ch !== ch.toLowerCase()) return 0.7;
  return 0.56;
}

const widthOf = (text: string) => Array.from(text).reduce((n, ch) => n + advance(ch), 0);

/** Greedy word wrap by estimated width (in em); a word wider than a line is cut; the last line ends in "…" if cut. */
export function wrapByWidth(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const cut = (word: string): [string, string] => {
    let head = '';
    for (const ch of Array.from(word)) {
      if (widthOf(head + ch) > maxEm) break;
      head += ch;
    }
    if (!head) head = Array.from(word)[0] ?? '';
    return [head, word.slice(head.length)];
  };
  const words = text.split(' ').filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    const next = line ? `${line} ${word}` : word;
    if (widthOf(next) <= maxEm) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    while (widthOf(word) > maxEm) {
      const [head, rest] = cut(word);
      lines.push(head);
      word = rest;
    }
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1]!;
  while (last && widthOf(`${last}…`) > maxEm) last = Array.from(last).slice(0, -1).join('');
  kept[maxLines - 1] = `${last}…`;
  return kept;
}

const textElement = (text: string, x: number, baseline: number, fontSize: number) =>
  `<text x="${x}" y="${baseline}" font-family="${FONT_FAMILY}" font-size="${fontSize}" fill="#ffffff">${escapeXml(text)}</text>`;

/** The name: a 60 % dark stripe across the middle with the first line, and the 70 % dark bottom band with all lines. */
async function renderNameOverlays(layout: CaptionLayout, width: number): Promise<Overlay[]> {
  const { fontSize, lineHeight, nameLines } = layout;
  const baseline = (i: number) => 2 + i * lineHeight + Math.round(fontSize * 0.9);
  const bandHeight = (nameLines.length + 1) * lineHeight + 3;
  const band = await renderSvg(
    width,
    bandHeight,
    `<rect width="${width}" height="${bandHeight}" fill="#000000" fill-opacity="0.7"/>` +
      nameLines.map((line, i) => textElement(line, 2, baseline(i), fontSize)).join(''),
  );
  const mid = await renderSvg(
    width,
    lineHeight,
    `<rect width="${width}" height="${lineHeight}" fill="#000000" fill-opacity="0.6"/>` +
      textElement(nameLines[0] ?? '', 2, Math.round(fontSize * 0.9), fontSize),
  );
  return [
    { pixels: mid, height: lineHeight, top: layout.midTop },
    { pixels: band, height: bandHeight, top: layout.bandTop },
  ];
}

/** The time: white text only, on the band's last line (the band is already dark there). */
async function renderTimeOverlay(layout: CaptionLayout, width: number): Promise<Overlay[]> {
  const { fontSize, lineHeight, nameLines } = layout;
  const pixels = await renderSvg(width, lineHeight, textElement(layout.time, 2, Math.round(fontSize * 0.9), fontSize));
  return [{ pixels, height: lineHeight, top: layout.bandTop + 2 + nameLines.length * lineHeight }];
}

async function renderSvg(width: number, height: number, body: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 4) throw new Error('caption render size');
  return data;
}

/** Straight-alpha "over" of an RGBA overlay (the photo's width) onto RGB pixels from row `top`, clipped. */
function blendOver(rgb: Buffer, width: number, overlay: Overlay): void {
  const rows = Math.min(overlay.height, rgb.length / (width * 3) - overlay.top);
  const src = overlay.pixels;
  for (let y = 0; y < rows; y++) {
    let s = y * width * 4;
    let d = (overlay.top + y) * width * 3;
    for (let x = 0; x < width; x++, s += 4, d += 3) {
      const a = src[s + 3]!;
      if (a === 0) continue;
      if (a === 255) {
        rgb[d] = src[s]!;
        rgb[d + 1] = src[s + 1]!;
        rgb[d + 2] = src[s + 2]!;
        continue;
      }
      const k = a / 255;
      rgb[d] = rgb[d]! + (src[s]! - rgb[d]!) * k;
      rgb[d + 1] = rgb[d + 1]! + (src[s + 1]! - rgb[d + 1]!) * k;
      rgb[d + 2] = rgb[d + 2]! + (src[s + 2]! - rgb[d + 2]!) * k;
    }
  }
}
