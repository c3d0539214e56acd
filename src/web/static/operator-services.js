/**
 * /operator Pelayanan: the office's queue (GET /v1/operator/service-requests, oldest first, overdue flagged), a
 * request with its attachments (images inline, PDFs as links, fetched with the Bearer token) beside the registry
 * record, and a button for each step the state machine allows from the current status to this operator's role — a
 * courier sees only the delivery steps. operator.js owns the session and hands in `authed`.
 */
import { busy, clear, fillDataList, formatAddress, formatDateTime, problemMessage, say, t } from './common.js';

const $ = (id) => document.getElementById(id);

const NEEDS_REASON = ['rejected', 'delivery_failed'];

let authedCall = null;
let tokenOf = () => null;
let me = null;
let current = null;
const objectUrls = [];

const statusLabel = (status) => t(`svc.status.${status}`);

/** The steps this operator may take on this request, as the server's state machine says (GET …/{id} allowedSteps). */
export function allowedSteps(request) {
  return (request.allowedSteps ?? []).map((to) => ({ to }));
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

async function loadQueue() {
  const list = $('op-svc-queue');
  list.setAttribute('aria-busy', 'true');
  const result = await authedCall('GET', '/v1/operator/service-requests');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('op-svc-status', problemMessage(result.problem, result.headers), 'error');
  list.replaceChildren();
  $('op-svc-empty').hidden = result.data.items.length > 0;
  for (const item of result.data.items) {
    const button = el('button', {
      type: 'button',
      className: `button secondary wide${item.overdue ? ' overdue' : ''}`,
      dataset: { requestId: item.id, overdue: String(item.overdue) },
      textContent: [item.number, item.type, statusLabel(item.status), formatDateTime(item.createdAt), item.overdue ? `⚠ ${t('svc.op.overdue')}` : ''].filter(Boolean).join(' · '),
    });
    button.addEventListener('click', () => openRequest(item.id));
    list.append(el('li', {}, button));
  }
}

function textOf(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value) && 'street' in value) return formatAddress(value);
  if (Array.isArray(value)) return value.map(textOf).join('; ');
  if (typeof value === 'object') return Object.entries(value).map(([key, v]) => `${key}: ${textOf(v)}`).join(', ');
  return String(value);
}

async function fetchAttachment(requestId, attachment) {
  const res = await fetch(`/v1/operator/service-requests/${encodeURIComponent(requestId)}/attachments/${encodeURIComponent(attachment.id)}`, {
    headers: { Authorization: `Bearer ${tokenOf()}` },
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!res.ok) return null;
  const url = URL.createObjectURL(await res.blob());
  objectUrls.push(url);
  return url;
}

async function showAttachments(request) {
  const box = $('op-svc-attachments');
  while (objectUrls.length) URL.revokeObjectURL(objectUrls.pop());
  box.replaceChildren();
  for (const attachment of request.attachments) {
    const url = await fetchAttachment(request.id, attachment);
    const caption = `${attachment.kind} · ${attachment.filename}`;
    if (!url) {
      box.append(el('p', { className: 'photo-missing', textContent: caption }));
    } else if (attachment.contentType.startsWith('image/')) {
      box.append(el('figure', { dataset: { attachmentId: attachment.id } }, el('img', { src: url, alt: caption }), el('figcaption', { textContent: caption })));
    } else {
      box.append(el('p', {}, el('a', { href: url, download: attachment.filename, dataset: { attachmentId: attachment.id }, textContent: caption })));
    }
  }
}

async function openRequest(id) {
  clear('op-svc-status');
  const result = await authedCall('GET', `/v1/operator/service-requests/${encodeURIComponent(id)}`);
  if (result.ended) return;
  if (!result.ok) return say('op-svc-status', problemMessage(result.problem, result.headers), 'error');
  current = result.data;
  $('op-svc-request').hidden = false;
  $('op-svc-request-heading').textContent = `${current.number} · ${current.type}`;
  showStatus(current);
  const resident = current.resident ?? {};
  fillDataList(
    $('op-svc-registry'),
    Object.entries(resident).map(([key, value]) => [t(`el.${key}`) === `el.${key}` ? key : t(`el.${key}`), textOf(value)]),
  );
  const detailRows = Object.entries(current.details).map(([key, value]) => [key, textOf(value)]);
  if (current.deliveryAddress) detailRows.push([t('svc.address'), formatAddress(current.deliveryAddress)]);
  detailRows.push([t('svc.fulfilment'), t(`svc.fulfilment.${current.fulfilment}`)]);
  fillDataList($('op-svc-details'), detailRows);
  showActions(current);
  await showAttachments(current);
  $('op-svc-request-heading').focus();
}

function showStatus(request) {
  $('op-svc-request-status').dataset.status = request.status;
  $('op-svc-request-status').textContent = statusLabel(request.status) + (request.overdue ? ` · ${t('svc.op.overdue')}` : '');
}

function showActions(request) {
  const steps = allowedSteps(request);
  const buttons = $('op-svc-buttons');
  buttons.replaceChildren();
  $('op-svc-actions').hidden = steps.length === 0;
  $('op-svc-note').value = '';
  $('op-svc-received').value = '';
  $('op-svc-received-field').hidden = !steps.some((s) => s.to === 'delivered');
  const asksCorrections = steps.some((s) => s.to === 'needs_correction');
  $('op-svc-corrections').hidden = !asksCorrections;
  const list = $('op-svc-corrections-list');
  list.replaceChildren();
  if (asksCorrections) {
    for (const attachment of request.attachments) {
      const id = `op-svc-fix-${attachment.kind}`;
      if ($(id)) continue;
      list.append(el('div', { className: 'check' }, el('input', { type: 'checkbox', id, value: attachment.kind }), el('label', { htmlFor: id, textContent: attachment.kind })));
    }
  }
  for (const step of steps) {
    const button = el('button', {
      type: 'button',
      className: NEEDS_REASON.includes(step.to) ? 'button danger' : 'button primary',
      dataset: { to: step.to },
      textContent: t(`svc.op.to.${step.to}`),
    });
    button.addEventListener('click', () => takeStep(step.to));
    buttons.append(button);
  }
}

async function takeStep(to) {
  const body = { to };
  const note = $('op-svc-note').value.trim();
  if (NEEDS_REASON.includes(to)) {
    if (!note) return say('op-svc-status', t('svc.op.needReason'), 'error');
    body.reason = note;
  } else if (note) body.note = note;
  if (to === 'delivered') {
    const receivedBy = $('op-svc-received').value.trim();
    if (!receivedBy) return say('op-svc-status', t('svc.op.needReceivedBy'), 'error');
    body.receivedBy = receivedBy;
  }
  if (to === 'needs_correction') {
    const kinds = [...$('op-svc-corrections-list').querySelectorAll('input:checked')].map((i) => i.value);
    if (kinds.length === 0) return say('op-svc-status', t('svc.op.needCorrections'), 'error');
    body.corrections = kinds;
  }
  await busy($('op-svc-actions'), async () => {
    const result = await authedCall('POST', `/v1/operator/service-requests/${encodeURIComponent(current.id)}/transition`, body);
    if (result.ended) return;
    if (!result.ok) return say('op-svc-status', problemMessage(result.problem, result.headers), 'error');
    // Updated here, not re-read: a courier no longer sees a request once it is delivered.
    current = { ...current, status: result.data.status, allowedSteps: result.data.allowedSteps };
    say('op-svc-status', t('svc.op.moved', { status: statusLabel(result.data.status) }), 'success');
    showStatus(current);
    showActions(current);
    await loadQueue();
  });
}

export function wireOperatorServices(authed, token) {
  authedCall = authed;
  tokenOf = token;
  $('op-svc-refresh').addEventListener('click', loadQueue);
}

export function openOperatorServices(operator) {
  me = operator;
  // A courier's console is the delivery queue: registrations and account locks are the office's (they would 403).
  const courier = operator?.role === 'courier';
  for (const card of document.querySelectorAll('#view-op-console > .card:not(#op-services):not(#op-case)')) card.hidden = courier;
  const services = $('op-services');
  if (courier) document.querySelector('#view-op-console > .console-bar')?.after(services);
  $('op-svc-request').hidden = true;
  return loadQueue();
}
