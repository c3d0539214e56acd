/**
 * The /app screens Pelayanan and Pemantauan Pelayanan (API.md Part 2): the catalog (GET /v1/services), a form made
 * from the chosen type's requirements and details schema, photos or PDFs read as data URLs, POST
 * /v1/me/service-requests; the holder's requests with their status timeline, corrections, cancel, the issued PDFs
 * and the SKM rating. resident.js owns the session and hands in `authed`; everything here writes text, never HTML.
 */
import { busy, clear, formatDateTime, problemMessage, say, t } from './common.js';

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 2 * 1024 * 1024;
const CANCELLABLE = ['submitted', 'in_review', 'needs_correction'];
const RATEABLE = ['completed', 'picked_up', 'delivered'];
const ADDRESS_FIELDS = ['street', 'rt', 'rw', 'village', 'district', 'regency', 'province', 'postalCode', 'phone'];

let catalog = null;
let authedCall = null;
let tokenOf = () => null;

const statusLabel = (status) => t(`svc.status.${status}`);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/* ---------- Pelayanan: the form ---------- */

async function loadCatalog() {
  if (catalog) return;
  const select = $('svc-type');
  const result = await authedCall('GET', '/v1/services');
  select.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('svc-status', problemMessage(result.problem, result.headers), 'error');
  catalog = result.data.items;
  for (const item of catalog) select.append(el('option', { value: item.type, textContent: item.title }));
}

let fieldCounter = 0;

/** Controls for one JSON-Schema property; `path` is its place in `details` (dots, [0] for a list's first item). */
function schemaControl(name, schema, path, required, root) {
  const id = `svc-f-${++fieldCounter}`;
  const label = t(`svc.field.${name}`);
  const title = label !== `svc.field.${name}` ? label : schema.title || schema.description || name;
  if (schema.type === 'object' && schema.properties) {
    const box = el('fieldset', { className: 'svc-group' }, el('legend', { textContent: title }));
    const req = new Set(schema.required ?? []);
    for (const [child, sub] of Object.entries(schema.properties)) box.append(schemaControl(child, sub, `${path}.${child}`, req.has(child), root));
    return box;
  }
  if (schema.type === 'array' && schema.items?.type === 'object') {
    // One entry on the form; the office can ask for more through the corrections.
    return schemaControl(name, schema.items, `${path}[0]`, required, root);
  }
  const wrap = el('div', { className: 'field' });
  wrap.append(el('label', { htmlFor: id, textContent: required ? title : `${title} ${t('svc.optional')}` }));
  let input;
  if (Array.isArray(schema.enum)) {
    input = el('select', { id });
    if (!required) input.append(el('option', { value: '', textContent: '—' }));
    for (const option of schema.enum) {
      const word = t(`svc.enum.${option}`);
      input.append(el('option', { value: String(option), textContent: word !== `svc.enum.${option}` ? word : String(option) }));
    }
  } else if (schema.type === 'array') {
    input = el('textarea', { id, rows: 3 });
    wrap.append(el('p', { className: 'hint', textContent: t('svc.listItem') }));
  } else if (schema.type === 'boolean') {
    input = el('input', { id, type: 'checkbox' });
  } else {
    input = el('input', { id, type: schema.type === 'integer' || schema.type === 'number' ? 'number' : schema.format === 'date' ? 'date' : 'text' });
    if (schema.maxLength) input.maxLength = schema.maxLength;
  }
  input.name = path;
  input.dataset.kind = schema.type === 'array' ? 'list' : schema.type || 'string';
  if (required) input.required = true;
  wrap.append(input);
  return wrap;
}

function setPath(target, path, value) {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let node = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else node = node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
  });
}

function readDetails(box) {
  const details = {};
  for (const input of box.querySelectorAll('[name]')) {
    const kind = input.dataset.kind;
    let value;
    if (kind === 'boolean') value = input.checked;
    else if (input.value.trim() === '') continue;
    else if (kind === 'integer' || kind === 'number') value = Number(input.value);
    else if (kind === 'list') value = input.value.split('\n').map((v) => v.trim()).filter(Boolean);
    else value = input.value.trim();
    setPath(details, input.name, value);
  }
  return details;
}

function showService(type) {
  clear('svc-status');
  const form = $('svc-form');
  const service = catalog?.find((s) => s.type === type);
  form.hidden = !service;
  if (!service) return;
  $('svc-description').textContent = service.description;
  $('svc-sla').textContent = t('svc.sla', { hours: service.slaHours });
  const attachments = $('svc-attachments');
  attachments.replaceChildren();
  for (const requirement of service.requirements) {
    const id = `svc-file-${requirement.kind}`;
    attachments.append(
      el(
        'div',
        { className: 'field' },
        el('label', { htmlFor: id, textContent: requirement.required ? requirement.title : `${requirement.title} ${t('svc.optional')}` }),
        el('input', { id, type: 'file', accept: 'image/*,application/pdf', capture: 'environment', dataset: { kind: requirement.kind } }),
      ),
    );
  }
  const details = $('svc-details');
  details.replaceChildren();
  const schema = service.detailsSchema;
  const required = new Set(schema.required ?? []);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) details.append(schemaControl(name, sub, name, required.has(name), details));
  const fulfilment = $('svc-fulfilment');
  fulfilment.replaceChildren();
  service.fulfilment.forEach((option, i) => {
    const id = `svc-ful-${option}`;
    fulfilment.append(
      el('div', { className: 'check' }, el('input', { id, type: 'radio', name: 'fulfilment', value: option, checked: i === 0 }), el('label', { htmlFor: id, textContent: t(`svc.fulfilment.${option}`) })),
    );
  });
  const address = $('svc-address-fields');
  address.replaceChildren();
  for (const name of ADDRESS_FIELDS) {
    const id = `svc-addr-${name}`;
    address.append(el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: t(`el.${name}`) === `el.${name}` ? name : t(`el.${name}`) }), el('input', { id, name, type: 'text' })));
  }
  onFulfilmentChange();
}

function onFulfilmentChange() {
  const chosen = document.querySelector('#svc-fulfilment input:checked')?.value;
  $('svc-address').hidden = chosen !== 'delivery';
}

const readAsDataUrl = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/** The chosen files as API attachments, or a message about the first one that is too large. */
async function readFiles(inputs) {
  const attachments = [];
  for (const input of inputs) {
    const file = input.files?.[0];
    if (!file) continue;
    if (file.size > MAX_BYTES) return { error: t('svc.fileTooBig', { name: file.name }) };
    attachments.push({ kind: input.dataset.kind, filename: file.name, dataUrl: await readAsDataUrl(file) });
  }
  return { attachments };
}

function requirementTitles(kinds, service) {
  return kinds.map((kind) => service?.requirements.find((r) => r.kind === kind)?.title ?? kind).join(', ');
}

function failure(statusId, result, service) {
  if (result.problem?.code === 'requirements_missing' && Array.isArray(result.problem.missing)) {
    return say(statusId, t('svc.missing', { list: requirementTitles(result.problem.missing, service) }), 'error');
  }
  if (result.problem?.code === 'invalid_request') return say(statusId, `${t('svc.invalidDetails')} ${problemMessage(result.problem, result.headers)}`, 'error');
  say(statusId, problemMessage(result.problem, result.headers), 'error');
}

async function submitService(event) {
  event.preventDefault();
  const form = $('svc-form');
  const service = catalog?.find((s) => s.type === $('svc-type').value);
  if (!service) return;
  clear('svc-status');
  await busy(form, async () => {
    const files = await readFiles(form.querySelectorAll('#svc-attachments input[type=file]'));
    if (files.error) return say('svc-status', files.error, 'error');
    const fulfilment = form.querySelector('#svc-fulfilment input:checked')?.value;
    const body = { type: service.type, details: readDetails($('svc-details')), attachments: files.attachments, fulfilment };
    if (fulfilment === 'delivery') {
      const address = {};
      for (const input of $('svc-address-fields').querySelectorAll('input')) if (input.value.trim()) address[input.name] = input.value.trim();
      body.deliveryAddress = address;
    }
    const result = await authedCall('POST', '/v1/me/service-requests', body);
    if (result.ended) return;
    if (!result.ok) return failure('svc-status', result, service);
    form.reset();
    say('svc-status', t('svc.submitted', { number: result.data.number }), 'success');
  });
}

/* ---------- Pemantauan Pelayanan ---------- */

async function loadRequests() {
  const list = $('svc-track-list');
  list.setAttribute('aria-busy', 'true');
  const result = await authedCall('GET', '/v1/me/service-requests');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('svc-track-status', problemMessage(result.problem, result.headers), 'error');
  list.replaceChildren();
  $('svc-track-empty').hidden = result.data.items.length > 0;
  for (const item of result.data.items) {
    const title = catalog?.find((s) => s.type === item.type)?.title ?? item.type;
    const button = el('button', { type: 'button', className: 'button secondary wide', dataset: { requestId: item.id }, textContent: `${item.number} · ${title} · ${statusLabel(item.status)}` });
    button.addEventListener('click', () => showRequest(item.id));
    list.append(el('li', {}, button));
  }
}

async function showRequest(id) {
  clear('svc-track-status');
  const view = $('svc-track-view');
  const result = await authedCall('GET', `/v1/me/service-requests/${encodeURIComponent(id)}`);
  if (result.ended) return;
  if (!result.ok) return say('svc-track-status', problemMessage(result.problem, result.headers), 'error');
  const r = result.data;
  const service = catalog?.find((s) => s.type === r.type);
  view.replaceChildren();
  view.hidden = false;
  view.append(el('h3', { id: 'svc-request-heading', tabIndex: -1, textContent: `${r.number} · ${service?.title ?? r.type}` }));
  view.append(el('p', { id: 'svc-request-status', className: 'badge', textContent: statusLabel(r.status) }));
  if (r.rejectReason) view.append(el('p', { textContent: t('svc.track.reason', { reason: r.rejectReason }) }));

  const timeline = el('ol', { id: 'svc-timeline', className: 'timeline', ariaLabel: t('svc.track.timeline') });
  for (const step of r.history) {
    const text = [formatDateTime(step.at), statusLabel(step.status), step.note].filter(Boolean).join(' · ');
    timeline.append(el('li', { dataset: { status: step.status }, textContent: text }));
  }
  view.append(el('h4', { textContent: t('svc.track.timeline') }), timeline);

  if (r.status === 'needs_correction') view.append(correctionsForm(r, service));
  for (const doc of r.documents ?? []) {
    const button = el('button', { type: 'button', className: 'button primary wide', dataset: { documentId: doc.id }, textContent: t('svc.track.download', { title: doc.number }) });
    button.addEventListener('click', () => downloadPdf(r.id, doc.id));
    view.append(button);
  }
  if (CANCELLABLE.includes(r.status)) {
    const cancel = el('button', { type: 'button', id: 'svc-cancel', className: 'button secondary', textContent: t('svc.track.cancel') });
    cancel.addEventListener('click', async () => {
      const done = await authedCall('POST', `/v1/me/service-requests/${encodeURIComponent(r.id)}/cancel`);
      if (done.ended) return;
      if (!done.ok) return say('svc-track-status', problemMessage(done.problem, done.headers), 'error');
      await showRequest(r.id);
      await loadRequests();
      say('svc-track-status', t('svc.track.cancelled'), 'success');
    });
    view.append(cancel);
  }
  if (r.rating) view.append(el('p', { id: 'svc-rating', textContent: t('svc.track.yourRating', { score: t(`svc.score.${r.rating.score}`) }) }));
  else if (RATEABLE.includes(r.status)) view.append(ratingForm(r));
}

function correctionsForm(r, service) {
  const form = el('form', { id: 'svc-corrections-form', noValidate: true });
  form.append(el('p', { className: 'notice warn', textContent: t('svc.track.corrections', { list: requirementTitles(r.corrections ?? [], service) }) }));
  const last = [...r.history].reverse().find((h) => h.status === 'needs_correction');
  if (last?.note) form.append(el('p', { textContent: last.note }));
  for (const kind of r.corrections ?? []) {
    const id = `svc-fix-${kind}`;
    form.append(el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: requirementTitles([kind], service) }), el('input', { id, type: 'file', accept: 'image/*,application/pdf', capture: 'environment', dataset: { kind } })));
  }
  form.append(el('button', { type: 'submit', className: 'button primary', textContent: t('svc.track.sendCorrections') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(form, async () => {
      const files = await readFiles(form.querySelectorAll('input[type=file]'));
      if (files.error) return say('svc-track-status', files.error, 'error');
      const done = await authedCall('POST', `/v1/me/service-requests/${encodeURIComponent(r.id)}/corrections`, { attachments: files.attachments });
      if (done.ended) return;
      if (!done.ok) return failure('svc-track-status', done, service);
      await showRequest(r.id);
      say('svc-track-status', t('svc.track.corrected'), 'success');
    });
  });
  return form;
}

function ratingForm(r) {
  const form = el('form', { id: 'svc-rating-form', noValidate: true }, el('h4', { textContent: t('svc.track.rate') }));
  const select = el('select', { id: 'svc-score', name: 'score' });
  for (const score of [4, 3, 2, 1]) select.append(el('option', { value: String(score), textContent: t(`svc.score.${score}`) }));
  form.append(el('div', { className: 'field' }, el('label', { htmlFor: 'svc-score', textContent: t('svc.track.score') }), select));
  form.append(el('div', { className: 'field' }, el('label', { htmlFor: 'svc-comment', textContent: t('svc.track.comment') }), el('textarea', { id: 'svc-comment', name: 'comment', rows: 2, maxLength: 1000 })));
  form.append(el('button', { type: 'submit', className: 'button primary', textContent: t('svc.track.rate') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const comment = $('svc-comment').value.trim();
    const done = await authedCall('POST', `/v1/me/service-requests/${encodeURIComponent(r.id)}/rating`, { score: Number(select.value), ...(comment ? { comment } : {}) });
    if (done.ended) return;
    if (!done.ok) return say('svc-track-status', problemMessage(done.problem, done.headers), 'error');
    await showRequest(r.id);
    say('svc-track-status', t('svc.track.rated'), 'success');
  });
  return form;
}

/** The PDF through the Bearer token (no cookie), saved with an <a download>. */
async function downloadPdf(id, documentId) {
  const token = tokenOf();
  let res;
  try {
    res = await fetch(`/v1/me/service-requests/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}.pdf`, { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit', cache: 'no-store' });
  } catch {
    return say('svc-track-status', problemMessage({ code: 'network' }), 'error');
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({ code: 'unknown' }));
    return say('svc-track-status', problemMessage(problem, res.headers), 'error');
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `${documentId}.pdf` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/* ---------- wiring ---------- */

export function wireServices(authed, token) {
  authedCall = authed;
  tokenOf = token;
  $('svc-type').addEventListener('change', (event) => showService(event.target.value));
  $('svc-fulfilment').addEventListener('change', onFulfilmentChange);
  $('svc-form').addEventListener('submit', submitService);
  $('svc-track-refresh').addEventListener('click', loadRequests);
}

export async function openServicesTab(name) {
  if (name === 'services') await loadCatalog();
  if (name === 'tracking') {
    await loadCatalog();
    await loadRequests();
  }
}
