/** The installable app's PNG icons, drawn in code (same design as static/icons/icon.svg) so no binary lives in git. */
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];
const BLUE: Rgba = [11, 79, 138, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const GREY: Rgba = [159, 183, 204, 255];
const RED: Rgba = [200, 16, 46, 255];

/** Signed test "is the point inside a rounded rectangle" (all in units of the icon's side). */
function inRoundRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at a point of the unit square: a KTP card (photo, text lines, red-white band) on Dukcapil blue. */
function colourAt(x: number, y: number, maskable: boolean): Rgba | null {
  // Maskable icons are cropped to a circle of 80 %: the card stays inside the safe zone and the background is full-bleed.
  const s = maskable ? 0.8 : 1;
  const u = (x - 0.5) / s + 0.5;
  const v = (y - 0.5) / s + 0.5;
  const inBackground = maskable || inRoundRect(x, y, 0, 0, 1, 1, 0.2);
  if (!inBackground) return null;
  if (inRoundRect(u, v, 0.14, 0.26, 0.86, 0.74, 0.06)) {
    if (v < 0.34) return v < 0.3 ? RED : WHITE;
    if (inRoundRect(u, v, 0.2, 0.4, 0.42, 0.68, 0.02)) {
      const head = (u - 0.31) ** 2 + (v - 0.5) ** 2 <= 0.05 ** 2;
      const shoulders = (u - 0.31) ** 2 + (v - 0.68) ** 2 <= 0.09 ** 2;
      return head || shoulders ? WHITE : BLUE;
    }
    for (const [top, right] of [[0.42, 0.8], [0.5, 0.74], [0.58, 0.8], [0.64, 0.68]] as const) {
      if (inRoundRect(u, v, 0.48, top, right, top + 0.035, 0.015)) return GREY;
    }
    return WHITE;
  }
  return BLUE;
}

/** A square PNG of the icon, 4×4 supersampled for smooth edges. */
export function renderIconPng(size: number, maskable = false): Uint8Array {
  const png = new PNG({ width: size, height: size });
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable);
          if (!c) continue;
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a / (samples * samples));
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}
