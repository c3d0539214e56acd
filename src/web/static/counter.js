/**
 * The public-service counter (/counter): the verifier's API key is entered once and kept in this browser's
 * localStorage (the counter's own machine); a KTP QR is scanned or pasted and redeemed with POST /v1/verify.
 * The key is checked with GET /v1/verifier/me when it is saved; a wrong or revoked key is a configuration error
 * in the settings, never a red KTP result. The result is a green panel with the photo, the disclosed elements and
 * (for a document QR) the document — a KK as its members table, a certificate as a list — or a red one with the reason.
 */
import { api, busy, clear, clearFieldErrors, fieldError, fillDataList, formatAddress, formatDate, formatDateTime, problemMessage, say, t } from './common.js';
import { wireScanner } from './scanner.js';
import { wireCounterRequest } from './counter-request.js';

const KEY_STORE = 'ikd.counter.apiKey';
const NAME_STORE = 'ikd.counter.name';
const VERIFIER_STORE = 'ikd.counter.verifier';
const $ = (id) => document.getElementById(id);

const ELEMENT_ORDER = ['nik', 'name', 'birthPlace', 'birthDate', 'sex', 'bloodType', 'address', 'religion', 'maritalStatus', 'occupation', 'citizenship'];

const storedKey = () => localStorage.getItem(KEY_STORE) || '';

function showKeyState({ focus = false } = {}) {
  const key = storedKey();
  // Without a key the settings come first; with one they move below the scanner, out of the daily path.
  const setup = $('counter-setup');
  if (key) setup.parentElement.append(setup);
  else setup.parentElement.insertBefore(setup, $('counter-result'));
  $('key-form').hidden = Boolean(key);
  $('key-saved').hidden = !key;
  if (key) {
    const name = localStorage.getItem(NAME_STORE);
    const verifier = localStorage.getItem(VERIFIER_STORE);
    $('key-saved-text').textContent =
      t('counter.saved', { last4: key.slice(-4) }) +
      (verifier ? ` · ${t('counter.verifierName')}: ${verifier}` : '') +
      (name ? ` · ${t('counter.counterName')}: ${name}` : '');
  }
  if (focus) (key ? $('counter-token') : $('counter-apikey')).focus();
}

async function saveKey(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('key-status');
  const key = form.elements.apiKey.value.trim();
  if (!key) {
    fieldError(form.elements.apiKey, t('field.required'));
    return form.elements.apiKey.focus();
  }
  // Checked before it is kept: a mistyped or revoked key is said here, not later as a refused KTP.
  const check = await busy(form, () => api('GET', '/v1/verifier/me', undefined, { token: key }));
  if (!check.ok) {
    if (check.problem.code === 'verifier_unauthorized') fieldError(form.elements.apiKey, t('counter.keyWrong'));
    else say('key-status', problemMessage(check.problem, check.headers), 'error');
    return form.elements.apiKey.focus();
  }
  localStorage.setItem(KEY_STORE, key);
  localStorage.setItem(VERIFIER_STORE, check.data.name);
  const name = form.elements.counter.value.trim();
  if (name) localStorage.setItem(NAME_STORE, name);
  else localStorage.removeItem(NAME_STORE);
  form.reset();
  clear('key-status');
  showKeyState({ focus: true });
}

function changeKey() {
  $('key-form').hidden = false;
  $('key-saved').hidden = true;
  $('counter-name').value = localStorage.getItem(NAME_STORE) || '';
  $('counter-apikey').focus();
}

function forgetKey() {
  localStorage.removeItem(KEY_STORE);
  localStorage.removeItem(VERIFIER_STORE);
  localStorage.removeItem(NAME_STORE);
  showKeyState({ focus: true });
}

function valueOf(name, value) {
  if (name === 'birthDate') return formatDate(value);
  if (name === 'address') return formatAddress(value);
  if (name === 'sex') {
    const key = `op.sex.${value}`;
    return t(key) === key ? value : t(key);
  }
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}

/** One field of a document as text: dates formatted, an address on one line, a list of people by name. */
function documentValue(name, value) {
  if (value === null || value === undefined) return '';
  if (/Date$|^issuedOn$/.test(name) && typeof value === 'string') return formatDate(value);
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? [v.name, v.nik].filter(Boolean).join(' · ') : String(v))).join('; ');
  if (name === 'headOfFamily' && typeof value === 'object') return [value.name, value.nik].filter(Boolean).join(' · ');
  return valueOf(name, value);
}

const FIELD_LABELS = {
  relationship: 'counter.relationship',
  headOfFamily: 'counter.headOfFamily',
  spouses: 'counter.spouses',
  marriageDate: 'counter.eventDate',
  divorceDate: 'counter.eventDate',
  deathDate: 'counter.eventDate',
  kk: 'doc.family_card',
  issuedOn: 'counter.issuedOn',
};
const fieldLabel = (name) => {
  const key = FIELD_LABELS[name] ?? `el.${name}`;
  return t(key) === key ? name : t(key);
};

const MEMBER_COLUMNS = ['nik', 'name', 'relationship', 'sex', 'birthPlace', 'birthDate', 'education', 'occupation'];

/** The KK's members as a table (text only, never HTML). */
function membersTable(members) {
  const table = document.createElement('table');
  table.className = 'members';
  const caption = document.createElement('caption');
  caption.textContent = t('counter.members');
  const head = document.createElement('tr');
  for (const column of MEMBER_COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = fieldLabel(column);
    head.append(th);
  }
  const body = document.createElement('tbody');
  for (const member of members) {
    const tr = document.createElement('tr');
    for (const column of MEMBER_COLUMNS) {
      const td = document.createElement('td');
      td.textContent = documentValue(column, member[column]);
      tr.append(td);
    }
    body.append(tr);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  table.append(caption, thead, body);
  return table;
}

function showDocument(doc) {
  const box = $('result-document');
  box.replaceChildren();
  box.hidden = !doc;
  if (!doc) return;
  const heading = document.createElement('h3');
  const titleKey = `doc.${doc.type}`;
  heading.textContent = t(titleKey) === titleKey ? doc.type : t(titleKey);
  const summary = document.createElement('dl');
  summary.className = 'data-list';
  fillDataList(summary, [
    [t('counter.documentNumber'), doc.number],
    [t('counter.issuedOn'), formatDate(doc.issuedOn)],
  ]);
  const fields = doc.fields ?? {};
  const list = document.createElement('dl');
  list.className = 'data-list';
  fillDataList(
    list,
    Object.entries(fields)
      // The KK's number and date are already in the summary above.
      .filter(([name]) => name !== 'members' && !(doc.type === 'family_card' && (name === 'kk' || name === 'issuedOn')))
      .map(([name, value]) => [fieldLabel(name), documentValue(name, value)]),
  );
  box.append(heading, summary, list);
  if (Array.isArray(fields.members)) box.append(membersTable(fields.members));
}

/** The result panel, for a scanned QR and a counter request alike; `reason` replaces the problem's message. */
function showResult(ok, data, problem, headers, reason) {
  const section = $('counter-result');
  $('result-ok').hidden = !ok;
  $('result-fail').hidden = ok;
  if (ok) {
    const resident = data.resident ?? {};
    const known = ELEMENT_ORDER.filter((name) => name in resident);
    const extra = Object.keys(resident).filter((name) => !ELEMENT_ORDER.includes(name) && name !== 'photo');
    fillDataList($('result-data'), [
      ...[...known, ...extra].map((name) => {
        const key = `el.${name}`;
        return [t(key) === key ? name : t(key), valueOf(name, resident[name])];
      }),
      [t('counter.verifiedAt'), formatDateTime(data.verifiedAt)],
    ]);
    showDocument(data.document);
    const photo = data.photo ?? resident.photo;
    const img = $('result-photo');
    const isImage = typeof photo === 'string' && /^data:image\/(png|jpeg|webp);base64,/.test(photo);
    img.hidden = !isImage;
    if (isImage) img.src = photo;
    else img.removeAttribute('src');
  } else {
    $('result-reason').textContent = reason ?? problemMessage(problem, headers);
  }
  section.hidden = false;
  section.focus();
  section.scrollIntoView({ block: 'start' });
}

async function verify(event) {
  event?.preventDefault();
  const form = $('verify-form');
  clearFieldErrors(form);
  clear('verify-status');
  // A token may begin with a space (a base45 character) but never ends with one: trim line ends, not a leading space.
  const token = form.elements.token.value.replace(/^[\r\n\t]+/, '').replace(/\s+$/, '');
  const apiKey = storedKey();
  if (!apiKey) {
    say('verify-status', t('counter.needKey'), 'error');
    return showKeyState({ focus: true });
  }
  if (!token) {
    fieldError(form.elements.token, t('field.token'));
    return form.elements.token.focus();
  }
  const counter = localStorage.getItem(NAME_STORE);
  await busy(form, async () => {
    const result = await api('POST', '/v1/verify', { token, ...(counter ? { counter } : {}) }, { token: apiKey });
    form.elements.token.value = '';
    if (result.ok) return showResult(true, result.data);
    if (result.problem.code === 'invalid_request' || result.problem.code === 'network' || result.problem.code === 'rate_limited') {
      return say('verify-status', problemMessage(result.problem, result.headers), 'error');
    }
    if (result.problem.code === 'verifier_unauthorized') {
      // The counter's configuration, not the resident's KTP: no red result; the QR was not used up.
      $('counter-result').hidden = true;
      say('verify-status', t('counter.keyRejected'), 'error');
      changeKey();
      return say('key-status', t('counter.keyRejected'), 'error');
    }
    showResult(false, null, result.problem, result.headers);
  });
}

function next() {
  $('counter-result').hidden = true;
  $('result-photo').removeAttribute('src');
  $('result-data').replaceChildren();
  $('result-document').replaceChildren();
  $('result-document').hidden = true;
  clear('verify-status');
  $('counter-token').focus();
}

$('key-form').addEventListener('submit', saveKey);
$('key-change').addEventListener('click', changeKey);
$('key-forget').addEventListener('click', forgetKey);
$('verify-form').addEventListener('submit', verify);
$('result-next').addEventListener('click', next);
wireScanner($('counter-scanner'), (text) => {
  $('counter-token').value = text;
  verify();
});
wireCounterRequest({
  storedKey,
  counterName: () => localStorage.getItem(NAME_STORE),
  showResult,
  onKeyRejected: () => {
    changeKey();
    say('key-status', t('counter.keyRejected'), 'error');
  },
});
showKeyState();
