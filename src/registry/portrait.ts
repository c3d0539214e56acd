/**
 * Generated KTP-el portraits: a small face-like PNG that is a pure function of a seed (the NIK), so every
 * synthetic resident with a KTP-el recording has a stable "photo on record" without storing megabytes of images.
 * Red background for odd birth years and blue for even ones, as on real KTP photos.
 */
import { PNG } from 'pngjs';
import type { Sex } from './port.js';
import { createRandom, type Random } from './prng.js';

export const PORTRAIT_WIDTH = 120;
export const PORTRAIT_HEIGHT = 160;

export interface PortraitOptions {
  sex?: Sex;
  /** Odd → red background, even → blue; also greys the hair of the elderly. */
  birthYear?: number;
  /** Kerudung/jilbab instead of visible hair (women only). */
  headscarf?: boolean;
}

type Rgb = readonly [number, number, number];

const SKIN: readonly Rgb[] = [
  [241, 198, 160],
  [228, 180, 136],
  [212, 160, 116],
  [194, 140, 98],
  [172, 118, 80],
  [146, 96, 62],
  [120, 78, 50],
];
const HAIR: readonly Rgb[] = [
  [22, 18, 16],
  [34, 26, 22],
  [48, 34, 26],
  [62, 44, 30],
];
const GREY_HAIR: readonly Rgb[] = [
  [150, 150, 150],
  [185, 185, 182],
  [120, 118, 115],
];
const CLOTHES: readonly Rgb[] = [
  [245, 245, 242],
  [30, 42, 74],
  [20, 20, 22],
  [110, 72, 40],
  [88, 96, 104],
  [126, 28, 40],
  [36, 86, 60],
];
const SCARF: readonly Rgb[] = [
  [20, 20, 24],
  [236, 232, 224],
  [90, 40, 80],
  [30, 60, 110],
  [150, 110, 80],
  [60, 90, 70],
];

/** Renders the portrait of `seed` as PNG bytes (120×160, RGB). Same seed and options → same bytes. */
export function renderPortrait(seed: string, options: PortraitOptions = {}): Uint8Array {
  const rnd = createRandom(`portrait:${seed}`);
  const canvas = new Canvas(PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
  const female = options.sex === 'PEREMPUAN';
  const year = options.birthYear ?? 1990 + rnd.int(0, 1);
  const elderly = options.birthYear !== undefined && options.birthYear < 1962;

  const background: Rgb = year % 2 === 1 ? jitter(rnd, [196, 32, 38], 14) : jitter(rnd, [28, 84, 170], 14);
  canvas.verticalGradient(background, shade(background, 0.78));

  const skin = jitter(rnd, rnd.pick(SKIN), 6);
  const hair = elderly && rnd.chance(0.75) ? rnd.pick(GREY_HAIR) : rnd.pick(HAIR);
  const cloth = rnd.pick(CLOTHES);
  const cx = 60 + rnd.int(-3, 3);
  const headY = 70 + rnd.int(-3, 3);
  const headRx = female ? rnd.int(24, 28) : rnd.int(26, 31);
  const headRy = rnd.int(33, 38);
  const scarf = female && options.headscarf === true;

  // Shoulders and neck first; the head is drawn over them.
  canvas.ellipse(cx, 178, rnd.int(56, 66), rnd.int(50, 60), cloth);
  if (!scarf) {
    canvas.rect(cx - 10, headY + headRy - 12, 20, 30, shade(skin, 0.9));
    canvas.triangle(cx - 12, 128, cx + 12, 128, cx, 146, shade(skin, 0.9)); // open collar
  }

  if (scarf) {
    const cloth2 = rnd.pick(SCARF);
    canvas.ellipse(cx, headY + 6, headRx + 14, headRy + 16, cloth2);
    canvas.ellipse(cx, 150, 44, 30, cloth2);
  } else if (female) {
    // Long hair behind the head.
    canvas.ellipse(cx, headY + 18, headRx + 9, headRy + 24, hair);
  }

  // Ears, then the face.
  if (!scarf) {
    canvas.ellipse(cx - headRx, headY + 4, 5, 8, shade(skin, 0.92));
    canvas.ellipse(cx + headRx, headY + 4, 5, 8, shade(skin, 0.92));
  }
  canvas.ellipse(cx, headY, headRx, headRy, skin);

  if (!scarf) {
    // Hair cap: the top of an ellipse slightly larger than the head, cut at a seed-dependent hairline.
    const hairline = headY - headRy + rnd.int(female ? 16 : 10, female ? 22 : 17);
    const bald = !female && elderly && rnd.chance(0.3);
    if (!bald) {
      canvas.ellipse(cx, headY - 6, headRx + 3, headRy - 2, hair, { maxY: hairline });
      if (female || rnd.chance(0.4)) canvas.ellipse(cx - 8, hairline - 2, 16, 7, hair); // fringe / parting
    }
  }

  // Eyes, brows, nose, mouth.
  const eyeY = headY + rnd.int(-1, 3);
  const eyeDx = rnd.int(10, 12);
  const iris: Rgb = [rnd.int(20, 50), rnd.int(14, 30), rnd.int(10, 22)];
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeDx;
    canvas.ellipse(ex, eyeY, 5, 3, [238, 236, 230]);
    canvas.ellipse(ex, eyeY, 2, 2, iris);
    canvas.rect(ex - 5, eyeY - 7 - rnd.int(0, 1), 10, female ? 1 : 2, shade(hair, 0.9));
  }
  if (!female && !elderly && rnd.chance(0.15)) {
    for (const side of [-1, 1]) canvas.ring(cx + side * eyeDx, eyeY, 8, 6, [30, 30, 30]); // glasses
    canvas.rect(cx - 4, eyeY - 1, 8, 1, [30, 30, 30]);
  }
  canvas.triangle(cx - 3, eyeY + 14, cx + 3, eyeY + 14, cx, eyeY + 5, shade(skin, 0.82));
  const mouthY = headY + Math.round(headRy * 0.58);
  if (!female && rnd.chance(0.25)) canvas.rect(cx - 8, mouthY - 5, 16, 2, shade(hair, 1)); // moustache
  canvas.ellipse(cx, mouthY, rnd.int(6, 9), 2, female ? [170, 70, 75] : shade(skin, 0.62));

  const png = new PNG({ width: PORTRAIT_WIDTH, height: PORTRAIT_HEIGHT, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = canvas.pixels;
  // Paeth on every row: a quarter of the time of pngjs's adaptive filter choice, and smaller for flat shapes.
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 4 });
}

/** An RGB pixel buffer with the few primitives a portrait needs; coordinates are clipped to the canvas. */
class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
  }

  verticalGradient(top: Rgb, bottom: Rgb): void {
    for (let y = 0; y < this.height; y++) {
      const t = y / (this.height - 1);
      const c: Rgb = [lerp(top[0], bottom[0], t), lerp(top[1], bottom[1], t), lerp(top[2], bottom[2], t)];
      for (let x = 0; x < this.width; x++) this.set(x, y, c);
    }
  }

  rect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(this.width, x0 + w); x++) this.set(x, y, c);
    }
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, c: Rgb, clip: { maxY?: number } = {}): void {
    const yEnd = Math.min(this.height - 1, cy + ry, clip.maxY ?? Infinity);
    for (let y = Math.max(0, cy - ry); y <= yEnd; y++) {
      const dy = (y - cy) / ry;
      const half = Math.sqrt(Math.max(0, 1 - dy * dy)) * rx;
      const xs = Math.max(0, Math.ceil(cx - half));
      const xe = Math.min(this.width - 1, Math.floor(cx + half));
      for (let x = xs; x <= xe; x++) this.set(x, y, c);
    }
  }

  /** The outline of an ellipse, one pixel thick. */
  ring(cx: number, cy: number, rx: number, ry: number, c: Rgb): void {
    const steps = Math.ceil(2 * Math.PI * Math.max(rx, ry));
    for (let i = 0; i < steps; i++) {
      const a = (2 * Math.PI * i) / steps;
      const x = Math.round(cx + rx * Math.cos(a));
      const y = Math.round(cy + ry * Math.sin(a));
      if (x >= 0 && x < this.width && y >= 0 && y < this.height) this.set(x, y, c);
    }
  }

  triangle(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, c: Rgb): void {
    const minX = Math.max(0, Math.min(x1, x2, x3));
    const maxX = Math.min(this.width - 1, Math.max(x1, x2, x3));
    const minY = Math.max(0, Math.min(y1, y2, y3));
    const maxY = Math.min(this.height - 1, Math.max(y1, y2, y3));
    const edge = (ax: number, ay: number, bx: number, by: number, px: number, py: number) =>
      (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    const area = edge(x1, y1, x2, y2, x3, y3);
    if (area === 0) return;
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const w1 = edge(x2, y2, x3, y3, x, y) * area;
        const w2 = edge(x3, y3, x1, y1, x, y) * area;
        const w3 = edge(x1, y1, x2, y2, x, y) * area;
        if (w1 >= 0 && w2 >= 0 && w3 >= 0) this.set(x, y, c);
      }
    }
  }

  private set(x: number, y: number, c: Rgb): void {
    const i = (y * this.width + x) * 3;
    this.pixels[i] = c[0];
    this.pixels[i + 1] = c[1];
    this.pixels[i + 2] = c[2];
  }
}

const lerp = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const shade = (c: Rgb, f: number): Rgb => [clamp(c[0] * f), clamp(c[1] * f), clamp(c[2] * f)];
const jitter = (rnd: Random, c: Rgb, amount: number): Rgb => [
  clamp(c[0] + rnd.int(-amount, amount)),
  clamp(c[1] + rnd.int(-amount, amount)),
  clamp(c[2] + rnd.int(-amount, amount)),
];
