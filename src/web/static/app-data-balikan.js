/**
 * The /app screen "Data dari instansi": what user institutions wrote back about the holder (GET /v1/me/data-balikan),
 * one card per institution and kind with its fields. resident.js owns the session and hands in its `authed` call;
 * everything here writes text, never HTML.
 */
import { clear, fillDataList, formatDateTime, problemMessage, say, t } from './common.js';

const $ = (id) => document.getElementById(id);
const label = (key, fallback) => (t(key) === key ? fallback : t(key));

function recordCard(item) {
  const card = document.createElement('article');
  card.className = 'balikan-item';
  card.dataset.kind = item.kind;
  const heading = document.createElement('h3');
  heading.textContent = item.source?.name ?? '—';
  const kind = document.createElement('p');
  kind.className = 'balikan-kind';
  kind.textContent = label(`balikan.kind.${item.kind}`, item.kind);
  const fields = document.createElement('dl');
  fields.className = 'data-list';
  fillDataList(fields, Object.entries(item.fields ?? {}).map(([name, value]) => [name, String(value)]));
  const updated = document.createElement('p');
  updated.className = 'hint';
  const when = document.createElement('time');
  when.dateTime = item.updatedAt;
  when.textContent = formatDateTime(item.updatedAt);
  updated.append(t('balikan.updated'), ' ', when);
  card.append(heading, kind, fields, updated);
  return card;
}

async function loadDataBalikan(authed) {
  const list = $('databalikan-list');
  clear('databalikan-status');
  list.setAttribute('aria-busy', 'true');
  const result = await authed('GET', '/v1/me/data-balikan');
  list.removeAttribute('aria-busy');
  if (result.ended) return;
  if (!result.ok) return say('databalikan-status', problemMessage(result.problem, result.headers), 'error');
  const items = result.data.items ?? [];
  list.replaceChildren(...items.map(recordCard));
  $('databalikan-empty').hidden = items.length > 0;
}

/** Wires the reload button once; `authed` is resident.js's authenticated call. */
export function wireDataBalikan(authed) {
  $('databalikan-refresh').addEventListener('click', () => loadDataBalikan(authed));
}

/** Loads the screen when its tab is opened; false for tabs that are not ours. */
export async function openDataBalikanTab(name, authed) {
  if (name !== 'databalikan') return false;
  await loadDataBalikan(authed);
  return true;
}
