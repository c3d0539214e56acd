/**
 * The /app screen Lupa PIN: the enrolled phone signs a request (challenge purpose pin_reset), the resident types the
 * e-mailed code and a new PIN, and the phone signs the confirmation. Without the enrolled phone the screen explains
 * the way through a Dukcapil office. resident.js owns the device key and the views and hands in what is needed.
 */
import { api, busy, clear, clearFieldErrors, fieldError, isPin, problemMessage, say, t } from './common.js';

const $ = (id) => document.getElementById(id);

let app = null;
let nik = '';

/** Opens the screen at step 1 (the NIK prefilled from the phone's enrolment, when there is one). */
export function openPinReset() {
  const device = app.getDevice();
  app.show('view-pin-reset');
  for (const id of ['reset-request-status', 'reset-confirm-status']) clear(id);
  clearFieldErrors($('reset-request-form'));
  clearFieldErrors($('reset-confirm-form'));
  $('reset-confirm-form').reset();
  $('reset-confirm-form').hidden = true;
  $('reset-request-form').hidden = false;
  // Without a device key on this phone there is nothing to sign: only the office's way is left.
  $('reset-nodevice').classList.toggle('emphasis', !device);
  if (!device) say('reset-request-status', t('reset.noDeviceHere'), 'error');
  const input = $('reset-nik');
  if (device?.nik && !input.value) input.value = device.nik;
  (input.value ? $('reset-request-form').querySelector('button[type="submit"]') : input).focus();
}

async function submitRequest(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('reset-request-status');
  if (!app.getDevice()) return say('reset-request-status', t('reset.noDeviceHere'), 'error');
  const value = form.elements.nik.value.trim();
  if (!/^[0-9]{16}$/.test(value)) return fieldError(form.elements.nik, t('field.nik')), form.elements.nik.focus();
  await busy(form, async () => {
    const signed = await app.signedChallenge('pin_reset');
    if (signed.failed) return say('reset-request-status', problemMessage(signed.failed.problem, signed.failed.headers), 'error');
    const result = await api('POST', '/v1/auth/pin-reset', { nik: value, challengeId: signed.challengeId, signature: signed.signature });
    if (!result.ok) return say('reset-request-status', problemMessage(result.problem, result.headers), 'error');
    nik = value;
    say('reset-request-status', t('reset.sent'), 'success');
    $('reset-confirm-form').hidden = false;
    $('reset-code').focus();
  });
}

/** What a refused confirmation says; the code's own problems sit beside the code field. */
function confirmProblem(problem, headers) {
  if (problem.code === 'pin_reset_invalid' && typeof problem.attemptsRemaining === 'number' && problem.attemptsRemaining > 0) {
    return { field: 'code', text: t('reset.codeWrong', { count: problem.attemptsRemaining }) };
  }
  if (problem.code === 'pin_reset_invalid') return { text: t('reset.invalid') };
  if (problem.code === 'pin_reset_expired') return { text: t('reset.expired') };
  if (problem.code === 'too_many_attempts') return { text: t('reset.tooMany') };
  if (problem.code === 'weak_pin') return { field: 'newPin', text: problemMessage(problem, headers) };
  return { text: problemMessage(problem, headers) };
}

async function submitConfirm(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('reset-confirm-status');
  const code = form.elements.code.value.trim();
  const newPin = form.elements.newPin.value;
  if (!/^[0-9]{6}$/.test(code)) return fieldError(form.elements.code, t('reset.codeFormat')), form.elements.code.focus();
  if (!isPin(newPin)) return fieldError(form.elements.newPin, t('pin.format')), form.elements.newPin.focus();
  if (newPin !== form.elements.newPinAgain.value) return fieldError(form.elements.newPinAgain, t('pin.mismatch')), form.elements.newPinAgain.focus();
  await busy(form, async () => {
    const signed = await app.signedChallenge('pin_reset');
    if (signed.failed) return say('reset-confirm-status', problemMessage(signed.failed.problem, signed.failed.headers), 'error');
    const result = await api('POST', '/v1/auth/pin-reset/confirm', { nik, challengeId: signed.challengeId, signature: signed.signature, code, newPin });
    if (!result.ok) {
      const { field, text } = confirmProblem(result.problem, result.headers);
      if (!field) return say('reset-confirm-status', text, 'error');
      fieldError(form.elements[field], text);
      return form.elements[field].focus();
    }
    form.reset();
    app.done();
  });
}

/**
 * Wires the screen. `options`: getDevice() → the stored device or null; signedChallenge(purpose); show(viewId);
 * showLogin(); showRegister(); done() once the PIN was replaced (every session is over by then).
 */
export function wirePinReset(options) {
  app = options;
  $('reset-request-form').addEventListener('submit', submitRequest);
  $('reset-confirm-form').addEventListener('submit', submitConfirm);
  $('reset-again-request').addEventListener('click', () => $('reset-request-form').requestSubmit());
  $('reset-back').addEventListener('click', () => app.showLogin());
  $('reset-register').addEventListener('click', () => app.showRegister());
  for (const link of document.querySelectorAll('[data-pin-reset]')) link.addEventListener('click', openPinReset);
}
