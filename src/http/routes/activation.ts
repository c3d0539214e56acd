/** Activation: the page behind the e-mailed link (GET shows, never consumes) and the POST that activates. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { activateAccount, activationLinkState } from '../../domain/enrolment/activation.js';
import { escapeHtml } from '../../email/templates.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { preferredLanguage, type Lang } from '../problem.js';
import { jsonBody } from '../validate.js';
import { isActivationToken } from '../../web/pages/activate.js';
import { activatePage } from '../../web/render.js';

const activationBody = z.object({
  token: z.string().min(1).max(256),
  code: z.string().min(1).max(32),
  newPin: z.string().min(1).max(32),
});

const TEXT = {
  id: {
    title: 'Aktivasi IKD',
    intro: 'Masukkan kode aktivasi dari e-mail Anda, lalu buat PIN 6 angka untuk masuk ke aplikasi IKD.',
    code: 'Kode aktivasi (6 angka)',
    pin: 'PIN baru (6 angka)',
    pin2: 'Ulangi PIN baru',
    submit: 'Aktifkan',
    hint: 'Jangan gunakan angka berulang (111111), berurutan (123456), tanggal lahir, atau kode aktivasi sebagai PIN.',
    missing: 'Tautan aktivasi tidak lengkap. Buka tautan persis seperti di e-mail.',
    mismatch: 'Kedua PIN tidak sama.',
    done: 'IKD Anda sudah aktif. Masuk ke aplikasi dengan PIN baru Anda.',
    openApp: 'Buka aplikasi IKD',
    errors: {
      weak_pin: 'PIN terlalu lemah. Pilih 6 angka lain.',
      activation_invalid: 'Kode aktivasi salah, atau tautan tidak dikenal.',
      activation_expired: 'Tautan ini sudah tidak berlaku. Minta petugas Disdukcapil mengirim ulang aktivasi.',
      too_many_attempts: 'Terlalu banyak kode salah: tautan ini tidak berlaku lagi. Minta petugas Disdukcapil mengirim ulang.',
      other: 'Aktivasi gagal. Coba lagi sebentar lagi.',
    },
  },
  en: {
    title: 'IKD activation',
    intro: 'Enter the activation code from your e-mail, then choose a 6-digit PIN to log in to the IKD app.',
    code: 'Activation code (6 digits)',
    pin: 'New PIN (6 digits)',
    pin2: 'New PIN again',
    submit: 'Activate',
    hint: 'Do not use repeated digits (111111), a sequence (123456), your birth date or the activation code as your PIN.',
    missing: 'The activation link is incomplete. Open the link exactly as it is in the e-mail.',
    mismatch: 'The two PINs differ.',
    done: 'Your IKD is active. Log in to the app with your new PIN.',
    openApp: 'Open the IKD app',
    errors: {
      weak_pin: 'This PIN is too weak. Choose 6 other digits.',
      activation_invalid: 'The activation code is wrong, or the link is unknown.',
      activation_expired: 'This link no longer works. Ask a Disdukcapil officer to resend the activation.',
      too_many_attempts: 'Too many wrong codes: this link no longer works. Ask a Disdukcapil officer to resend it.',
      other: 'Activation failed. Please try again shortly.',
    },
  },
} as const;

type PageState = { token?: string; error?: string; done?: boolean };

function renderPage(lang: Lang, state: PageState): string {
  const t = TEXT[lang];
  const error = state.error ? `<p class="error" role="alert">${escapeHtml(state.error)}</p>` : '';
  let main: string;
  if (state.done) {
    main = `<p class="ok" role="status">${escapeHtml(t.done)}</p><p><a href="/app">${escapeHtml(t.openApp)}</a></p>`;
  } else if (!state.token) {
    main = `<p class="error" role="alert">${escapeHtml(t.missing)}</p>`;
  } else {
    const digits = 'inputmode="numeric" pattern="[0-9]{6}" maxlength="6" minlength="6" required';
    main = `<p>${escapeHtml(t.intro)}</p>${error}
<form method="post" action="/activate${lang === 'en' ? '?lang=en' : ''}" autocomplete="off">
<input type="hidden" name="t" value="${escapeHtml(state.token)}">
<label>${escapeHtml(t.code)}<input name="code" autocomplete="one-time-code" ${digits}></label>
<label>${escapeHtml(t.pin)}<input name="newPin" type="password" autocomplete="new-password" ${digits}></label>
<label>${escapeHtml(t.pin2)}<input name="newPinAgain" type="password" autocomplete="new-password" ${digits}></label>
<p class="hint">${escapeHtml(t.hint)}</p>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`;
  }
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(t.title)}</title>
<style>
body{font-family:system-ui,Arial,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;font-size:1.4rem;padding:.5rem;letter-spacing:.3rem;margin-top:.25rem}
button{margin-top:1rem;width:100%;font-size:1.1rem;padding:.75rem;background:#0b5394;color:#fff;border:0;border-radius:.4rem}
.error{color:#a40000;font-weight:600}.ok{color:#1e6b1e;font-weight:600}.hint{color:#555;font-size:.9rem}
</style></head>
<body><h1>${escapeHtml(t.title)}</h1>${main}</body></html>`;
}

function page(c: Context<AppEnv>, lang: Lang, state: PageState, status: 200 | 400 | 401 | 410 | 429 | 500 = 200) {
  // The URL carries the link token: no referrer, no cache, anywhere.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return c.html(renderPage(lang, state), status);
}

export function activationRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/activate',
    describeRoute({
      summary: 'The activation page behind the e-mailed link: it shows a form and consumes nothing',
      tags: ['activation', 'pages'],
      security: 'none',
      responses: { 200: { description: 'HTML form', contentType: 'text/html' } },
    }),
    // The page is src/web's (pages owner); this POST /activate below stays its no-JavaScript fallback.
    async (c) => {
      const token = c.req.query('t');
      return activatePage(c, isActivationToken(token) ? await activationLinkState(c.get('deps'), token) : 'open');
    },
  );

  // The same form without JavaScript: the page posts here and gets a page back.
  app.post(
    '/activate',
    describeRoute({ hidden: true }),
    async (c) => {
      const lang = preferredLanguage(c);
      const t = TEXT[lang];
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).slice(0, 256) : '');
      const token = field('t');
      if (!token) return page(c, lang, {}, 400);
      if (field('newPin') !== field('newPinAgain')) return page(c, lang, { token, error: t.mismatch }, 400);
      try {
        await activateAccount(c.get('deps'), { token, code: field('code'), newPin: field('newPin') });
        return page(c, lang, { done: true });
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        const message = (t.errors as Record<string, string>)[error.code] ?? t.errors.other;
        return page(c, lang, { token, error: message }, error.status as 400 | 401 | 410 | 429);
      }
    },
  );

  app.post(
    '/v1/activations',
    describeRoute({
      summary: 'Activate: the e-mailed link token and code, and the resident’s own new PIN',
      tags: ['activation'],
      security: 'none',
      responses: { 200: { description: 'Active', schema: z.object({ status: z.literal('active') }) } },
      errors: ['weak_pin', 'activation_invalid', 'activation_expired', 'too_many_attempts'],
    }),
    jsonBody(activationBody),
    async (c) => c.json(await activateAccount(c.get('deps'), c.req.valid('json'))),
  );

  return app;
}

