/**
 * The /app screens Biodata, Data Keluarga and Dokumen: the holder's registry data, the KK as a members table, and
 * each document on screen with its own 90-second QR (POST /v1/me/documents/{type}/qr). resident.js owns the session
 * and hands in its `authed` call; everything here writes text, never HTML.
 */
import { busy, clear, clearFieldErrors, fieldError, fillDataList, formatAddress, formatDate, isPin, problemMessage, say, svgDataUrl, t } from './common.js';

const $ = (id) => document.getElementById(id);
const label = (key, fallback) => (t(key) === key ? fallback : t(key));

const BIODATA_ROWS = [
  ['nik', 'el.nik'], ['name', 'el.name'], ['kk', 'docs.kk'], ['familyRelationship', 'docs.familyRelationship'],
  ['birthPlace', 'el.birthPlace'], ['birthDate', 'el.birthDate'], ['sex', 'el.sex'], ['bloodType', 'el.bloodType'],
  ['address', 'el.address'], ['religion', 'el.religion'], ['maritalStatus', 'el.maritalStatus'], ['education', 'docs.education'],
  ['occupation', 'el.occupation'], ['citizenship', 'el.citizenship'], ['fatherName', 'docs.fatherName'], ['motherName', 'docs.motherName'],
  ['birthCertificateNumber', 'docs.birthCertificateNumber'], ['marriageCertificateNumber', 'docs.marriageCertificateNumber'],
  ['marriageDate', 'docs.marriageDate'], ['divorceCertificateNumber', 'docs.divorceCertificateNumber'], ['divorceDate', 'docs.divorceDate'],
];

function textOf(name, value) {
  if (value === null || value === undefined) return '';
  if (name === 'address') return formatAddress(value);
  if (/Date$|^issuedOn$/.test(name) && typeof value === 'string') return formatDate(value);
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? [v.name, v.nik].filter(Boolean).join(' · ') : String(v))).join('; ');
  if (typeof value === 'object') return [value.name, value.nik].filter(Boolean).join(' · ') || JSON.stringify(value);
  return String(value);
}

const MEMBER_COLUMNS = [['nik', 'el.nik'], ['name', 'el.name'], ['relationship', 'counter.relationship'], ['sex', 'el.sex'], ['birthPlace', 'el.birthPlace'], ['birthDate', 'el.birthDate'], ['education', 'docs.education'], ['occupation', 'el.occupation'], ['fatherName', 'docs.fatherName'], ['motherName', 'docs.motherName']];

function familyView(family) {
  const box = document.createElement('div');
  const summary = document.createElement('dl');
  summary.className = 'data-list';
  fillDataList(summary, [
    [label('docs.kk', 'KK'), family.kk],
    [label('counter.issuedOn', 'issuedOn'), formatDate(family.issuedOn)],
    [label('counter.headOfFamily', 'head'), textOf('headOfFamily', family.headOfFamily)],
    [label('el.address', 'address'), formatAddress(family.address)],
  ]);
  const table = document.createElement('table');
  table.className = 'members';
  const caption = document.createElement('caption');
  caption.textContent = label('counter.members', 'members');
  const head = document.createElement('tr');
  for (const [, key] of MEMBER_COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label(key, key);
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const body = document.createElement('tbody');
  for (const member of family.members ?? []) {
    const tr = document.createElement('tr');
    for (const [name] of MEMBER_COLUMNS) {
      const td = document.createElement('td');
      td.textContent = textOf(name, member[name]);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(caption, thead, body);
  box.append(summary, table);
  return box;
}

async function loadBiodata(authed) {
  const list = $('biodata-list');
  const result = await authed('GET', '/v1/me/biodata');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('biodata-status', problemMessage(result.problem, result.headers), 'error');
  fillDataList(list, BIODATA_ROWS.map(([name, key]) => [label(key, name), textOf(name, result.data[name])]));
}

async function loadFamily(authed) {
  const box = $('family-card');
  const result = await authed('GET', '/v1/me/family');
  box.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('family-status', problemMessage(result.problem, result.headers), 'error');
  box.replaceChildren(familyView(result.data));
}

/* ---------- documents, each with its QR ---------- */

let current = null;
let timer = null;

function stopDocumentCountdown() {
  clearTimeout(timer);
  timer = null;
}

async function loadDocuments(authed) {
  const list = $('documents-list');
  const result = await authed('GET', '/v1/me/documents');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('documents-status', problemMessage(result.problem, result.headers), 'error');
  list.replaceChildren();
  if (result.data.items.length === 0) say('documents-status', t('docs.none'));
  for (const item of result.data.items) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button secondary wide';
    button.dataset.documentType = item.type;
    button.textContent = `${item.title} · ${item.number}`;
    button.addEventListener('click', () => showDocument(authed, item.type));
    li.append(button);
    list.append(li);
  }
}

async function showDocument(authed, type) {
  clear('documents-status');
  const result = await authed('GET', `/v1/me/documents/${encodeURIComponent(type)}`);
  if (result.ended) return;
  if (!result.ok) return say('documents-status', problemMessage(result.problem, result.headers), 'error');
  current = type;
  const doc = result.data;
  stopDocumentCountdown();
  $('document-view').hidden = false;
  $('document-qr').hidden = true;
  $('document-qr-expired').hidden = true;
  $('document-qr-form').hidden = false;
  $('document-title').textContent = `${doc.title} · ${doc.number}`;
  const fields = $('document-fields');
  if (type === 'family_card') {
    fields.replaceChildren(familyView(doc.fields));
  } else {
    const dl = document.createElement('dl');
    dl.className = 'data-list';
    fillDataList(dl, [
      [label('counter.issuedOn', 'issuedOn'), formatDate(doc.issuedOn)],
      ...Object.entries(doc.fields).map(([name, value]) => [label(`el.${name}`, label(`docs.${name}`, name)), textOf(name, value)]),
    ]);
    fields.replaceChildren(dl);
  }
  $('document-title').focus();
}

async function submitDocumentQr(authed, event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clear('document-qr-status');
  const pin = form.elements.pin.value;
  if (!isPin(pin)) {
    fieldError(form.elements.pin, t('field.pin'));
    return form.elements.pin.focus();
  }
  await busy(form, async () => {
    const requested = performance.now();
    const result = await authed('POST', `/v1/me/documents/${encodeURIComponent(current)}/qr`, { pin, format: 'svg' });
    form.elements.pin.value = '';
    if (result.ended) return;
    if (!result.ok) {
      // Once: beside the PIN when the PIN is what is wrong, else in the status line.
      if (result.problem.code === 'pin_invalid') return fieldError(form.elements.pin, problemMessage(result.problem)), form.elements.pin.focus();
      return say('document-qr-status', problemMessage(result.problem, result.headers), 'error');
    }
    showDocumentQr(result.data, requested);
  });
}

function showDocumentQr(data, requestedAt) {
  $('document-qr-image').src = svgDataUrl(data.svg);
  $('document-qr-text').value = data.token;
  $('document-qr').hidden = false;
  $('document-qr-expired').hidden = true;
  $('document-qr-form').hidden = true;
  const ttl = Number(data.ttlSeconds) || 90;
  $('document-progress').max = ttl;
  stopDocumentCountdown();
  const tick = () => {
    const left = Math.max(0, Math.ceil(ttl - (performance.now() - requestedAt) / 1000));
    $('document-countdown').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    $('document-countdown').setAttribute('aria-label', t('qr.seconds', { s: left }));
    $('document-progress').value = left;
    if (left <= 0) {
      stopDocumentCountdown();
      $('document-qr').hidden = true;
      $('document-qr-text').value = '';
      $('document-qr-expired').hidden = false;
      $('document-qr-form').hidden = false;
      return;
    }
    timer = setTimeout(tick, 250);
  };
  tick();
}

/** Wires the forms once; `authed` is resident.js's authenticated call. */
export function wireDocuments(authed) {
  $('document-qr-form').addEventListener('submit', (event) => submitDocumentQr(authed, event));
}

/** Loads a tab of this module when it is opened; false for tabs that are not ours. */
export async function openDocumentsTab(name, authed) {
  if (name !== 'documents') stopDocumentCountdown();
  if (name === 'biodata') await loadBiodata(authed);
  else if (name === 'family') await loadFamily(authed);
  else if (name === 'documents') await loadDocuments(authed);
  else return false;
  return true;
}
