/**
 * The counter photo on Node, with sharp (libvips). Node only: src/worker.ts uses the drawn renderer in photo.ts.
 *
 * The image is the holder's photo with a caption below it, in one baseline JPEG: the verifier's name (up to two
 * lines) and the local time, white SVG text rendered by librsvg in a real font (DejaVu Sans Condensed, fontconfig's
 * fallback for scripts it lacks) on an opaque dark band. The caption sits under the face, never over it.
 *
 * - Per holder, once: the registry photo is decoded, downsized (longer side ≤ 160 px, never upscaled), padded with
 *   white to whole 16-pixel MCU rows and encoded by libvips; jpeg-rows.ts rewrites that JPEG losslessly into one
 *   restart interval per MCU row. The result (a few kB) is kept in an in-process LRU keyed by the holder's NIK,
 *   bounded in bytes and in age (a re-recorded KTP-el photo shows up after at most `maxAgeMs`). A hit skips the
 *   registry's photo read altogether. It does not depend on the verifier.
 * - Per caption line, once: each line is one MCU row (16 px), rendered and encoded the same way and cached by its
 *   text: the name's lines once per verifier, the time line once per second.
 * - Per request: no pixel is touched. The JPEG is the header, the holder's rows and the caption's rows, each row
 *   followed by its restart marker (JPEG's own mechanism for independently coded pieces): a concatenation of
 *   bytes. libvips encodes every pixel the counter sees; the decoder sees one ordinary baseline JPEG.
 */
import { Buffer } from 'node:buffer';
import sharp from 'sharp';
import type { Photo } from '../../registry/port.js';
import { ByteBoundedLru } from './lru.js';
import type { IndonesianZone } from '../local-time.js';
import { jpegHeader, joinable, rowsWithMarkers, splitJpegRows, type JpegRows } from './jpeg-rows.js';
import { PHOTO_MAX_SIDE, stampTime, type CounterPhotos, type PhotoStamp } from './photo.js';

// Every pipeline here is a tiny image seen once: libvips' operation cache only costs, and threads inside one image
// only add hand-offs; requests already run side by side.
sharp.cache(false);
sharp.concurrency(1);

export const COUNTER_PHOTO_CONTENT_TYPE = 'image/jpeg';
const JPEG_QUALITY = 82;
/** 4:2:0: an MCU is 16×16 pixels, so a caption line and the photo's padding are whole 16-pixel rows. */
const JPEG_OPTIONS = { quality: JPEG_QUALITY, optimiseCoding: false, chromaSubsampling: '4:2:0' } as const;
export const CAPTION_LINE_PX = 16;
const CAPTION_BACKGROUND = '#1a1a1a';
const FONT_FAMILY = "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif";
/** Larger inputs are refused rather than decoded (a registry photo is a few hundred pixels a side). */
const MAX_INPUT_PIXELS = 4096 * 4096;

interface Prepared {
  /** The photo's rows (restart intervals), with their markers RST0… after each, ready to concatenate. */
  bytes: Buffer;
  shape: JpegRows;
  rows: number;
  width: number;
  /** The photo's own height before padding to whole rows. */
  height: number;
}

export interface CounterPhotoStats {
  /** Verifications whose prepared photo came from the cache (no registry read, no resize). */
  hits: number;
  /** Verifications that read the registry photo and downsized it. */
  resizes: number;
  /** Caption lines rendered (SVG + JPEG); the rest came from the caption cache. */
  captionRenders: number;
  /** Bytes and entries in the prepared-photo cache. */
  cachedBytes: number;
  cachedHolders: number;
}

export interface SharpCounterPhotos extends CounterPhotos {
  stats(): CounterPhotoStats;
}

export interface SharpCounterPhotoOptions {
  /** Bound on the prepared photos kept (bytes; a 120×160 photo is about 3 kB). Default 64 MiB. */
  maxBytes?: number;
  /** How long a prepared photo is served without reading the registry again. Default 10 minutes. */
  maxAgeMs?: number;
  now?: () => number;
}

export function createSharpCounterPhotos(options: SharpCounterPhotoOptions = {}): SharpCounterPhotos {
  const photos = new ByteBoundedLru<string, Prepared>({
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    maxAgeMs: options.maxAgeMs ?? 10 * 60_000,
    sizeOf: (p) => p.bytes.length + p.shape.tables.length + 256,
    ...(options.now ? { now: options.now } : {}),
  });
  // A caption line is a few hundred bytes: thousands of verifier names and seconds fit in 8 MiB.
  const lines = new ByteBoundedLru<string, JpegRows>({
    maxBytes: 8 * 1024 * 1024,
    sizeOf: (l) => l.rows.reduce((n, r) => n + r.length, 0) + l.tables.length + 256,
  });
  const loading = new Map<string, Promise<Prepared | null>>();
  const counts = { hits: 0, resizes: 0, captionRenders: 0 };

  async function preparedFor(holder: string, load: () => Promise<Photo | null>): Promise<Prepared | null> {
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
        const prepared = await prepare(photo.bytes);
        if (prepared) photos.set(holder, prepared);
        return prepared;
      })().finally(() => loading.delete(holder));
      loading.set(holder, pending);
    }
    return pending;
  }

  async function line(text: string, width: number, fontSize: number): Promise<JpegRows> {
    const key = `${width}\u0000${fontSize}\u0000${text}`;
    const cached = lines.get(key);
    if (cached) return cached;
    counts.captionRenders++;
    const rendered = await renderLine(text, width, fontSize);
    lines.set(key, rendered);
    return rendered;
  }

  return {
    async stamped(holder: string, load: () => Promise<Photo | null>, stamp: PhotoStamp): Promise<string | null> {
      const photo = await preparedFor(holder, load);
      if (!photo) return null;
      try {
        const layout = captionLayout(stamp.verifierName, stamp.at, photo.width, photo.height, stamp.zone);
        const caption = await Promise.all([...layout.nameLines, layout.time].map((text) => line(text, photo.width, layout.fontSize)));
        if (!caption.every((c) => joinable(photo.shape, c))) return null;
        const captionRows = caption.flatMap((c) => c.rows);
        const jpeg = Buffer.concat([
          jpegHeader(photo.shape, (photo.rows + captionRows.length) * CAPTION_LINE_PX),
          photo.bytes,
          ...rowsWithMarkers(captionRows, photo.rows, true),
        ]);
        return `data:${COUNTER_PHOTO_CONTENT_TYPE};base64,${jpeg.toString('base64')}`;
      } catch {
        return null; // no photo rather than an unmarked one
      }
    },
    stats: () => ({ ...counts, cachedBytes: photos.bytes, cachedHolders: photos.size }),
  };
}

/**
 * Decodes any format libvips reads (PNG, JPEG, WebP…), flattens alpha on white, downsizes, pads with white to whole
 * MCU rows and encodes; then the JPEG as restart intervals (null when the photo cannot be read).
 */
async function prepare(bytes: Uint8Array): Promise<Prepared | null> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // EXIF orientation, for photos from cameras
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return null;
    const padded = Math.ceil(info.height / CAPTION_LINE_PX) * CAPTION_LINE_PX;
    const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .extend({ bottom: padded - info.height, background: '#ffffff' })
      .jpeg(JPEG_OPTIONS)
      .toBuffer();
    const shape = splitJpegRows(jpeg);
    if (shape.mcuHeight !== CAPTION_LINE_PX || shape.rows.length * CAPTION_LINE_PX !== padded) return null;
    return { bytes: Buffer.concat(rowsWithMarkers(shape.rows, 0, false)), shape, rows: shape.rows.length, width: info.width, height: info.height };
  } catch {
    return null;
  }
}

export interface CaptionLayout {
  fontSize: number;
  /** Each caption line is one 16-pixel band. */
  lineHeight: number;
  /** The verifier's name, wrapped to at most two lines. */
  nameLines: string[];
  time: string;
  /** First pixel row of the caption: the photo's height padded to whole bands. */
  captionTop: number;
  /** The whole image's height: the padded photo and one band per line. */
  height: number;
}

/** Font size from the width (10 px at 120, 12 px at 160, at least 8); the name wrapped by estimated glyph widths. */
export function captionLayout(verifierName: string, at: Date, width: number, height: number, zone?: IndonesianZone): CaptionLayout {
  const fontSize = Math.max(8, Math.min(12, Math.round(width / 12)));
  const usable = width - 4;
  const nameLines = wrapByWidth(cleanText(verifierName), usable / fontSize, 2);
  // The time string as the shared helper gives it, as long as fits the estimated width.
  const time = stampTime(at, Math.max(8, Math.floor(usable / (fontSize * 0.56))), zone);
  const captionTop = Math.ceil(height / CAPTION_LINE_PX) * CAPTION_LINE_PX;
  return { fontSize, lineHeight: CAPTION_LINE_PX, nameLines, time, captionTop, height: captionTop + (nameLines.length + 1) * CAPTION_LINE_PX };
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

/**
 * One caption line: white text on the dark band, 16 pixels high and the photo's width, encoded like the photo and
 * split into its one restart interval.
 */
async function renderLine(text: string, width: number, fontSize: number): Promise<JpegRows> {
  const baseline = Math.round((CAPTION_LINE_PX + fontSize * 0.72) / 2);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CAPTION_LINE_PX}">` +
    `<rect width="${width}" height="${CAPTION_LINE_PX}" fill="${CAPTION_BACKGROUND}"/>` +
    `<text x="2" y="${baseline}" font-family="${FONT_FAMILY}" font-size="${fontSize}" fill="#ffffff">${escapeXml(text)}</text></svg>`;
  const jpeg = await sharp(Buffer.from(svg)).flatten({ background: CAPTION_BACKGROUND }).toColourspace('srgb').jpeg(JPEG_OPTIONS).toBuffer();
  const rows = splitJpegRows(jpeg);
  if (rows.width !== width || rows.height !== CAPTION_LINE_PX || rows.rows.length !== 1) throw new Error('caption line size');
  return rows;
}
