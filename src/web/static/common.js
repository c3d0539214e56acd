/** Shared by every page's script: messages, the JSON API client, live-region status, field errors, base64url. */

const table = (() => {
  const node = document.getElementById('ikd-messages');
  try {
    return node ? JSON.parse(node.textContent || '{}') : {};
  } catch {
    return {};
  }
})();

export const lang = document.documentElement.lang === 'en' ? 'en' : 'id';

/** The message for key, with {name} placeholders filled in. */
export function t(key, vars) {
  const text = table[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? `{${name}}`)) : text;
}

/**
 * Calls the API with JSON. Resolves to { ok, status, data, problem, headers }; never throws: a network failure
 * is a problem with code "network". Authentication is a Bearer token the caller passes (kept in memory or
 * sessionStorage); cookies go out only with `consoleCookie` (operator login and logout, which carry the console
 * header), so no request of these pages can be forged cross-site.
 */
export async function api(method, path, body, { token, signal, consoleCookie = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  // The operator console's login and logout also set and clear the session cookie, for the pages that are plain
  // links (the monitoring dashboard, its CSV): the console header asks for it and is the cookie's CSRF proof.
  if (consoleCookie) headers['X-Requested-With'] = 'ikd-console';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: consoleCookie ? 'same-origin' : 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    return { ok: false, status: 0, data: null, problem: { code: 'network' }, headers: new Headers() };
  }
  let data = null;
  const type = res.headers.get('content-type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return { ok: true, status: res.status, data, problem: null, headers: res.headers };
  const problem = data && typeof data.code === 'string' ? data : { code: res.status >= 500 ? 'internal_error' : 'unknown', status: res.status };
  return { ok: false, status: res.status, data: null, problem, headers: res.headers };
}

/** A person's message for a problem, chosen by its code (never by its text). */
export function problemMessage(problem, headers) {
  const code = problem?.code ?? 'unknown';
  const retryAfter = Number(headers?.get?.('Retry-After') ?? 0) || 60;
  const vars = { seconds: retryAfter, minutes: Math.max(1, Math.ceil(retryAfter / 60)) };
  const key = `err.${code}`;
  const text = t(key, vars);
  return text === key ? t('err.unknown') : text;
}

/** Writes a message into a live region; kind is "info", "success" or "error". */
export function say(target, text, kind = 'info') {
  const node = typeof target === 'string' ? document.getElementById(target) : target;
  if (!node) return;
  node.classList.remove('info', 'success', 'error');
  node.classList.add(kind);
  node.textContent = text || '';
}

export const clear = (target) => say(target, '');

/** Marks a field invalid with its message (aria-invalid + the error line its aria-describedby points to). */
export function fieldError(input, message) {
  if (!input) return;
  const error = document.getElementById(`${input.id}-error`);
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  } else {
    input.removeAttribute('aria-invalid');
    if (error) {
      error.textContent = '';
      error.hidden = true;
    }
  }
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('[aria-invalid]')) fieldError(input, '');
  for (const error of form.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
}

/**
 * Shows a 400's field problems on the form: the API names fields by path ("nik", "selfie"); the message shown is
 * ours for that field. Focus goes to the first invalid field. Returns true when some field was marked.
 */
export function showFieldProblems(form, problem) {
  const paths = (problem?.errors ?? []).map((e) => String(e.path || '').split('.')[0]);
  let first = null;
  for (const path of paths) {
    const input = form.querySelector(`[name="${CSS.escape(path)}"]`);
    if (!input) continue;
    const key = `field.${path}`;
    const text = t(key);
    fieldError(input, text === key ? t('field.required') : text);
    first ??= input;
  }
  first?.focus();
  return first !== null;
}

/** Disables a form's submit buttons while a request runs, so a double tap sends nothing twice. */
export async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
  }
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    for (const b of buttons) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    }
    form.removeAttribute('aria-busy');
  }
}

export const isPin = (value) => /^[0-9]{6}$/.test(value);

export function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** An SVG string as an <img> source: the markup is never parsed into the page. */
export const svgDataUrl = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/* Times people read are Indonesian local time with the zone's name: the holder's zone (GET /v1/me) in /app, the
   office's (GET /v1/operator/me) in the console; the device's own zone only until the page knows which. */
const ZONE_IANA = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' };
let readerZone = null;

/** Sets the zone ("WIB", "WITA" or "WIT") every later formatDateTime / formatClock uses; anything else is ignored. */
export function setReaderZone(zone) {
  if (Object.hasOwn(ZONE_IANA, zone)) readerZone = zone;
}

function formatIn(iso, options) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '');
  const text = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', { ...options, ...(readerZone ? { timeZone: ZONE_IANA[readerZone] } : {}) }).format(d);
  return readerZone ? `${text} ${readerZone}` : text;
}

/** Date and time for people ("2 Des 2026, 14.05 WITA"), in the page's language and the reader's zone. */
export const formatDateTime = (iso) => formatIn(iso, { dateStyle: 'medium', timeStyle: 'short' });

/** The time of day alone ("14.05 WIB"). */
export const formatClock = (iso) => formatIn(iso, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatDate(isoDate) {
  const d = new Date(`${String(isoDate).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(isoDate ?? '');
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** Copy buttons: <button data-copy="textarea-id">. */
export function wireCopyButtons(root = document) {
  for (const button of root.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select();
      }
      const original = button.textContent;
      button.textContent = t('common.copied');
      setTimeout(() => (button.textContent = original), 1500);
    });
  }
}

/** Shows exactly one of the given sections and moves focus to its heading (for screen readers and keyboards). */
export function showView(ids, id, { focus = true } = {}) {
  for (const other of ids) {
    const node = document.getElementById(other);
    if (node) node.hidden = other !== id;
  }
  const view = document.getElementById(id);
  if (focus && view) view.querySelector('h1, h2')?.focus();
  return view;
}

/** Fills a <dl> with label/value rows; values are text, never HTML. */
export function fillDataList(dl, rows) {
  dl.replaceChildren();
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dl.append(dt, dd);
  }
}

/** A KTP address as one line: street, RT/RW, village, district, regency, province. */
export function formatAddress(a) {
  if (!a || typeof a !== 'object') return a ?? '';
  const rtrw = a.rt || a.rw ? `RT ${a.rt ?? '-'}/RW ${a.rw ?? '-'}` : '';
  return [a.street, rtrw, a.village, a.district, a.regency, a.province].filter(Boolean).join(', ');
}
