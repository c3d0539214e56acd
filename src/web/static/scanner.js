/**
 * QR scanning with the camera: the browser's BarcodeDetector where it exists, else jsQR (loaded on first use from
 * /assets/vendor/jsqr.js). Pasting the code always works too; this only fills the same text field.
 */
import { t } from './common.js';

let jsQrLoading = null;

function loadJsQr() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  jsQrLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/assets/vendor/jsqr.js';
    script.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error('jsQR missing')));
    script.onerror = () => reject(new Error('jsQR failed to load'));
    document.head.append(script);
  });
  return jsQrLoading;
}

async function makeDecoder() {
  if ('BarcodeDetector' in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
      }
    } catch {
      /* fall through to jsQR */
    }
  }
  const jsQR = await loadJsQr();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) return null;
    canvas.width = w;
    canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    const found = jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'attemptBoth' });
    return found?.data || null;
  };
}

/**
 * Wires a [data-scanner] block: start/stop buttons, a video preview and a status line. onCode(text) gets each
 * decoded QR once; scanning then stops.
 */
export function wireScanner(root, onCode) {
  const start = root.querySelector('[data-scan-start]');
  const stop = root.querySelector('[data-scan-stop]');
  const view = root.querySelector('.scanner-view');
  const video = root.querySelector('video');
  const status = root.querySelector('.scanner-status');
  let stream = null;
  let timer = null;

  const halt = () => {
    clearTimeout(timer);
    timer = null;
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    view.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  };

  if (!navigator.mediaDevices?.getUserMedia) {
    start.disabled = true;
    status.textContent = t('common.camera.unavailable');
  }

  start.addEventListener('click', async () => {
    status.textContent = '';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
      status.textContent = t(error?.name === 'NotAllowedError' ? 'common.camera.denied' : 'common.camera.unavailable');
      return;
    }
    video.srcObject = stream;
    view.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    stop.focus();
    await video.play().catch(() => {});
    status.textContent = t('common.camera.scanning');
    let decode;
    try {
      decode = await makeDecoder();
    } catch {
      halt();
      status.textContent = t('common.camera.unavailable');
      return;
    }
    // A code counts once two frames in a row read the same: a cheap webcam's single misread never reaches the API.
    let previous = null;
    const tick = async () => {
      if (!stream) return;
      const text = await decode(video).catch(() => null);
      const confirmed = text !== null && text === previous;
      previous = text;
      if (confirmed) {
        halt();
        status.textContent = t('common.camera.found');
        onCode(text);
        return;
      }
      timer = setTimeout(tick, 200);
    };
    tick();
  });

  stop.addEventListener('click', () => {
    halt();
    start.focus();
  });
  window.addEventListener('pagehide', halt);
  return { stop: halt };
}
