// /oidc/authorize: counts the QR down and follows the holder's decision (GET /oidc/authorize/{id}/status, bound to this
// browser by the cookie the page set), then goes where the answer says: the service with a code, or with an error.
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

async function poll() {
  if (finished || !id) return;
  try {
    const res = await fetch(`/oidc/authorize/${encodeURIComponent(id)}/status`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.ok) {
      const body = await res.json();
      if (body.status !== 'pending') {
        finished = true;
        show(body.status, body.redirectTo ? `oidc.${body.status}` : 'oidc.done');
        if (body.redirectTo) window.location.assign(body.redirectTo);
        return;
      }
    }
  } catch {
    // offline for a moment: try again on the next round
  }
  setTimeout(poll, 1500);
}

if (root) {
  tick();
  setInterval(tick, 1000);
  poll();
}
