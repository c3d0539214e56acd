/**
 * Baseline JPEGs as rows of MCUs that can be joined without re-encoding: the restart intervals of JPEG itself
 * (ITU-T T.81 §B.2.4.4, DRI/RSTn). At a restart marker the encoder pads to a byte boundary and every DC predictor
 * starts again from 0, so an interval of one MCU row is a self-contained piece of entropy-coded data, and a JPEG
 * with DRI = MCUs per row is any sequence of such rows, each followed by its RSTn marker.
 *
 * libvips (and so sharp) writes no restart markers and does not expose libjpeg's restart interval. splitJpegRows
 * therefore takes sharp's own baseline output and rewrites it losslessly into one piece per MCU row: it walks the
 * Huffman-coded blocks to find where each row begins, re-codes the first DC difference of each component in that
 * row as an absolute value (its predictor is now 0) and pads the row to a byte. No coefficient changes: the joined
 * JPEG decodes to exactly the pixels of the original (test/unit/jpeg-rows.test.ts compares them). joinJpegRows lays
 * rows of several such images (same width, same tables) under one another.
 *
 * Only what sharp writes is accepted: baseline (SOF0), 8-bit, 1 or 3 components in one interleaved scan, no
 * restart markers of its own; anything else throws (the caller then encodes the whole image instead).
 */
import { Buffer } from 'node:buffer';

export interface JpegRows {
  width: number;
  /** Height of the image these rows came from (a multiple of mcuHeight is what joins cleanly). */
  height: number;
  mcuHeight: number;
  mcusPerRow: number;
  /** DQT and DHT segments as written: rows join only under the same tables. */
  tables: Buffer;
  /** SOF0 component specifications (id, sampling, quantisation table), 3 bytes each. */
  components: Buffer;
  /** The SOS segment, whole. */
  sos: Buffer;
  /** One entry per MCU row: its entropy-coded data, byte-stuffed and padded, without a marker. */
  rows: Buffer[];
}

interface Huffman {
  /** Decoding (T.81 F.2.2.3): per code length 1..16 the largest code, the first code and the index of its value. */
  maxCode: Int32Array;
  minCode: Int32Array;
  valPtr: Int32Array;
  values: Uint8Array;
  /** Encoding: code and length per symbol. */
  code: Uint16Array;
  size: Uint8Array;
  /** Decoding codes of up to 9 bits in one step. */
  fast: Uint16Array;
}

function huffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxCode = new Int32Array(18).fill(-1);
  const minCode = new Int32Array(17);
  const valPtr = new Int32Array(17);
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    if (n > 0) {
      valPtr[len] = k;
      minCode[len] = c;
      for (let i = 0; i < n; i++, k++, c++) {
        code[values[k]!] = c;
        size[values[k]!] = len;
      }
      maxCode[len] = c - 1;
    }
    c <<= 1;
  }
  return { maxCode, minCode, valPtr, values, code, size, fast: lookahead(size, code) };
}

const fail = (why: string): never => {
  throw new Error(`jpeg rows: ${why}`);
};

/** Scan data without its byte stuffing (0xFF 0x00 → 0xFF); stops at the first marker. */
function unstuff(data: Uint8Array, from: number): { bytes: Uint8Array; end: number } {
  const out = new Uint8Array(data.length - from);
  let n = 0;
  let i = from;
  for (; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0xff) {
      const next = data[i + 1];
      if (next === 0x00) {
        out[n++] = 0xff;
        i++;
        continue;
      }
      if (next !== undefined && next >= 0xd0 && next <= 0xd7) fail('the input has restart markers');
      break; // EOI (or another marker): the scan ends here
    }
    out[n++] = b;
  }
  return { bytes: out.subarray(0, n), end: i };
}

/** Up to 16 bits of `bytes` from bit `p` (missing bytes past the end read as 0; callers check the length). */
const peekAt = (bytes: Uint8Array, p: number, n: number): number => {
  const i = p >> 3;
  const window = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
  return (window >> (24 - (p & 7) - n)) & ((1 << n) - 1);
};

const LOOKAHEAD = 9;

/** Codes of up to 9 bits looked up in one step (value = length << 8 | symbol; 0 = longer code). */
function lookahead(size: Uint8Array, code: Uint16Array): Uint16Array {
  const table = new Uint16Array(1 << LOOKAHEAD);
  for (let symbol = 0; symbol < 256; symbol++) {
    const len = size[symbol]!;
    if (len === 0 || len > LOOKAHEAD) continue;
    const first = code[symbol]! << (LOOKAHEAD - len);
    for (let k = 0; k < 1 << (LOOKAHEAD - len); k++) table[first + k] = (len << 8) | symbol;
  }
  return table;
}

class BitReader {
  pos = 0;
  private readonly limit: number;
  constructor(private readonly bytes: Uint8Array) {
    this.limit = bytes.length * 8;
  }
  bits(n: number): number {
    const v = peekAt(this.bytes, this.pos, n);
    this.pos += n;
    if (this.pos > this.limit) fail('scan data ends early');
    return v;
  }
  decode(h: Huffman): number {
    const hit = h.fast[peekAt(this.bytes, this.pos, LOOKAHEAD)]!;
    if (hit !== 0) {
      this.pos += hit >> 8;
      if (this.pos > this.limit) fail('scan data ends early');
      return hit & 0xff;
    }
    let code = this.bits(1);
    for (let len = 1; len <= 16; len++) {
      if (code <= h.maxCode[len]!) return h.values[h.valPtr[len]! + code - h.minCode[len]!]!;
      code = (code << 1) | this.bits(1);
    }
    return fail('bad Huffman code');
  }
}

class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private n = 0;
  /** Appends the low `n` bits (n ≤ 16) of value. */
  write(value: number, n: number) {
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.n += n;
    while (this.n >= 8) {
      this.n -= 8;
      const byte = (this.acc >> this.n) & 0xff;
      this.out.push(byte);
      if (byte === 0xff) this.out.push(0x00); // byte stuffing
    }
    this.acc &= (1 << this.n) - 1;
  }
  /** Copies bits [from, to) of `src` (unstuffed scan data). */
  copy(src: Uint8Array, from: number, to: number) {
    for (let p = from; p < to; ) {
      const take = Math.min(16, to - p);
      this.write(peekAt(src, p, take), take);
      p += take;
    }
  }
  /** Pads with 1-bits to a byte boundary (T.81 F.1.2.3) and returns the bytes. */
  finish(): Buffer {
    if (this.n > 0) this.write((1 << (8 - this.n)) - 1, 8 - this.n);
    return Buffer.from(this.out);
  }
}

/** The DC difference `v` coded with table `h`: its magnitude category, then the category's extra bits. */
function writeDc(w: BitWriter, h: Huffman, v: number) {
  const magnitude = Math.abs(v);
  const s = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
  if (h.size[s] === 0) fail('DC category missing from the table');
  w.write(h.code[s]!, h.size[s]!);
  if (s > 0) w.write(v < 0 ? v + (1 << s) - 1 : v, s);
}

export function splitJpegRows(input: Uint8Array): JpegRows {
  const data = input;
  if (data[0] !== 0xff || data[1] !== 0xd8) fail('not a JPEG');
  const tables: Buffer[] = [];
  const dc: Huffman[] = [];
  const ac: Huffman[] = [];
  let frame: { height: number; width: number; comps: { id: number; h: number; v: number }[]; spec: Buffer } | undefined;
  let i = 2;
  for (;;) {
    if (data[i] !== 0xff) fail('marker expected');
    while (data[i] === 0xff) i++;
    const marker = data[i++]!;
    if (marker === 0xd9) fail('no scan');
    const length = (data[i]! << 8) | data[i + 1]!;
    const segment = data.subarray(i - 2, i + length);
    const body = data.subarray(i + 2, i + length);
    i += length;
    if (marker === 0xdb) tables.push(Buffer.from(segment));
    else if (marker === 0xc4) {
      tables.push(Buffer.from(segment));
      for (let p = 0; p < body.length; ) {
        const tc = body[p]! >> 4;
        const th = body[p]! & 15;
        const counts = body.subarray(p + 1, p + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        const table = huffman(counts, body.subarray(p + 17, p + 17 + total));
        (tc === 0 ? dc : ac)[th] = table;
        p += 17 + total;
      }
    } else if (marker === 0xc0) {
      if (body[0] !== 8) fail('not 8-bit');
      const n = body[5]!;
      const comps = Array.from({ length: n }, (_, k) => ({ id: body[6 + k * 3]!, h: body[7 + k * 3]! >> 4, v: body[7 + k * 3]! & 15 }));
      frame = { height: (body[1]! << 8) | body[2]!, width: (body[3]! << 8) | body[4]!, comps, spec: Buffer.from(body.subarray(6, 6 + n * 3)) };
    } else if (marker === 0xdd) fail('the input has a restart interval');
    else if (marker >= 0xc1 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) fail('not baseline');
    else if (marker === 0xda) {
      if (!frame) fail('scan before frame');
      const f = frame!;
      const n = body[0]!;
      if (n !== f.comps.length) fail('not one interleaved scan');
      const scan = Array.from({ length: n }, (_, k) => {
        const comp = f.comps.find((c) => c.id === body[1 + k * 2]);
        const dcTable = dc[body[2 + k * 2]! >> 4];
        const acTable = ac[body[2 + k * 2]! & 15];
        if (!comp || !dcTable || !acTable) fail('scan names a missing component or table');
        return { ...comp!, dc: dcTable!, ac: acTable!, blocks: n === 1 ? 1 : comp!.h * comp!.v };
      });
      const hMax = n === 1 ? 1 : Math.max(...f.comps.map((c) => c.h));
      const vMax = n === 1 ? 1 : Math.max(...f.comps.map((c) => c.v));
      const mcusPerRow = Math.ceil(f.width / (8 * hMax));
      const mcuRows = Math.ceil(f.height / (8 * vMax));
      const { bytes } = unstuff(data, i);
      const reader = new BitReader(bytes);
      const pred = new Array<number>(n).fill(0);
      const rows: Buffer[] = [];
      for (let row = 0; row < mcuRows; row++) {
        const start = reader.pos;
        // Where the first block of each component in this row has its DC code, and that DC's absolute value.
        const firsts: { from: number; to: number; value: number }[] = [];
        for (let mx = 0; mx < mcusPerRow; mx++) {
          for (let c = 0; c < n; c++) {
            const comp = scan[c]!;
            for (let b = 0; b < comp.blocks; b++) {
              const from = reader.pos;
              const s = reader.decode(comp.dc);
              let diff = 0;
              if (s > 0) {
                const bits = reader.bits(s);
                diff = bits < 1 << (s - 1) ? bits - (1 << s) + 1 : bits;
              }
              pred[c]! += diff;
              if (mx === 0 && b === 0) firsts[c] = { from, to: reader.pos, value: pred[c]! };
              for (let k = 1; k < 64; ) {
                const rs = reader.decode(comp.ac);
                const r = rs >> 4;
                const size = rs & 15;
                if (size === 0) {
                  if (r !== 15) break; // end of block
                  k += 16;
                  continue;
                }
                k += r;
                reader.pos += size;
                k++;
              }
            }
          }
        }
        const end = reader.pos;
        const w = new BitWriter();
        let cursor = start;
        for (let c = 0; c < n; c++) {
          w.copy(bytes, cursor, firsts[c]!.from);
          writeDc(w, scan[c]!.dc, firsts[c]!.value);
          cursor = firsts[c]!.to;
        }
        w.copy(bytes, cursor, end);
        rows.push(w.finish());
      }
      return {
        width: f.width,
        height: f.height,
        mcuHeight: 8 * vMax,
        mcusPerRow,
        tables: Buffer.concat(tables),
        components: f.spec,
        sos: Buffer.from(segment),
        rows,
      };
    }
  }
}

const RST = Array.from({ length: 8 }, (_, k) => Buffer.from([0xff, 0xd0 + k]));
const EOI = Buffer.from([0xff, 0xd9]);

/** Whether rows of `a` and `b` can be laid under one another in one JPEG. */
export const joinable = (a: JpegRows, b: JpegRows): boolean =>
  a.width === b.width && a.mcusPerRow === b.mcusPerRow && a.mcuHeight === b.mcuHeight &&
  a.tables.equals(b.tables) && a.components.equals(b.components) && a.sos.equals(b.sos);

/** The JPEG header for `height` rows of pixels of this shape: SOI, tables, SOF0, DRI (one MCU row), SOS. */
export function jpegHeader(shape: JpegRows, height: number): Buffer {
  const n = shape.components.length / 3;
  const sof = Buffer.alloc(10 + n * 3);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(8 + n * 3, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(shape.width, 7);
  sof[9] = n;
  shape.components.copy(sof, 10);
  const dri = Buffer.from([0xff, 0xdd, 0x00, 0x04, shape.mcusPerRow >> 8, shape.mcusPerRow & 0xff]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), shape.tables, sof, dri, shape.sos]);
}

/**
 * Row pieces ready to concatenate: each row followed by its restart marker, numbered from `firstIndex` (RST0–7
 * cycle); `last` ends with EOI instead of a marker.
 */
export function rowsWithMarkers(rows: readonly Buffer[], firstIndex: number, last: boolean): Buffer[] {
  const out: Buffer[] = [];
  rows.forEach((row, k) => {
    out.push(row);
    out.push(last && k === rows.length - 1 ? EOI : RST[(firstIndex + k) % 8]!);
  });
  return out;
}

/** One JPEG from images of the same width and tables, top to bottom (each a whole number of MCU rows). */
export function joinJpegRows(parts: readonly JpegRows[]): Buffer {
  const first = parts[0] ?? fail('nothing to join');
  for (const p of parts) if (!joinable(first!, p)) fail('parts differ in width or tables');
  // Every part but the last is whole MCU rows; the last may end inside its last row (the decoder crops it).
  parts.slice(0, -1).forEach((p) => p.height === p.rows.length * p.mcuHeight || fail('a part above the last is not whole MCU rows'));
  const height = parts.slice(0, -1).reduce((h, p) => h + p.height, 0) + parts[parts.length - 1]!.height;
  const pieces: Buffer[] = [jpegHeader(first!, height)];
  let index = 0;
  parts.forEach((p, k) => {
    pieces.push(...rowsWithMarkers(p.rows, index, k === parts.length - 1));
    index += p.rows.length;
  });
  return Buffer.concat(pieces);
}
