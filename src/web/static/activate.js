/**
 * The activation page: checks the two PINs match, then posts { token, code, newPin } to /v1/activations.
 * The link token is taken from the form and removed from the address bar; nothing is stored.
 */
import { api, busy, clear, clearFieldErrors, fieldError, isPin, problemMessage, say, t } from './common.js';

const form = document.getElementById('activate-form');

// The token stays in the form only: the visible URL (and so any later history entry or screenshot) loses it.
if (new URLSearchParams(location.search).has('t')) {
  history.replaceState(null, '', location.pathname + (document.documentElement.lang === 'en' ? '?lang=en' : ''));
}

if (form) {
  // With this script the page explains problems itself; without it the browser's own checks still apply.
  form.noValidate = true;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    clear('activate-status');
    const code = form.elements.code.value.trim();
    const newPin = form.elements.newPin.value;
    const again = form.elements.newPinAgain.value;
    if (!/^[0-9]{6}$/.test(code)) return fieldError(form.elements.code, t('activate.codeFormat')), form.elements.code.focus();
    if (!isPin(newPin)) return fieldError(form.elements.newPin, t('pin.format')), form.elements.newPin.focus();
    if (newPin !== again) return fieldError(form.elements.newPinAgain, t('pin.mismatch')), form.elements.newPinAgain.focus();
    await busy(form, async () => {
      const result = await api('POST', '/v1/activations', { token: form.elements.t.value, code, newPin });
      if (!result.ok) {
        const { code: problem } = result.problem;
        // An error is shown once: beside the field it is about, else in the status line.
        if (problem === 'weak_pin') {
          fieldError(form.elements.newPin, problemMessage(result.problem));
          return form.elements.newPin.focus();
        }
        if (problem === 'activation_invalid') {
          fieldError(form.elements.code, problemMessage(result.problem));
          return form.elements.code.focus();
        }
        return say('activate-status', problemMessage(result.problem, result.headers), 'error');
      }
      form.hidden = true;
      const done = document.getElementById('activate-done');
      done.hidden = false;
      done.setAttribute('tabindex', '-1');
      done.focus();
    });
  });
}
