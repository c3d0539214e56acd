/** Turns a page component into an HTML response in the request's language (and remembers a ?lang= choice). */
import type { Context } from 'hono';
import { langCookie, pageLanguage, translator, type Lang, type Translate } from './i18n/index.js';
import { renderDocument } from './layout.js';
import { ActivatePage, isActivationToken } from './pages/activate.js';
import { CounterPage } from './pages/counter.js';
import { LockPage, type LockPageState } from './pages/lock.js';
import { DocumentCheckPage, type DocumentCheckPageState } from './pages/document-check.js';
import { MailboxPage, type MailboxMessage } from './pages/mailbox.js';
import { DemoRpPage, OidcAuthorizePage, OidcErrorPage, type AuthorizePageProps } from './pages/oidc.js';
import { OperatorPage } from './pages/operator.js';
import { ResidentPage } from './pages/resident.js';

export interface PageContext {
  lang: Lang;
  t: Translate;
  switchHref: string;
}

/**
 * The current URL with ?lang= set to the other language; other query parameters stay, except the activation
 * link token `t`: a secret is never put back into a URL (history, Referer-less copies, screenshots).
 */
function switchHref(c: Context, lang: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.delete('t');
  url.searchParams.set('lang', lang === 'id' ? 'en' : 'id');
  return `${url.pathname}?${url.searchParams.toString()}`;
}

/** `langOverride`: a language the request names another way (OpenID Connect's ui_locales), before ?lang= and cookie. */
export function htmlPage(c: Context, render: (page: PageContext) => unknown, status = 200, langOverride?: Lang): Response {
  const chosen = pageLanguage(c);
  const lang = langOverride ?? chosen.lang;
  const remember = langOverride ? false : chosen.remember;
  const html = renderDocument(render({ lang, t: translator(lang), switchHref: switchHref(c, lang) }));
  const headers: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Language': lang,
    Vary: 'Accept-Language, Cookie',
  };
  if (remember) headers['Set-Cookie'] = langCookie(lang);
  return new Response(html, { status, headers });
}

export const residentPage = (c: Context) => htmlPage(c, (p) => <ResidentPage {...p} />);
export const operatorPage = (c: Context) => htmlPage(c, (p) => <OperatorPage {...p} />);
export const counterPage = (c: Context) => htmlPage(c, (p) => <CounterPage {...p} />);

/** GET /activate: the token stays in the page (a hidden field); only the client's POST /v1/activations consumes it. */
export function activatePage(c: Context, state: 'open' | 'used' = 'open'): Response {
  const token = c.req.query('t');
  return htmlPage(c, (p) => <ActivatePage {...p} token={token} used={state === 'used'} />, isActivationToken(token) ? 200 : 400);
}

/** GET /lock and the answer of its form: the link token stays in the page, never in a URL the page makes. */
export function lockPage(c: Context, token: string | undefined, state: LockPageState, status = 200): Response {
  const res = htmlPage(c, (p) => <LockPage {...p} token={token} state={state} />, status);
  res.headers.set('Referrer-Policy', 'no-referrer');
  return res;
}

/** GET /dev/mailbox: the outbox's messages as a page (the JSON twin lives beside it in dev.ts). */
export const mailboxPage = (c: Context, messages: MailboxMessage[]) => htmlPage(c, (p) => <MailboxPage {...p} messages={messages} />);

export type { MailboxMessage };

/** OpenID Connect's ui_locales (space-separated, preferred first): English when it comes before Indonesian. */
function uiLocale(c: Context): Lang | undefined {
  if (c.req.query('lang')) return undefined;
  for (const tag of (c.req.query('ui_locales') ?? '').split(' ')) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'id') return base;
  }
  return undefined;
}

/** GET /oidc/authorize: the request's page (Indonesian; English with ui_locales=en). */
export const oidcAuthorizePage = (c: Context, view: Omit<AuthorizePageProps, keyof PageContext>) =>
  htmlPage(c, (p) => <OidcAuthorizePage {...p} {...view} />, 200, uiLocale(c));

/** GET /oidc/authorize for an unknown client or an unregistered redirect URI: 400, never a redirect. */
export const oidcErrorPage = (c: Context, reason: 'unknown_client' | 'redirect_uri') =>
  htmlPage(c, (p) => <OidcErrorPage {...p} reason={reason} />, 400, uiLocale(c));

/** GET /dev/rp (development only): the demo relying party. */
export const demoRpPage = (c: Context, view: { loginHref: string; error?: string; userinfo?: Record<string, unknown>; idTokenClaims?: Record<string, unknown> }) =>
  htmlPage(c, (p) => <DemoRpPage {...p} {...view} />);
/** GET /cek/{code} and the answer of its upload form: public, no login, no JavaScript. */
export function documentCheckPage(c: Context, state: DocumentCheckPageState, status = 200): Response {
  const res = htmlPage(c, (p) => <DocumentCheckPage {...p} state={state} />, status);
  res.headers.set('Referrer-Policy', 'no-referrer');
  return res;
}
