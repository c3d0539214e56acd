/**
 * The holder in control, in /app: "Siapa yang melihat data saya" (GET /v1/me/data-users, block/unblock with PUT
 * /v1/me/data-users/{id}), the per-scan e-mail switch (GET/PUT /v1/me/preferences), "Unduh data saya" (GET
 * /v1/me/export saved as a file), "Kunci IKD" (POST /v1/me/lock) and, on the login screen of a self-locked account,
 * "Buka kunci" (POST /v1/auth/unlock, device-signed, with the PIN). resident.js owns the session and the device and
 * hands in what is needed; everything here writes text, never HTML.
 */
import { api, busy, clear, clearFieldErrors, fieldError, formatDateTime, isPin, problemMessage, say, t } from './common.js';

const $ = (id) => document.getElementById(id);
let ctx = null;

/* ---------- Siapa yang melihat data saya ---------- */

function dataUserItem(user) {
  const item = document.createElement('li');
  item.className = 'datauser';
  item.dataset.verifierId = user.verifier.id;
  item.dataset.blocked = String(user.blocked);
  const heading = document.createElement('h4');
  heading.textContent = user.verifier.name;
  const last = document.createElement('p');
  last.className = 'hint';
  if (user.lastAccessAt) {
    const when = document.createElement('time');
    when.dateTime = user.lastAccessAt;
    when.textContent = formatDateTime(user.lastAccessAt);
    last.append(t('holder.users.last'), ' ', when);
  } else last.textContent = t('holder.users.never');
  const count = document.createElement('p');
  count.className = 'hint';
  count.textContent = t('holder.users.count', { count: user.verifications });
  item.append(heading, last, count);
  if (user.blocked) {
    const badge = document.createElement('p');
    badge.className = 'badge blocked';
    badge.textContent = t('holder.users.blocked');
    item.append(badge);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = user.blocked ? 'button secondary' : 'button danger';
  button.dataset.block = String(!user.blocked);
  button.textContent = t(user.blocked ? 'holder.users.unblock' : 'holder.users.block', { name: user.verifier.name });
  button.addEventListener('click', () => setBlocked(user, !user.blocked));
  item.append(button);
  return item;
}

async function loadDataUsers({ keepStatus = false } = {}) {
  const list = $('datausers-list');
  if (!keepStatus) clear('datausers-status');
  list.setAttribute('aria-busy', 'true');
  const result = await ctx.authed('GET', '/v1/me/data-users');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('datausers-status', problemMessage(result.problem, result.headers), 'error');
  const items = result.data.items ?? [];
  list.replaceChildren(...items.map(dataUserItem));
  $('datausers-empty').hidden = items.length > 0;
}

async function setBlocked(user, blocked) {
  clear('datausers-status');
  const path = `/v1/me/data-users/${encodeURIComponent(user.verifier.id)}`;
  const result = await ctx.authed('PUT', path, { blocked });
  if (result.ended) return;
  if (!result.ok) return say('datausers-status', problemMessage(result.problem, result.headers), 'error');
  const name = result.data.verifier?.name ?? user.verifier.name;
  await loadDataUsers({ keepStatus: true });
  say('datausers-status', t(result.data.blocked ? 'holder.users.blockedDone' : 'holder.users.unblockedDone', { name }), 'success');
  // The list was redrawn: keep the focus on this institution's (new) button.
  [...$('datausers-list').children].find((li) => li.dataset.verifierId === user.verifier.id)?.querySelector('button')?.focus();
}

/* ---------- the per-scan e-mail ---------- */

async function loadPreferences() {
  const box = $('scan-notices');
  const result = await ctx.authed('GET', '/v1/me/preferences');
  if (result.ended) return;
  if (!result.ok) return say('scan-notices-status', problemMessage(result.problem, result.headers), 'error');
  box.checked = result.data.scanNotifications === true;
  box.disabled = false;
}

async function savePreferences() {
  const box = $('scan-notices');
  const wanted = box.checked;
  box.disabled = true;
  const result = await ctx.authed('PUT', '/v1/me/preferences', { scanNotifications: wanted });
  box.disabled = false;
  if (result.ended) return;
  if (!result.ok) {
    box.checked = !wanted;
    return say('scan-notices-status', problemMessage(result.problem, result.headers), 'error');
  }
  box.checked = result.data.scanNotifications === true;
  say('scan-notices-status', t(box.checked ? 'holder.notices.on' : 'holder.notices.off'), 'success');
}

/* ---------- Unduh data saya ---------- */

function fileName(disposition) {
  const match = /filename="?([^";]+)"?/i.exec(disposition || '');
  return match ? match[1] : 'ikd-data.json';
}

async function downloadExport() {
  const button = $('export-download');
  clear('export-status');
  const token = ctx.token();
  if (!token) return ctx.authed('GET', '/v1/me/export');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    let res;
    try {
      res = await fetch('/v1/me/export', {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Accept-Language': document.documentElement.lang },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return say('export-status', problemMessage({ code: 'network' }), 'error');
    }
    if (!res.ok) {
      // Through the shared call so an ended session goes back to the login form as everywhere else.
      const again = await ctx.authed('GET', '/v1/me/export');
      if (again.ended) return;
      return say('export-status', problemMessage(again.problem, again.headers), 'error');
    }
    const name = fileName(res.headers.get('content-disposition'));
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    say('export-status', t('holder.export.done', { name }), 'success');
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/* ---------- Kunci IKD and Buka kunci ---------- */

async function submitLock(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('lock-self-status');
  if (!form.elements.confirm.checked) return fieldError(form.elements.confirm, t('field.consent')), form.elements.confirm.focus();
  await busy(form, async () => {
    const result = await ctx.authed('POST', '/v1/me/lock');
    if (result.ended) return;
    if (!result.ok) return say('lock-self-status', problemMessage(result.problem, result.headers), 'error');
    form.reset();
    // Every session ended with the lock, this one too: the login screen, locked, offering "Buka kunci".
    ctx.lockedOut();
    showUnlock({ message: true });
  });
}

/** Shows "Buka kunci" on the login screen (a self-locked account's login is refused: never a dead end). */
export function showUnlock({ message = false } = {}) {
  const box = $('login-unlock');
  box.hidden = false;
  clear('unlock-status');
  if (message) say('login-status', t('holder.locked'), 'info');
  $('unlock-heading').focus();
}

function hideUnlock() {
  $('login-unlock').hidden = true;
}

async function submitUnlock(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('unlock-status');
  const device = ctx.getDevice();
  const nikInput = $('login-nik');
  const nik = nikInput.value.trim() || device?.nik || '';
  const pin = form.elements.pin.value;
  if (!device) return say('unlock-status', t('login.noDevice'), 'error');
  if (!/^[0-9]{16}$/.test(nik)) return fieldError(nikInput, t('field.nik')), nikInput.focus();
  if (!isPin(pin)) return fieldError(form.elements.pin, t('field.pin')), form.elements.pin.focus();
  await busy(form, async () => {
    const signed = await ctx.signedChallenge('unlock');
    if (signed.failed) return say('unlock-status', problemMessage(signed.failed.problem, signed.failed.headers), 'error');
    const result = await api('POST', '/v1/auth/unlock', { nik, challengeId: signed.challengeId, signature: signed.signature, pin });
    form.elements.pin.value = '';
    if (!result.ok) {
      say('unlock-status', ctx.loginProblemMessage(result.problem, result.headers), 'error');
      return form.elements.pin.focus();
    }
    hideUnlock();
    nikInput.value = nik;
    say('login-status', t('holder.unlock.done'), 'success');
    $('login-pin').focus();
  });
}

/* ---------- wiring ---------- */

/**
 * Wires the screens once. `authed` is resident.js's authenticated call, `token()` the session's access token (for the
 * file download), `lockedOut()` ends the session and shows the login form, `signedChallenge`, `getDevice` and
 * `loginProblemMessage` as the login form uses them.
 */
export function wireHolder(context) {
  ctx = context;
  $('datausers-refresh').addEventListener('click', () => loadDataUsers());
  $('scan-notices').addEventListener('change', savePreferences);
  $('export-download').addEventListener('click', downloadExport);
  $('lock-self-form').addEventListener('submit', submitLock);
  $('unlock-form').addEventListener('submit', submitUnlock);
}

/** Handles a failed login: true (and "Buka kunci" shown) when the account is self-locked. */
export function offerUnlockFor(problem) {
  if (problem?.code !== 'account_self_locked') {
    hideUnlock();
    return false;
  }
  showUnlock();
  return true;
}

/** Loads the privacy tab when it is opened; false for tabs that are not ours. */
export async function openHolderTab(name) {
  if (name !== 'privacy') return false;
  await Promise.all([loadDataUsers(), loadPreferences()]);
  return true;
}
