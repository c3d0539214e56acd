/** Reads a QR code from a screenshot of an element, as a camera at the counter would (jsQR on the pixels). */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
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

/** One 640×480 I420 frame (Y4M) showing `text` as a QR code, for Chromium's fake camera (--use-file-for-fake-video-capture). */
export function qrVideo(text: string): Buffer {
  const width = 640;
  const height = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const scale = Math.floor((height - 40) / (size + 8));
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  const y = Buffer.alloc(width * height, 235);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (top + r * scale + dy) * width + left + c * scale, (top + r * scale + dy) * width + left + (c + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma, chroma]);
}
