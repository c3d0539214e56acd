/**
 * The resident app (/app): registration with a device key, the registration QR for the operator, PIN login,
 * the KTP card, the 90-second KTP QR with its countdown, access history, PIN change, account deletion.
 * The access token lives in sessionStorage and goes out as a Bearer header: no cookie, so no CSRF.
 */
import * as ed from './vendor/noble-ed25519.js';
import {
  api,
  base64url,
  busy,
  clear,
  clearFieldErrors,
  fieldError,
  formatDate,
  formatClock,
  formatDateTime,
  isPin,
  problemMessage,
  say,
  setReaderZone,
  showFieldProblems,
  showView,
  svgDataUrl,
  t,
  wireCopyButtons,
} from './common.js';
import { forgetDevice, loadDevice, saveDevice, updateDevice } from './keystore.js';
import { openDocumentsTab, wireDocuments } from './app-documents.js';
import { openDataBalikanTab, wireDataBalikan } from './app-data-balikan.js';
import { offerUnlockFor, openHolderTab, wireHolder } from './app-holder.js';
import { wirePinReset } from './app-pin-reset.js';
import { openPindaiTab, rememberPindaiFragment, takePendingPindai, wirePindai } from './app-pindai.js';
import { openServicesTab, wireServices } from './app-services.js';

const VIEWS = ['view-loading', 'view-register', 'view-regqr', 'view-login', 'view-home', 'view-pin-reset'];
const TABS = ['ktp', 'qr', 'pindai', 'biodata', 'family', 'documents', 'services', 'tracking', 'databalikan', 'history', 'privacy', 'settings'];
const SESSION_KEY = 'ikd.resident.session';
const SELFIE_MAX_BYTES = 300 * 1024;
const $ = (id) => document.getElementById(id);

let device = null;
let selfie = null;
let pollTimer = null;
let regQrTimer = null;
let countdownTimer = null;
let qrStatusTimer = null;
const QR_STATUS_POLL_MS = 1500;
let historyCursor = null;
let ktpLoaded = false;

/* ---------- session ---------- */

function readSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && typeof s.accessToken === 'string' ? s : null;
  } catch {
    return null;
  }
}
const saveSession = (s) => sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
const dropSession = () => sessionStorage.removeItem(SESSION_KEY);

/** An authenticated call; an expired or revoked session sends the resident back to the login form. */
async function authed(method, path, body) {
  const session = readSession();
  if (!session) {
    endSession('login.expired');
    return { ok: false, problem: { code: 'unauthorized' }, ended: true };
  }
  const result = await api(method, path, body, { token: session.accessToken });
  if (!result.ok && result.status === 401 && result.problem.code === 'unauthorized') {
    endSession('login.expired');
    return { ...result, ended: true };
  }
  return result;
}

function endSession(messageKey, kind = 'info') {
  dropSession();
  stopCountdown();
  ktpLoaded = false;
  showLogin();
  if (messageKey) say('login-status', t(messageKey), kind);
}

/* ---------- device signatures ---------- */

async function sign(purpose, challengeId, nonce) {
  const message = new TextEncoder().encode(`ikd-v1|${purpose}|${challengeId}|${nonce}`);
  return base64url(await ed.signAsync(message, device.secretKey));
}

/** Fetches a challenge and signs it with the device key: { challengeId, signature } or a failed api() result. */
async function signedChallenge(purpose) {
  const challenge = await api('POST', '/v1/challenges', { purpose });
  if (!challenge.ok) return { failed: challenge };
  const { challengeId, nonce, expiresAt } = challenge.data;
  return { challengeId, signature: await sign(purpose, challengeId, nonce), challengeExpiresAt: expiresAt };
}

/* ---------- registration ---------- */

function showRegister() {
  stopPolling();
  showView(VIEWS, 'view-register');
}

async function readSelfie(file) {
  const bitmap = await createImageBitmap(file);
  return encodeSelfie(bitmap, bitmap.width, bitmap.height);
}

/** Downsizes to ≤ 720 px and re-encodes as JPEG until it fits the API's 300 KB. */
function encodeSelfie(source, width, height) {
  const scale = Math.min(1, 720 / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d').drawImage(source, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.75, 0.6, 0.45, 0.3]) {
    const url = canvas.toDataURL('image/jpeg', quality);
    const bytes = Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4);
    if (bytes <= SELFIE_MAX_BYTES) return url;
  }
  return null;
}

function setSelfie(dataUrl) {
  const input = $('reg-selfie');
  const preview = $('reg-selfie-preview');
  selfie = dataUrl;
  fieldError(input, '');
  if (dataUrl) {
    preview.src = dataUrl;
    preview.hidden = false;
  } else {
    preview.removeAttribute('src');
    preview.hidden = true;
  }
}

function wireSelfie() {
  const input = $('reg-selfie');
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return setSelfie(null);
    try {
      const url = await readSelfie(file);
      if (!url) {
        setSelfie(null);
        return fieldError(input, t('reg.selfieTooBig'));
      }
      setSelfie(url);
    } catch {
      setSelfie(null);
      fieldError(input, t('reg.selfieUnreadable'));
    }
  });

  // A live camera capture where the browser has one (phones also offer the camera through the file input).
  if (!navigator.mediaDevices?.getUserMedia) return;
  const open = $('selfie-camera');
  const view = $('selfie-camera-view');
  const video = view.querySelector('video');
  let stream = null;
  const stop = () => {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    view.hidden = true;
  };
  open.hidden = false;
  open.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
    } catch (error) {
      return fieldError(input, t(error?.name === 'NotAllowedError' ? 'common.camera.denied' : 'common.camera.unavailable'));
    }
    video.srcObject = stream;
    view.hidden = false;
    await video.play().catch(() => {});
    $('selfie-take').focus();
  });
  $('selfie-take').addEventListener('click', () => {
    if (!video.videoWidth) return;
    const url = encodeSelfie(video, video.videoWidth, video.videoHeight);
    stop();
    if (url) setSelfie(url);
    else fieldError(input, t('reg.selfieTooBig'));
    open.focus();
  });
  window.addEventListener('pagehide', stop);
}

/** "+62 812-3456-7890" as typed or pasted → "+6281234567890": spaces, dashes, dots and brackets dropped, nothing cut. */
const compactPhone = (value) => value.replace(/[\s().-]/g, '');

function validateRegistration(form) {
  const v = (name) => form.elements[name].value.trim();
  const problems = [];
  if (!/^[0-9]{16}$/.test(v('nik'))) problems.push('nik');
  if (!v('name')) problems.push('name');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v('birthDate'))) problems.push('birthDate');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v('email'))) problems.push('email');
  if (!/^\+?[0-9]{9,15}$/.test(compactPhone(v('phone')))) problems.push('phone');
  if (!form.elements.consent.checked) problems.push('consent');
  return problems;
}

async function submitRegistration(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('register-status');
  if (selfie === null && $('reg-selfie').getAttribute('aria-invalid') === 'true') return $('reg-selfie').focus();
  const problems = validateRegistration(form);
  if (problems.length) {
    showFieldProblems(form, { errors: problems.map((path) => ({ path })) });
    return say('register-status', t('err.invalid_request'), 'error');
  }
  await busy(form, async () => {
    say('register-status', t('reg.creatingKey'));
    const secretKey = ed.utils.randomSecretKey();
    const publicKey = base64url(await ed.getPublicKeyAsync(secretKey));
    const body = {
      nik: form.elements.nik.value.trim(),
      name: form.elements.name.value.trim(),
      birthDate: form.elements.birthDate.value,
      email: form.elements.email.value.trim(),
      phone: compactPhone(form.elements.phone.value),
      devicePublicKey: publicKey,
      ...(selfie ? { selfie } : {}),
    };
    const result = await api('POST', '/v1/registrations', body);
    if (!result.ok) {
      if (result.problem.code === 'invalid_request') {
        showFieldProblems(form, result.problem);
        // 16 digits the registry's structure refuses (region codes, birth date, serial): about validity, not length.
        if (form.elements.nik.getAttribute('aria-invalid') === 'true' && /^[0-9]{16}$/.test(body.nik)) fieldError(form.elements.nik, t('field.nikInvalid'));
      }
      // One answer for every refusal (the NIK's existence stays secret), so the page names both possible causes.
      if (result.problem.code === 'registration_rejected') return say('register-status', t('reg.rejected'), 'error');
      return say('register-status', problemMessage(result.problem, result.headers), 'error');
    }
    // The key is kept only once the service knows it: a refused registration leaves nothing behind.
    device = {
      secretKey,
      publicKey,
      nik: body.nik,
      registrationId: result.data.registrationId,
      status: result.data.status,
      createdAt: new Date().toISOString(),
    };
    await saveDevice(device);
    form.reset();
    setSelfie(null);
    clear('register-status');
    say('app-status', t('reg.done'), 'success');
    await showRegistrationQr();
  });
}

/* ---------- registration QR and status polling ---------- */

function stopPolling() {
  clearTimeout(pollTimer);
  clearTimeout(regQrTimer);
  pollTimer = regQrTimer = null;
}

async function showRegistrationQr() {
  showView(VIEWS, 'view-regqr');
  setRegistrationState('pending_verification');
  await loadRegistrationQr();
  pollRegistration();
}

/** "Perbarui kode QR": the button shows it is working, then a line says the code was renewed (errors go to app-status). */
async function refreshRegistrationQr() {
  const button = $('regqr-refresh');
  clear('regqr-refresh-status');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('regqr.refreshing');
  try {
    if (await loadRegistrationQr()) say('regqr-refresh-status', t('regqr.refreshed', { time: formatClock(new Date().toISOString()) }), 'success');
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = t('regqr.refresh');
  }
}

/** Fetches a fresh registration QR and shows it; true when it did. */
async function loadRegistrationQr() {
  clearTimeout(regQrTimer);
  const signed = await signedChallenge('registration_qr');
  if (signed.failed) return say('app-status', problemMessage(signed.failed.problem, signed.failed.headers), 'error'), false;
  const result = await api('POST', `/v1/registrations/${encodeURIComponent(device.registrationId)}/qr`, {
    challengeId: signed.challengeId,
    signature: signed.signature,
  });
  if (!result.ok) {
    if (result.problem.code === 'registration_not_pending') return await checkRegistration(), false;
    say('app-status', problemMessage(result.problem, result.headers), 'error');
    if (result.problem.code === 'signature_invalid' || result.problem.code === 'not_found') $('regqr-restart').hidden = false;
    return false;
  }
  $('regqr-image').src = svgDataUrl(result.data.svg);
  $('regqr-text').value = result.data.qr;
  // Its lifetime in the server's clock (the challenge was created just now and lives 120 s), not this phone's.
  const lifetime = Date.parse(result.data.expiresAt) - (Date.parse(signed.challengeExpiresAt) - 120_000);
  regQrTimer = setTimeout(loadRegistrationQr, Math.max(30_000, lifetime - 10_000));
  return true;
}

function setRegistrationState(status, rejectionReason) {
  const badge = $('regqr-state');
  // An operator's rejection comes with the operator's words (also e-mailed); a registry refusal never has one.
  const reason = $('regqr-reason');
  reason.hidden = !(status === 'rejected' && rejectionReason);
  reason.textContent = reason.hidden ? '' : t('regqr.reason', { reason: rejectionReason });
  const pending = status === 'pending_verification';
  $('regqr-image').closest('figure').hidden = !pending;
  $('regqr-image').closest('section').querySelector('.code-text').hidden = !pending;
  $('regqr-refresh').hidden = !pending;
  $('regqr-restart').hidden = !(status === 'rejected' || status === 'expired');
  $('regqr-login').hidden = status !== 'awaiting_activation';
  badge.className = 'badge';
  if (pending) badge.textContent = t('regqr.waiting');
  else if (status === 'awaiting_activation') {
    badge.classList.add('ok');
    badge.textContent = t('regqr.approved');
  } else if (status === 'rejected' || status === 'expired') {
    badge.classList.add('bad');
    badge.textContent = t(`regqr.${status}`);
  }
}

async function checkRegistration() {
  const result = await api('GET', `/v1/registrations/${encodeURIComponent(device.registrationId)}`);
  if (!result.ok) return result.problem.code === 'not_found' ? 'unknown' : null;
  const { status, rejectionReason } = result.data;
  if (status !== device.status) {
    device.status = status;
    await updateDevice({ status });
  }
  if (status === 'active') {
    stopPolling();
    showLogin();
    say('login-status', t('regqr.active'), 'success');
    return status;
  }
  if (status !== 'pending_verification') clearTimeout(regQrTimer);
  setRegistrationState(status, rejectionReason);
  await followVideoCall(status === 'pending_verification' && result.data.videoCallOpen === true);
  return status;
}

/**
 * While an operator's video call for this registration is open, shows its room and liveness phrase: read by a
 * device-signed request once the status poll says a call is open, hidden again when it closes.
 */
async function followVideoCall(open) {
  const box = $('regqr-video');
  if (!open) {
    box.hidden = true;
    return;
  }
  if (!box.hidden && Date.parse(box.dataset.expiresAt || '') > Date.now()) return;
  const signed = await signedChallenge('registration_qr');
  if (signed.failed) return;
  const result = await api('POST', `/v1/registrations/${encodeURIComponent(device.registrationId)}/video-call`, {
    challengeId: signed.challengeId,
    signature: signed.signature,
  });
  if (!result.ok) return;
  const room = /^https?:\/\//.test(result.data.roomUrl) ? result.data.roomUrl : null;
  const link = $('regqr-video-room');
  link.hidden = !room;
  if (room) link.href = room;
  $('regqr-video-url').textContent = result.data.roomUrl;
  $('regqr-video-phrase').textContent = result.data.livenessPhrase;
  box.dataset.expiresAt = result.data.expiresAt;
  box.hidden = false;
}

function pollRegistration() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    if ($('view-regqr').hidden) return;
    const status = await checkRegistration();
    if (status === 'pending_verification' || status === 'awaiting_activation' || status === null) pollRegistration();
  }, 3000);
}

/* ---------- login ---------- */

function showLogin() {
  stopPolling();
  showView(VIEWS, 'view-login');
  const nik = $('login-nik');
  if (device?.nik && !nik.value) nik.value = device.nik;
  (nik.value ? $('login-pin') : nik).focus();
}

/** A failed login; a device-signed wrong PIN says how many tries are left before the lock (2, 1, then locked). */
function loginProblemMessage(problem, headers) {
  const left = problem?.code === 'login_failed' ? problem.attemptsRemaining : undefined;
  if (typeof left !== 'number' || left > 2) return problemMessage(problem, headers);
  if (left === 0) return t('login.lockedNow');
  return t(left === 1 ? 'login.attemptsOne' : 'login.attemptsMany', { count: left });
}

async function submitLogin(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('login-status');
  clear('app-status');
  const nik = form.elements.nik.value.trim();
  const pin = form.elements.pin.value;
  if (!device) return say('login-status', t('login.noDevice'), 'error');
  if (!/^[0-9]{16}$/.test(nik)) return fieldError(form.elements.nik, t('field.nik')), form.elements.nik.focus();
  if (!isPin(pin)) return fieldError(form.elements.pin, t('field.pin')), form.elements.pin.focus();
  await busy(form, async () => {
    const signed = await signedChallenge('login');
    if (signed.failed) return say('login-status', problemMessage(signed.failed.problem, signed.failed.headers), 'error');
    const result = await api('POST', '/v1/auth/login', { nik, challengeId: signed.challengeId, signature: signed.signature, pin });
    form.elements.pin.value = '';
    if (!result.ok) {
      say('login-status', loginProblemMessage(result.problem, result.headers), 'error');
      // A self-locked account is offered "Buka kunci" (device + PIN) right here, with the focus on it.
      if (offerUnlockFor(result.problem)) return;
      return form.elements.pin.focus();
    }
    offerUnlockFor(null);
    saveSession({ accessToken: result.data.accessToken, expiresAt: result.data.expiresAt });
    if (device.nik !== nik || device.status !== 'active') {
      device = { ...device, nik, status: 'active' };
      await updateDevice({ nik, status: 'active' });
    }
    await showHome();
    say('app-status', t('login.ok'), 'success');
  });
}

/* ---------- home: tabs ---------- */

async function showHome() {
  showView(VIEWS, 'view-home', { focus: false });
  // The KTP tab is chosen at once (its data loads after): a tab tapped meanwhile is never switched back.
  const ktp = openTab('ktp', { focus: false });
  $('home-greeting').focus();
  const me = await authed('GET', '/v1/me');
  if (me.ended) return;
  if (me.ok) setReaderZone(me.data?.timeZone);
  if (me.ok && me.data?.name) $('home-greeting').textContent = t('home.greeting', { name: me.data.name });
  await ktp;
  await takePendingPindai(openTab);
}

async function openTab(name, { focus = true } = {}) {
  clear('app-status');
  for (const tab of TABS) $(`tab-${tab}`).hidden = tab !== name;
  for (const button of document.querySelectorAll('.tabs [data-tab]')) {
    if (button.dataset.tab === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (focus) $(`tab-${name}`).querySelector('h2')?.focus();
  if (name === 'ktp' && !ktpLoaded) await loadKtp();
  if (name === 'history') await loadHistory(true);
  await openDocumentsTab(name, authed);
  await openDataBalikanTab(name, authed);
  await openServicesTab(name, authed);
  await openHolderTab(name);
  await openPindaiTab(name);
  if (name === 'qr' && !$('qr-form').hidden) $('qr-pin').focus();
}

/* ---------- KTP card ---------- */

const ELEMENT_ROWS = ['birth', 'sex', 'bloodType', 'address', 'rtrw', 'village', 'district', 'religion', 'maritalStatus', 'occupation', 'citizenship'];

async function loadKtp() {
  const card = $('ktp-card');
  card.setAttribute('aria-busy', 'true');
  const result = await authed('GET', '/v1/me/ktp');
  card.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) {
    card.replaceChildren();
    return say('app-status', problemMessage(result.problem, result.headers), 'error');
  }
  ktpLoaded = true;
  renderKtp(card, result.data?.ktp ?? result.data);
}

function renderKtp(card, k) {
  const a = k.address ?? {};
  const values = {
    birth: [k.birthPlace, k.birthDate ? formatDate(k.birthDate) : ''].filter(Boolean).join(', '),
    sex: k.sex,
    bloodType: k.bloodType,
    address: a.street,
    rtrw: a.rt || a.rw ? `${a.rt ?? '-'}/${a.rw ?? '-'}` : '',
    village: a.village,
    district: a.district,
    religion: k.religion,
    maritalStatus: k.maritalStatus,
    occupation: k.occupation,
    citizenship: k.citizenship,
  };
  const top = document.createElement('div');
  top.className = 'ktp-top';
  top.append(t('ktp.country'));
  for (const line of [a.province && `${t('el.province')} ${a.province}`, a.regency].filter(Boolean)) {
    top.append(document.createElement('br'), line);
  }
  const nik = document.createElement('p');
  nik.className = 'ktp-nik';
  nik.textContent = `${t('el.nik')} : ${k.nik ?? ''}`;
  // Rows are <div>s inside the <dl> so the photo can float beside the first ones and the rest use the full width.
  const list = document.createElement('dl');
  for (const [label, value] of [[t('el.name'), k.name], ...ELEMENT_ROWS.map((key) => [t(`el.${key}`), values[key]])]) {
    if (!value) continue;
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.append(...unbreakableWords(label));
    const dd = document.createElement('dd');
    dd.append(...unbreakableWords(value));
    row.append(dt, dd);
    list.append(row);
  }
  const body = document.createElement('div');
  body.className = 'ktp-body';
  const photo = photoSource(k.photo);
  if (photo) {
    const img = document.createElement('img');
    img.src = photo;
    img.alt = t('ktp.photoAlt', { name: k.name ?? '' });
    body.append(img);
  }
  body.append(list);
  const foot = document.createElement('p');
  foot.className = 'ktp-foot';
  foot.textContent = t('ktp.validity');
  card.replaceChildren(top, nik, body, foot);
}

/**
 * A text as words that never break inside ("LAKI-LAKI", "Tempat/Tgl"), with the spaces between them as the only
 * line-break opportunities; text nodes, never HTML.
 */
function unbreakableWords(text) {
  const nodes = [];
  for (const part of String(text).split(/(\s+)/)) {
    if (!part) continue;
    if (/^\s+$/.test(part)) {
      nodes.push(document.createTextNode(' '));
      continue;
    }
    const word = document.createElement('span');
    word.className = 'w';
    word.textContent = part;
    nodes.push(word);
  }
  return nodes;
}

/** The API gives photos as data URLs; only image data URLs are ever put into an <img>. */
function photoSource(photo) {
  const url = typeof photo === 'string' ? photo : photo?.dataUrl;
  return typeof url === 'string' && /^data:image\/(png|jpeg|webp);base64,/.test(url) ? url : null;
}

/* ---------- KTP QR with its 90-second countdown ---------- */

function stopCountdown() {
  clearTimeout(countdownTimer);
  countdownTimer = null;
  clearTimeout(qrStatusTimer);
  qrStatusTimer = null;
}

/** While the QR is on screen, asks every 1.5 s whether a counter redeemed it, so the screen stops counting down. */
function watchQrStatus() {
  clearTimeout(qrStatusTimer);
  qrStatusTimer = setTimeout(async () => {
    // Not asked while nobody can see the QR (another tab of the app, or the browser in the background).
    if (document.hidden || $('tab-qr').hidden) return watchQrStatus();
    const result = await authed('GET', '/v1/me/ktp/qr/status');
    if (countdownTimer === null) return; // the QR left the screen meanwhile
    if (result.ok && result.data?.status === 'used') return showQrUsed(result.data);
    if (result.ok && (result.data?.status === 'revoked' || result.data?.status === 'expired')) return expireQr();
    watchQrStatus();
  }, QR_STATUS_POLL_MS);
}

function showQrUsed(status) {
  stopCountdown();
  $('qr-show').hidden = true;
  $('qr-text').value = '';
  const who = [status.verifier?.name, status.counter].filter(Boolean).join(' · ') || '—';
  $('qr-used-text').textContent = t('qr.used', { who, time: status.usedAt ? formatClock(status.usedAt) : '' });
  $('qr-used').hidden = false;
  say('qr-announce', $('qr-used-text').textContent);
  $('qr-used-fresh').focus();
}


async function submitQr(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('qr-status');
  const pin = form.elements.pin.value;
  if (!isPin(pin)) {
    fieldError(form.elements.pin, t('field.pin'));
    return form.elements.pin.focus();
  }
  const chosen = [...form.querySelectorAll('input[name="disclose"]:checked')].map((el) => el.value);
  const all = form.querySelectorAll('input[name="disclose"]').length;
  await busy(form, async () => {
    const requested = performance.now();
    const result = await authed('POST', '/v1/me/ktp/qr', { pin, format: 'svg', ...(chosen.length < all ? { elements: chosen } : {}) });
    form.elements.pin.value = '';
    if (result.ended) return;
    if (!result.ok) {
      // Once: beside the PIN when the PIN is what is wrong, else in the status line.
      if (result.problem.code === 'pin_invalid' || result.problem.code === 'invalid_request') {
        fieldError(form.elements.pin, problemMessage(result.problem));
        return form.elements.pin.focus();
      }
      say('qr-status', problemMessage(result.problem, result.headers), 'error');
      if (result.problem.code === 'account_suspended' || result.problem.code === 'account_locked') return;
      return form.elements.pin.focus();
    }
    showQr(result.data, requested);
  });
}

function showQr(data, requestedAt) {
  const show = $('qr-show');
  $('qr-image').src = data.svg ? svgDataUrl(data.svg) : data.png;
  $('qr-text').value = data.token;
  show.classList.remove('expired');
  show.hidden = false;
  show.querySelector('.code-text').hidden = false;
  $('qr-expired').hidden = true;
  $('qr-used').hidden = true;
  $('qr-form').hidden = true;
  say('qr-announce', t('qr.issued'));
  // Counted from when the request left (the server's 90 s started no earlier), on the monotonic clock.
  const ttl = Number(data.ttlSeconds) || 90;
  $('qr-progress').max = ttl;
  stopCountdown();
  const tick = () => {
    const left = Math.max(0, Math.ceil(ttl - (performance.now() - requestedAt) / 1000));
    $('qr-countdown').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    $('qr-countdown').setAttribute('aria-label', t('qr.seconds', { s: left }));
    $('qr-progress').value = left;
    $('qr-show').querySelector('.countdown').classList.toggle('low', left <= 10);
    if (left === 30 || left === 10) say('qr-announce', t('qr.seconds', { s: left }));
    if (left <= 0) return expireQr();
    countdownTimer = setTimeout(tick, 250);
  };
  tick();
  watchQrStatus();
  $('qr-show').scrollIntoView({ block: 'center' });
}

function expireQr() {
  stopCountdown();
  const show = $('qr-show');
  show.classList.add('expired');
  show.querySelector('.code-text').hidden = true;
  $('qr-text').value = '';
  $('qr-expired').hidden = false;
  say('qr-announce', t('qr.expired'));
  $('qr-fresh').focus();
}

function offerFreshQr() {
  stopCountdown();
  $('qr-show').hidden = true;
  $('qr-expired').hidden = true;
  $('qr-used').hidden = true;
  $('qr-form').hidden = false;
  $('qr-pin').focus();
}

/* ---------- access history ---------- */

async function loadHistory(reset) {
  const list = $('history-list');
  if (reset) historyCursor = null;
  const path = `/v1/me/access-history${historyCursor ? `?cursor=${encodeURIComponent(historyCursor)}` : ''}`;
  const result = await authed('GET', path);
  if (result.ended) return;
  if (!result.ok) return say('history-status', problemMessage(result.problem, result.headers), 'error');
  clear('history-status');
  if (reset) list.replaceChildren();
  for (const item of result.data.items ?? []) list.append(historyItem(item));
  historyCursor = result.data.nextCursor ?? null;
  $('history-more').hidden = !historyCursor;
  $('history-empty').hidden = list.children.length > 0;
}

function historyItem(item) {
  const li = document.createElement('li');
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = item.verifier?.name ?? '—';
  if (item.counter) who.textContent += ` · ${item.counter}`;
  const when = document.createElement('time');
  when.className = 'when';
  when.dateTime = item.at;
  when.textContent = formatDateTime(item.at);
  const badge = document.createElement('span');
  const outcomeKey = `history.outcome.${item.outcome}`;
  badge.className = `badge ${item.outcome === 'verified' || item.outcome === 'data_written' ? 'ok' : 'bad'}`;
  badge.textContent = t(outcomeKey) === outcomeKey ? item.outcome : t(outcomeKey);
  const what = document.createElement('span');
  what.className = 'what';
  const elements = (item.elements ?? []).map((el) => (t(`el.${el}`) === `el.${el}` ? el : t(`el.${el}`)));
  what.textContent = elements.length ? `${t('history.elements')}: ${elements.join(', ')}` : '';
  if (item.outcome === 'data_written' && item.data) {
    const kindKey = `balikan.kind.${item.data.kind}`;
    const kind = t(kindKey) === kindKey ? item.data.kind : t(kindKey);
    what.textContent = t(item.data.action === 'deleted' ? 'history.dataDeleted' : 'history.dataWritten', { kind });
  }
  li.append(who, badge, when, what);
  return li;
}

/* ---------- settings ---------- */

async function submitPinChange(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('pin-status');
  const currentPin = form.elements.currentPin.value;
  const newPin = form.elements.newPin.value;
  const again = form.elements.newPinAgain.value;
  if (!isPin(currentPin)) return fieldError(form.elements.currentPin, t('pin.format')), form.elements.currentPin.focus();
  if (!isPin(newPin)) return fieldError(form.elements.newPin, t('pin.format')), form.elements.newPin.focus();
  if (newPin !== again) return fieldError(form.elements.newPinAgain, t('pin.mismatch')), form.elements.newPinAgain.focus();
  await busy(form, async () => {
    const result = await authed('PUT', '/v1/me/pin', { currentPin, newPin });
    if (result.ended) return;
    if (!result.ok) {
      const field = result.problem.code === 'weak_pin' ? form.elements.newPin : result.problem.code === 'pin_invalid' ? form.elements.currentPin : null;
      const sameAsCurrent = result.problem.code === 'weak_pin' && (result.problem.errors ?? []).some((e) => e.message === 'same_as_current');
      const message = sameAsCurrent ? t('pin.sameAsCurrent') : problemMessage(result.problem, result.headers);
      // Once, where it belongs: beside the field it is about, else in the form's status line.
      if (!field) return say('pin-status', message, 'error');
      fieldError(field, message);
      return field.focus();
    }
    form.reset();
    say('pin-status', t('pin.changed'), 'success');
  });
}

async function submitDelete(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('delete-status');
  const pin = form.elements.pin.value;
  if (!isPin(pin)) return fieldError(form.elements.pin, t('field.pin')), form.elements.pin.focus();
  if (!form.elements.confirm.checked) return fieldError(form.elements.confirm, t('field.consent')), form.elements.confirm.focus();
  await busy(form, async () => {
    const result = await authed('DELETE', '/v1/me', { pin });
    form.elements.pin.value = '';
    if (result.ended) return;
    if (!result.ok) {
      if (result.problem.code === 'pin_invalid') return fieldError(form.elements.pin, problemMessage(result.problem)), form.elements.pin.focus();
      return say('delete-status', problemMessage(result.problem, result.headers), 'error');
    }
    form.reset();
    dropSession();
    stopCountdown();
    await forgetDevice();
    device = null;
    ktpLoaded = false;
    showRegister();
    say('app-status', t('delete.done'), 'success');
  });
}

async function logout() {
  const session = readSession();
  if (session) await api('POST', '/v1/auth/logout', undefined, { token: session.accessToken });
  endSession('logout.done', 'success');
}

/* ---------- start ---------- */

async function start() {
  wireCopyButtons();
  wireSelfie();
  $('register-form').addEventListener('submit', submitRegistration);
  $('login-form').addEventListener('submit', submitLogin);
  $('qr-form').addEventListener('submit', submitQr);
  wireDocuments(authed);
  wireDataBalikan(authed);
  wirePindai(authed);
  // A Pindai link (/app#pindai=auth.<id>) is kept through the login; one opened while logged in goes straight there.
  rememberPindaiFragment();
  window.addEventListener('hashchange', () => {
    if (rememberPindaiFragment() && readSession() && !$('view-home').hidden) takePendingPindai(openTab);
  });
  wireServices(authed, () => readSession()?.accessToken ?? null);
  wireHolder({
    authed,
    token: () => readSession()?.accessToken ?? null,
    lockedOut: () => endSession(null),
    signedChallenge,
    getDevice: () => device,
    loginProblemMessage,
  });
  wirePinReset({
    getDevice: () => device,
    signedChallenge,
    show: (id) => {
      stopPolling();
      stopCountdown();
      showView(VIEWS, id);
    },
    showLogin,
    showRegister,
    // The reset ended every session, this phone's too: back to the login form with the news.
    done: () => endSession('reset.done', 'success'),
  });
  $('pin-form').addEventListener('submit', submitPinChange);
  $('delete-form').addEventListener('submit', submitDelete);
  $('qr-fresh').addEventListener('click', offerFreshQr);
  $('qr-used-fresh').addEventListener('click', offerFreshQr);
  $('logout').addEventListener('click', logout);
  $('history-more').addEventListener('click', () => loadHistory(false));
  $('history-refresh').addEventListener('click', () => loadHistory(true));
  $('regqr-refresh').addEventListener('click', refreshRegistrationQr);
  $('regqr-restart').addEventListener('click', showRegister);
  $('regqr-login').addEventListener('click', showLogin);
  $('login-register').addEventListener('click', showRegister);
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.addEventListener('click', () => openTab(button.dataset.tab));
  }

  device = await loadDevice();
  if (readSession() && device) return showHome();
  if (!device) return showRegister();
  if (device.status === 'active') return showLogin();
  showView(VIEWS, 'view-regqr', { focus: false });
  const status = await checkRegistration();
  if (status === 'pending_verification') {
    await loadRegistrationQr();
    pollRegistration();
  } else if (status === 'awaiting_activation') pollRegistration();
  else if (status === 'unknown') showLogin();
  else if (status === null) pollRegistration();
}

start();
