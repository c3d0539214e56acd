/**
 * The /app Pindai screen: the holder scans (or pastes) a QR of a login request (auth.<id>, "Masuk dengan IKD") or of a
 * counter's request (verify.<id>), sees who asks for what, and approves with the PIN (for a counter, sharing all or
 * fewer of the elements) or denies. Opened from the menu or by the link /app#pindai=<kind>.<id>; that fragment is kept
 * through the login. resident.js owns the session and hands in its `authed` call; everything here writes text, never HTML.
 */
import { busy, clear, clearFieldErrors, fieldError, formatDateTime, isPin, problemMessage, say, t } from './common.js';
import { wireScanner } from './scanner.js';

const $ = (id) => document.getElementById(id);
const label = (key, fallback) => (t(key) === key ? fallback : t(key));
const PENDING_KEY = 'ikd.pindai.pending';

let authed = null;
let current = null; // { kind: 'auth' | 'verify', id, view }

/** auth.<id> or verify.<id> from a pasted code: the bare code, or any URL whose fragment or query carries pindai=. */
export function parsePindaiCode(text) {
  const raw = String(text ?? '').trim();
  const match = /^(?:.*[#?&]pindai=)?(auth|verify)\.([A-Za-z0-9_-]{1,64})$/.exec(raw);
  return match ? { kind: match[1], id: match[2] } : null;
}

/** A #pindai= fragment in the address: remembered (through the login) and taken off the address bar. */
export function rememberPindaiFragment() {
  const found = parsePindaiCode(location.hash.startsWith('#pindai=') ? location.hash : '');
  if (!found) return false;
  sessionStorage.setItem(PENDING_KEY, `${found.kind}.${found.id}`);
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}

/** After the home screen is up: opens Pindai at a remembered request, if there is one. */
export async function takePendingPindai(openTab) {
  const code = sessionStorage.getItem(PENDING_KEY);
  if (!code) return false;
  sessionStorage.removeItem(PENDING_KEY);
  await openTab('pindai');
  await loadCode(code);
  return true;
}

export async function openPindaiTab(name) {
  if (name !== 'pindai') return;
  if (!current) $('pindai-code').focus();
}

function reset() {
  current = null;
  $('pindai-request').hidden = true;
  $('pindai-claims').replaceChildren();
  $('pindai-decide').reset();
  clearFieldErrors($('pindai-decide'));
  clear('pindai-status');
}

function showOutcome(text, kind) {
  reset();
  say('pindai-status', text, kind);
}

function problemText(problem, headers) {
  const code = problem?.code;
  const own = code ? t(`pindai.err.${code}`) : '';
  return own && own !== `pindai.err.${code}` ? own : problemMessage(problem, headers);
}

async function loadCode(text) {
  reset();
  const code = parsePindaiCode(text);
  if (!code) return fieldError($('pindai-code'), t('pindai.codeInvalid')), $('pindai-code').focus();
  fieldError($('pindai-code'), '');
  const path = code.kind === 'auth' ? `/v1/me/authorization-requests/${code.id}` : `/v1/me/verification-requests/${code.id}`;
  const result = await authed('GET', path);
  if (result.ended) return;
  if (!result.ok) return showOutcome(problemText(result.problem, result.headers), 'error');
  const view = result.data;
  if (view.status && view.status !== 'pending') return showOutcome(t('pindai.decidedAlready'), 'error');
  current = { ...code, view };
  $('pindai-code').value = '';
  render();
}

function render() {
  const { kind, view } = current;
  const asker = kind === 'auth' ? view.client?.name : view.verifier?.name;
  $('pindai-asker').textContent = t(kind === 'auth' ? 'pindai.asksLogin' : 'pindai.asksVerify', { name: asker ?? '' });
  $('pindai-counter').hidden = !(kind === 'verify' && view.counter);
  $('pindai-counter').textContent = view.counter ? t('pindai.counter', { counter: view.counter }) : '';
  $('pindai-expires').textContent = t('pindai.expires', { time: formatDateTime(view.expiresAt) });
  $('pindai-choose').hidden = kind !== 'verify';
  const list = $('pindai-claims');
  if (kind === 'auth') {
    for (const scope of view.scopes ?? []) {
      const li = document.createElement('li');
      li.textContent = label(`oidc.scope.${scope}`, scope);
      list.append(li);
    }
  } else {
    for (const element of view.elements ?? []) {
      const li = document.createElement('li');
      li.className = 'field check';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = true;
      box.id = `pindai-el-${element}`;
      box.value = element;
      box.name = 'element';
      const text = document.createElement('label');
      text.htmlFor = box.id;
      text.textContent = label(`el.${element}`, element);
      li.append(box, text);
      list.append(li);
    }
    if (view.document) {
      const li = document.createElement('li');
      li.textContent = label(`doc.${view.document}`, view.document);
      list.append(li);
    }
  }
  $('pindai-blocked').hidden = !view.blocked;
  $('pindai-request').hidden = false;
  $('pindai-asker').focus();
}

async function decide(decision) {
  if (!current) return;
  const form = $('pindai-decide');
  clearFieldErrors(form);
  clear('pindai-status');
  const body = { decision };
  if (decision === 'approve') {
    const pin = form.elements.pin.value;
    if (!isPin(pin)) return fieldError(form.elements.pin, t('field.pin')), form.elements.pin.focus();
    body.pin = pin;
    if (current.kind === 'verify') {
      body.elements = [...$('pindai-claims').querySelectorAll('input[name=element]:checked')].map((box) => box.value);
      if (body.elements.length === 0 && !current.view.document) return say('pindai-status', t('pindai.chooseOne'), 'error');
    }
  }
  const { kind, id, view } = current;
  const path = kind === 'auth' ? `/v1/me/authorization-requests/${id}` : `/v1/me/verification-requests/${id}`;
  await busy(form, async () => {
    const result = await authed('POST', path, body);
    form.elements.pin.value = '';
    if (result.ended) return;
    if (!result.ok) {
      if (result.problem.code === 'pin_invalid') return fieldError(form.elements.pin, problemText(result.problem)), form.elements.pin.focus();
      return showOutcome(problemText(result.problem, result.headers), 'error');
    }
    const name = kind === 'auth' ? view.client?.name : view.verifier?.name;
    if (result.data.status === 'approved') showOutcome(t(kind === 'auth' ? 'pindai.approvedLogin' : 'pindai.approvedVerify', { name }), 'success');
    else showOutcome(t('pindai.denied', { name }), 'info');
  });
}

export function wirePindai(authedCall) {
  authed = authedCall;
  wireScanner($('pindai-scanner'), (text) => {
    $('pindai-code').value = text;
    loadCode(text);
  });
  $('pindai-code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadCode($('pindai-code').value);
  });
  $('pindai-decide').addEventListener('submit', (event) => {
    event.preventDefault();
    decide('approve');
  });
  $('pindai-deny').addEventListener('click', () => decide('deny'));
}
