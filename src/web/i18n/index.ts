/** Words of the pages in Indonesian (default) and English, and how a request picks its language. */
import type { Context } from 'hono';

export type Lang = 'id' | 'en';
export const LANG_COOKIE = 'ikd_lang';

import { id, type MessageKey } from './id.js';
import { en } from './en.js';

export type { MessageKey };

export const messages: Record<Lang, Record<MessageKey, string>> = { id, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = messages[lang];
  return (key, vars) => {
    const text = table[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
  };
}

function cookieLang(header: string | undefined): Lang | undefined {
  const match = /(?:^|;\s*)ikd_lang=(id|en)(?:;|$)/.exec(header ?? '');
  return match?.[1] as Lang | undefined;
}

/**
 * The page language: ?lang= (and then remembered in a cookie), else the cookie, else Accept-Language
 * (API.md: Indonesian unless the client asks for English).
 */
export function pageLanguage(c: Context): { lang: Lang; remember: boolean } {
  const query = c.req.query('lang');
  if (query === 'id' || query === 'en') return { lang: query, remember: cookieLang(c.req.header('Cookie')) !== query };
  const fromCookie = cookieLang(c.req.header('Cookie'));
  if (fromCookie) return { lang: fromCookie, remember: false };
  const first = (c.req.header('Accept-Language') ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return { lang: first.startsWith('en') ? 'en' : 'id', remember: false };
}

export const langCookie = (lang: Lang) => `${LANG_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
