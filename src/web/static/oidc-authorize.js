// /oidc/authorize: counts the QR down and follows the holder's decision (GET /oidc/authorize/{id}/status as server-sent
// events, else polled; bound to this browser by the cookie the page set), then goes where the answer says: the service with a code, or with an error.
const root = document.getElementById('oidc-authorize');
const messages = JSON.parse(document.getElementById('ikd-messages')?.textContent ?? '{}');
const t = (key, vars = {}) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
const id = root?.dataset.requestId;
const expiresAt = Date.parse(root?.dataset.expiresAt ?? '');
const statusLine = document.getElementById('oidc-status');
const countdown = document.getElementById('oidc-countdown');
let finished = false;

function show(status, key) {
  statusLine.dataset.status = status;
  statusLine.textContent = t(key);
  statusLine.className = `notice ${status === 'approved' ? 'success' : status === 'pending' ? '' : 'error'}`;
}

function tick() {
  if (finished) return;
  const seconds = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  countdown.textContent = t('oidc.countdown', { seconds });
  if (seconds === 0) document.querySelector('.qr-frame')?.classList.add('expired');
}

function settle(body) {
  if (finished || body.status === 'pending') return false;
  finished = true;
  show(body.status, body.redirectTo ? `oidc.${body.status}` : 'oidc.done');
  if (body.redirectTo) window.location.assign(body.redirectTo);
  return true;
}

/** Server-sent events where the browser has them; any trouble with the stream falls back to polling. */
function follow() {
  if (!id || typeof EventSource !== 'function') return poll();
  const source = new EventSource(`/oidc/authorize/${encodeURIComponent(id)}/status`);
  source.addEventListener('status', (event) => {
    try {
      if (settle(JSON.parse(event.data))) source.close();
    } catch {
      /* a malformed event: the next one, or polling, settles it */
    }
  });
  source.onerror = () => {
    source.close();
    if (!finished) poll();
  };
}

async function poll() {
  if (finished || !id) return;
  try {
    const res = await fetch(`/oidc/authorize/${encodeURIComponent(id)}/status`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.ok) {
      if (settle(await res.json())) return;
    }
  } catch {
    // offline for a moment: try again on the next round
  }
  setTimeout(poll, 1500);
}

if (root) {
  tick();
  setInterval(tick, 1000);
  follow();
}
