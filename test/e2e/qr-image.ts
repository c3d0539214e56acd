/** Reads a QR code from a screenshot of an element, as a camera at the counter would (jsQR on the pixels). */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from 'playwright-core';

export async function scanQrFrom(locator: Locator): Promise<string | null> {
  const png = PNG.sync.read(await locator.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return found?.data ?? null;
}

/** A small selfie-like PNG (a face on a plain background) for the registration form's file input. */
export function selfiePng(width = 240, height = 320): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const face = ((x - width / 2) / (width * 0.28)) ** 2 + ((y - height * 0.42) / (height * 0.27)) ** 2 <= 1;
      const body = y > height * 0.72 && Math.abs(x - width / 2) < width * 0.42;
      const eye = ((x - width * 0.4) ** 2 + (y - height * 0.38) ** 2 < 36) || ((x - width * 0.6) ** 2 + (y - height * 0.38) ** 2 < 36);
      const [r, g, b] = eye ? [40, 30, 20] : face ? [224, 178, 140] : body ? [30, 80, 160] : [200, 220, 235];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
