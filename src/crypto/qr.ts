/** Renders a KTP token as a QR code (error correction M): a compact SVG by default, a PNG data URL on request. */
import QRCode, { type QRCodeSegment } from 'qrcode';

const QUIET_ZONE = 4;
const OPTIONS = { errorCorrectionLevel: 'M' } as const;
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/**
 * A KTP token is base45, whose alphabet is exactly QR's alphanumeric set: one alphanumeric segment, given as such,
 * spares qrcode its optimal-segmentation search (a Dijkstra over a graph of candidate segments: half the time of a
 * whole code). Other text keeps qrcode's automatic segmentation.
 */
const segmentsOf = (text: string): string | QRCodeSegment[] =>
  ALPHANUMERIC.test(text) ? [{ data: text, mode: 'alphanumeric' }] : text;

/** The QR version a text needs at error correction M (the budget is ≤ 9). */
export const qrVersion = (text: string): number => QRCode.create(segmentsOf(text), OPTIONS).version;

/**
 * One stroked path of horizontal runs: ~3.5 KB and ~0.4 ms for a version-7 code, most of it qrcode's mask choice,
 * which we keep (a well-chosen mask scans better on cheap webcams).
 */
export function renderQrSvg(text: string): string {
  const { modules } = QRCode.create(segmentsOf(text), OPTIONS);
  const size = modules.size;
  const data = modules.data;
  let d = '';
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; ) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < size && data[row + end]) end++;
      d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE + 0.5}h${end - x}`;
      x = end;
    }
  }
  const full = size + 2 * QUIET_ZONE;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<path fill="#fff" d="M0 0h${full}v${full}H0z"/><path stroke="#000" d="${d}"/></svg>`
  );
}

/** A PNG data URL (~10 ms: only when the client asks for it). */
export function renderQrPngDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(segmentsOf(text), { ...OPTIONS, margin: QUIET_ZONE, scale: 6, type: 'image/png' });
}
