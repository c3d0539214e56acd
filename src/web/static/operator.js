/**
 * The operator console (/operator): password + TOTP login, registration QR by camera or paste, selfie beside the
 * KTP-el photo with the SIAK record, the recorded checks and the decision, video-call sessions, suspension.
 * The session token lives in sessionStorage and goes out as a Bearer header. Login also sets the HttpOnly,
 * SameSite=Strict session cookie for the pages that are plain links (the monitoring dashboard and its CSV, GET
 * only); the API calls here never send it, and a cookie request with an unsafe method needs the console header.
 */
import {
  api,
  busy,
  clear,
  clearFieldErrors,
  fieldError,
  fillDataList,
  formatAddress,
  formatDate,
  formatDateTime,
  problemMessage,
  say,
  setReaderZone,
  showFieldProblems,
  showView,
  t,
} from './common.js';
import { wireScanner } from './scanner.js';
import { openOperatorServices, wireOperatorServices } from './operator-services.js';

const VIEWS = ['view-op-login', 'view-op-console'];
const SESSION_KEY = 'ikd.operator.session';
const $ = (id) => document.getElementById(id);

let current = null; // the looked-up registration: { registration, resident, account }
let videoCall = null;

function readSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

async function authed(method, path, body) {
  const session = readSession();
  const result = session ? await api(method, path, body, { token: session.token }) : { ok: false, problem: { code: 'unauthorized' } };
  if (!result.ok && (result.problem.code === 'unauthorized' || !session)) {
    sessionStorage.removeItem(SESSION_KEY);
    showLogin();
    say('op-login-status', t('op.session.expired'), 'error');
    return { ...result, ended: true };
  }
  return result;
}

/* ---------- login ---------- */

function showLogin() {
  showView(VIEWS, 'view-op-login');
  $('op-username').focus();
}

function showConsole(operator) {
  setReaderZone(operator.timeZone);
  $('op-who').textContent = t('op.signedIn', { name: operator.name, role: label('op.role', operator.role), office: operator.officeCode });
  // The monitoring dashboard is for supervisors and admins (the server checks the role again).
  $('op-stats-link').hidden = !['supervisor', 'admin'].includes(operator.role);
  showView(VIEWS, 'view-op-console');
  openOperatorServices(operator);
}

async function submitLogin(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('op-login-status');
  const body = {
    username: form.elements.username.value.trim(),
    password: form.elements.password.value,
    otp: form.elements.otp.value.trim(),
  };
  const missing = [];
  if (!body.username) missing.push('username');
  if (!body.password) missing.push('password');
  if (!/^[0-9]{6}$/.test(body.otp)) missing.push('otp');
  if (missing.length) return showFieldProblems(form, { errors: missing.map((path) => ({ path })) });
  await busy(form, async () => {
    const result = await api('POST', '/v1/operator/login', body, { consoleCookie: true });
    form.elements.password.value = '';
    form.elements.otp.value = '';
    if (!result.ok) {
      if (result.problem.code === 'invalid_request') showFieldProblems(form, result.problem);
      say('op-login-status', problemMessage(result.problem, result.headers), 'error');
      if (result.problem.code !== 'invalid_request') form.elements.password.focus();
      return;
    }
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: result.data.token, expiresAt: result.data.expiresAt, operator: result.data.operator }));
    form.reset();
    showConsole(result.data.operator);
  });
}

async function logout() {
  const session = readSession();
  if (session) await api('POST', '/v1/operator/logout', undefined, { token: session.token, consoleCookie: true });
  sessionStorage.removeItem(SESSION_KEY);
  resetCase();
  showLogin();
}

/* ---------- look up a registration ---------- */

async function submitLookup(event) {
  event?.preventDefault();
  const form = $('op-lookup-form');
  clearFieldErrors(form);
  clear('op-lookup-status');
  const qr = form.elements.qr.value.trim();
  if (!qr) {
    fieldError(form.elements.qr, t('field.qr'));
    return form.elements.qr.focus();
  }
  await busy(form, async () => {
    const result = await authed('POST', '/v1/operator/registrations/lookup', { qr });
    if (result.ended) return;
    if (!result.ok) {
      // Once: beside the code when the code is what is wrong, else in the status line.
      if (['qr_invalid', 'qr_expired', 'invalid_request', 'not_found'].includes(result.problem.code)) {
        fieldError(form.elements.qr, problemMessage(result.problem));
        return form.elements.qr.focus();
      }
      return say('op-lookup-status', problemMessage(result.problem, result.headers), 'error');
    }
    showCase(result.data);
  });
}

function resetCase() {
  current = null;
  videoCall = null;
  $('op-case').hidden = true;
  $('op-decision-form').reset();
  markReasonRequired(false);
  clearFieldErrors($('op-decision-form'));
  clear('op-decision-status');
  clear('op-video-status');
  $('op-video').hidden = true;
  $('op-video-info').hidden = true;
  $('op-resend').hidden = true;
}

function showCase(data) {
  resetCase();
  current = data;
  const { registration: reg, resident, account } = data;
  $('op-case-heading').textContent = resident?.name ?? reg.id;
  const kind = $('op-case-kind');
  kind.textContent = t(`op.kind.${reg.kind}`);
  kind.classList.toggle('replacement', reg.kind === 'device_replacement');

  showPhoto($('op-selfie'), $('op-no-selfie'), reg.selfie);
  showPhoto($('op-ktp-photo'), $('op-no-ktp-photo'), resident?.photo);

  fillDataList($('op-registry'), resident ? [
    [t('el.nik'), resident.nik],
    [t('el.name'), resident.name],
    [t('el.birth'), `${resident.birthPlace}, ${formatDate(resident.birthDate)}`],
    [t('el.sex'), t(`op.sex.${resident.sex}`).startsWith('op.sex.') ? resident.sex : t(`op.sex.${resident.sex}`)],
    [t('el.address'), formatAddress(resident.address)],
  ] : [[t('el.nik'), '—']]);
  fillDataList($('op-registration'), [
    [t('op.status'), statusLabel(reg.status)],
    [t('op.createdAt'), formatDateTime(reg.createdAt)],
    [t('op.email'), reg.email],
    [t('op.phone'), reg.phone],
    ...(reg.rejectionReason ? [[t('op.reason'), reg.rejectionReason]] : []),
    ...(account ? [[t('op.account'), `${label('op.accountStatus', account.status)}${account.suspendedReason ? ` — ${account.suspendedReason}` : ''}`]] : []),
  ]);

  const pending = reg.status === 'pending_verification';
  $('op-decision-form').hidden = !pending;
  $('op-resend').hidden = reg.status !== 'awaiting_activation';
  $('op-case').hidden = false;
  $('op-case-heading').focus();
}

/** Only image data URLs from the API go into an <img>; anything else shows the "no photo" note. */
function showPhoto(img, missing, url) {
  const ok = typeof url === 'string' && /^data:image\/(png|jpeg|webp);base64,/.test(url);
  img.hidden = !ok;
  missing.hidden = ok;
  if (ok) img.src = url;
  else img.removeAttribute('src');
}

/* ---------- video call ---------- */

function onChannelChange() {
  const video = $('op-decision-form').elements.channel.value === 'video_call';
  $('op-video').hidden = !video;
}

async function startVideoCall() {
  if (!current) return;
  clear('op-video-status');
  const button = $('op-video-start');
  button.disabled = true;
  const result = await authed('POST', '/v1/operator/video-calls', { registrationId: current.registration.id });
  button.disabled = false;
  if (result.ended) return;
  if (!result.ok) return say('op-video-status', problemMessage(result.problem, result.headers), 'error');
  videoCall = result.data;
  clear('op-decision-status');
  const link = $('op-video-room');
  link.href = /^https?:\/\//.test(videoCall.roomUrl) ? videoCall.roomUrl : '#';
  link.textContent = videoCall.roomUrl;
  $('op-video-phrase').textContent = videoCall.livenessPhrase;
  $('op-video-expires').textContent = formatDateTime(videoCall.expiresAt);
  $('op-video-info').hidden = false;
  link.focus();
}

/* ---------- decision ---------- */

/** The reason is required for a rejection only: announced as required while the operator is about to reject. */
function markReasonRequired(rejecting) {
  const reason = $('op-reason');
  reason.setAttribute('aria-required', rejecting ? 'true' : 'false');
  reason.required = rejecting;
  $('op-reason-field').classList.toggle('rejecting', rejecting);
}

async function submitDecision(event) {
  event.preventDefault();
  if (!current) return;
  const form = event.currentTarget;
  const decision = event.submitter?.value === 'reject' ? 'reject' : 'approve';
  clearFieldErrors(form);
  clear('op-decision-status');
  const channel = form.elements.channel.value;
  const faceMatch = form.elements.faceMatch.value;
  const reason = form.elements.reason.value.trim();
  markReasonRequired(decision === 'reject');
  if (decision === 'reject' && !reason) {
    fieldError(form.elements.reason, t('op.reasonRequired'));
    return form.elements.reason.focus();
  }
  if (decision === 'approve') {
    const missing = missingChecks(form, faceMatch);
    if (missing.length) return showMissingChecks(missing);
  }
  if (decision === 'approve' && channel === 'video_call' && !videoCall) {
    say('op-decision-status', t('op.needVideo'), 'error');
    return $('op-video-start').focus();
  }
  const body = {
    decision,
    channel,
    ...(channel === 'video_call' && videoCall ? { videoCallId: videoCall.videoCallId } : {}),
    ktpElSighted: form.elements.ktpElSighted.checked,
    consentRecorded: form.elements.consentRecorded.checked,
    ...(faceMatch ? { faceMatch } : {}),
    ...(reason ? { reason } : {}),
  };
  await busy(form, async () => {
    const result = await authed('POST', `/v1/operator/registrations/${encodeURIComponent(current.registration.id)}/decision`, body);
    if (result.ended) return;
    if (!result.ok) {
      const unmet = result.problem.code === 'approval_requirements_unmet' ? (result.problem.errors ?? []).map((e) => e.path) : [];
      const boxes = unmet.filter((path) => CHECKS.some((c) => c.path === path));
      if (boxes.length) showMissingChecks(boxes);
      const rest = unmet.filter((path) => !boxes.includes(path));
      if (rest.includes('lookup')) return say('op-decision-status', t('op.needLookup'), 'error');
      if (rest.includes('videoCallId')) return say('op-decision-status', t('op.needVideo'), 'error');
      if (!boxes.length) say('op-decision-status', problemMessage(result.problem, result.headers), 'error');
      return;
    }
    current.registration.status = result.data.status;
    form.hidden = true;
    const approved = result.data.status === 'awaiting_activation';
    say('op-decision-status', t(approved ? 'op.approved' : 'op.rejected'), approved ? 'success' : 'info');
    fillStatus(result.data.status);
    $('op-resend').hidden = !approved;
    $('op-next').focus();
  });
}

/** The approval's required checks: the API's field name, the input to focus and where its error line is. */
const CHECKS = [
  { path: 'ktpElSighted', input: 'op-ktp-sighted', error: 'op-ktp-sighted-error', box: 'op.ktpElSighted' },
  { path: 'consentRecorded', input: 'op-consent', error: 'op-consent-error', box: 'op.consent' },
  { path: 'faceMatch', input: 'op-face-match', error: 'op-face-error', box: 'op.faceMatch' },
];

function missingChecks(form, faceMatch) {
  const missing = [];
  if (!form.elements.ktpElSighted.checked) missing.push('ktpElSighted');
  if (!form.elements.consentRecorded.checked) missing.push('consentRecorded');
  if (!faceMatch) missing.push('faceMatch'); // "no match" goes to the server, which refuses it by name
  return missing;
}

/** Each unticked box gets its own line naming it; focus goes to the first. */
function showMissingChecks(paths) {
  let first = null;
  for (const check of CHECKS) {
    if (!paths.includes(check.path)) continue;
    const error = $(check.error);
    const face = $('op-face-nomatch').checked ? t('op.faceNoMatch') : t('op.needFace');
    error.textContent = check.path === 'faceMatch' ? face : t('op.needCheck', { box: t(check.box) });
    error.hidden = false;
    if (check.path !== 'faceMatch') $(check.input).setAttribute('aria-invalid', 'true');
    first ??= $(check.input);
  }
  first?.focus();
}

function fillStatus(status) {
  const first = $('op-registration').querySelector('dd');
  if (first) first.textContent = statusLabel(status);
}

/** A value from the API in words ("active" → "Aktif"); the value itself only when no translation exists. */
function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return t(key) === key ? String(value ?? '') : t(key);
}

const statusLabel = (status) => label('op.regstatus', status);

async function resendActivation() {
  if (!current) return;
  const result = await authed('POST', `/v1/operator/registrations/${encodeURIComponent(current.registration.id)}/resend-activation`);
  if (result.ended) return;
  if (!result.ok) return say('op-decision-status', problemMessage(result.problem, result.headers), 'error');
  say('op-decision-status', t('op.resent'), 'success');
}

function nextApplicant() {
  resetCase();
  const qr = $('op-qr');
  qr.value = '';
  qr.focus();
}

/* ---------- suspend / unlock ---------- */

async function submitSuspend(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const action = event.submitter?.value === 'unlock' ? 'unlock' : 'suspend';
  clearFieldErrors(form);
  clear('op-suspend-status');
  const nik = form.elements.nik.value.trim();
  const reason = form.elements.reason.value.trim();
  if (!/^[0-9]{16}$/.test(nik)) return fieldError(form.elements.nik, t('field.nik')), form.elements.nik.focus();
  if (action === 'suspend' && !reason) return fieldError(form.elements.reason, t('field.reason')), form.elements.reason.focus();
  await busy(form, async () => {
    const path = `/v1/operator/accounts/${encodeURIComponent(nik)}/${action}`;
    const result = await authed('POST', path, action === 'suspend' ? { reason } : undefined);
    if (result.ended) return;
    if (!result.ok) {
      if (result.problem.code === 'invalid_request') showFieldProblems(form, result.problem);
      return say('op-suspend-status', problemMessage(result.problem, result.headers), 'error');
    }
    form.reset();
    say('op-suspend-status', t(action === 'suspend' ? 'op.suspend.done' : 'op.unlock.done', { nik }), 'success');
  });
}

/* ---------- start ---------- */

async function start() {
  $('op-login-form').addEventListener('submit', submitLogin);
  $('op-lookup-form').addEventListener('submit', submitLookup);
  $('op-decision-form').addEventListener('submit', submitDecision);
  // Heading for "Tolak" (focus, pointer) or judging the face a mismatch means a rejection is coming: mark the reason.
  for (const type of ['focus', 'pointerdown']) {
    $('op-reject').addEventListener(type, () => markReasonRequired(true));
    $('op-approve').addEventListener(type, () => markReasonRequired(false));
  }
  $('op-decision-form').addEventListener('change', (event) => {
    if (event.target.name === 'faceMatch') markReasonRequired(event.target.value === 'no_match');
    if (event.target.name === 'channel') onChannelChange();
    for (const check of CHECKS) {
      if (event.target.name !== check.path) continue;
      $(check.error).hidden = true;
      $(check.input).removeAttribute('aria-invalid');
    }
  });
  $('op-video-start').addEventListener('click', startVideoCall);
  $('op-resend').addEventListener('click', resendActivation);
  $('op-next').addEventListener('click', nextApplicant);
  $('op-suspend-form').addEventListener('submit', submitSuspend);
  $('op-logout').addEventListener('click', logout);
  wireOperatorServices(authed, () => readSession()?.token ?? null);
  wireScanner($('op-scanner'), (text) => {
    $('op-qr').value = text;
    submitLookup();
  });

  const session = readSession();
  if (!session) return showLogin();
  const me = await authed('GET', '/v1/operator/me');
  if (me.ended) return;
  showConsole(me.ok ? me.data.operator ?? me.data : session.operator);
}

start();
