/**
 * The counter asks through a QR (Pindai at a counter): POST /v1/verification-requests with the counter's key shows
 * the QR and its countdown; GET /v1/verification-requests/{id} is polled until the holder approved (the result, shown
 * exactly as a scanned QR's), denied, or the request expired. The result is given once: the first approved answer ends
 * the polling.
 */
import { api, clear, problemMessage, say, t } from './common.js';

const POLL_MS = 1500;
const LIFETIME_MS = 5 * 60_000;
const $ = (id) => document.getElementById(id);

/**
 * Wires the section; `storedKey()` and `counterName()` read the counter's settings, `showResult(ok, data, problem,
 * headers, reason?)` is the counter's own result panel, `onKeyRejected()` sends the counter to its settings.
 */
export function wireCounterRequest({ storedKey, counterName, showResult, onKeyRejected }) {
  let live = null; // { id, expiresAt, pollTimer, tickTimer }

  function stop() {
    if (!live) return;
    clearTimeout(live.pollTimer);
    clearInterval(live.tickTimer);
    live = null;
    $('request-live').hidden = true;
    $('request-qr').removeAttribute('src');
    $('request-start').hidden = false;
  }

  function tick() {
    if (!live) return;
    const seconds = Math.max(0, Math.ceil((live.expiresAt - Date.now()) / 1000));
    $('request-countdown').textContent = t('counter.request.countdown', { seconds });
  }

  async function poll(request) {
    if (live !== request) return;
    const result = await api('GET', `/v1/verification-requests/${encodeURIComponent(request.id)}`, undefined, { token: storedKey() });
    if (live !== request) return;
    if (result.ok && result.data.status === 'pending') {
      request.pollTimer = setTimeout(() => poll(request), POLL_MS);
      return;
    }
    stop();
    if (result.ok && result.data.status === 'approved') return showResult(true, result.data);
    if (result.ok && result.data.status === 'denied') return showResult(false, null, null, null, t('counter.request.denied'));
    const code = result.problem?.code;
    if (code === 'network' || code === 'rate_limited') {
      // Not an answer about the request: keep waiting while it can still be approved.
      live = request;
      $('request-live').hidden = false;
      $('request-start').hidden = true;
      request.tickTimer = setInterval(tick, 1000);
      request.pollTimer = setTimeout(() => poll(request), POLL_MS * 2);
      return;
    }
    if (code === 'verifier_unauthorized') return onKeyRejected();
    if (code === 'request_expired') return showResult(false, null, null, null, t('counter.request.expired'));
    if (code === 'holder_refused') return showResult(false, null, null, null, t('counter.request.refused'));
    showResult(false, null, result.problem, result.headers);
  }

  async function start() {
    clear('request-status');
    const apiKey = storedKey();
    if (!apiKey) return say('request-status', t('counter.needKey'), 'error');
    stop();
    const counter = counterName();
    const button = $('request-start');
    button.disabled = true;
    const result = await api('POST', '/v1/verification-requests', counter ? { counter } : {}, { token: apiKey });
    button.disabled = false;
    if (!result.ok) {
      if (result.problem.code === 'verifier_unauthorized') return onKeyRejected();
      return say('request-status', problemMessage(result.problem, result.headers), 'error');
    }
    // The server's own QR drawing, as an image: never inserted as markup.
    $('request-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.data.svg)}`;
    $('request-qr').dataset.requestId = result.data.id;
    $('request-live').hidden = false;
    button.hidden = true;
    // The countdown runs on this machine's clock from the server's lifetime, not the server's absolute time.
    // (the response's Date header; without one, or with an implausible answer, the request's 5 minutes).
    const lifetime = new Date(result.data.expiresAt).getTime() - Date.parse(result.headers?.get?.('Date') || '');
    const request = { id: result.data.id, expiresAt: Date.now() + (lifetime > 0 && lifetime <= LIFETIME_MS ? lifetime : LIFETIME_MS) };
    live = request;
    tick();
    request.tickTimer = setInterval(tick, 1000);
    request.pollTimer = setTimeout(() => poll(request), POLL_MS);
  }

  function cancel() {
    stop();
    say('request-status', t('counter.request.cancelled'), 'info');
  }

  $('request-start').addEventListener('click', start);
  $('request-cancel').addEventListener('click', cancel);
  return { stop };
}
