/** The page shell every screen shares: head, header with the language switch, main, footer, and the client script. */
import type { Child } from 'hono/jsx';
import { messages, type Lang, type MessageKey, type Translate } from './i18n/index.js';

export interface PageShell {
  lang: Lang;
  t: Translate;
  title: string;
  /** The same page in the other language (the current URL with ?lang= swapped). */
  switchHref: string;
  /** Module script under /assets/ (no inline scripts: the CSP allows 'self' only). */
  script?: string;
  /** Message-key prefixes the client script needs, handed over as a JSON data block. */
  clientMessages?: string[];
  /** Extra text beside the brand, e.g. "Konsol Operator". */
  area?: string;
  /** A desk-sized layout (the operator console) instead of the phone column. */
  wide?: boolean;
  children: Child;
}

/** A JSON data block is not executed, so the CSP does not apply; '<' is escaped so it cannot close the tag. */
function clientMessagesJson(lang: Lang, prefixes: string[]): string {
  const table = messages[lang];
  const picked: Record<string, string> = {};
  for (const key of Object.keys(table) as MessageKey[]) {
    if (prefixes.some((p) => key.startsWith(p))) picked[key] = table[key];
  }
  return JSON.stringify(picked).replace(/</g, '\\u003c');
}

export function Layout(props: PageShell) {
  const { lang, t } = props;
  const other: Lang = lang === 'id' ? 'en' : 'id';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="color-scheme" content="light" />
        <meta name="theme-color" content="#0b4f8a" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/assets/icons/icon.svg" type="image/svg+xml" />
        <link rel="apple-touch-icon" href="/assets/icons/icon-192.png" />
        <link rel="stylesheet" href="/assets/styles.css" />
        {props.script ? <script type="module" src={`/assets/${props.script}`}></script> : null}
      </head>
      <body class={props.wide ? 'wide' : undefined}>
        <a class="skip" href="#main">
          {t('site.skip')}
        </a>
        <header class="topbar">
          <div class="topbar-inner">
            <a class="brand" href="/app" aria-label={`${t('site.name')} — ${t('site.long')}`}>
              <img src="/assets/icons/icon.svg" alt="" width="32" height="32" />
              <span class="brand-text">
                <strong>{t('site.name')}</strong>
                <span>{props.area ?? t('site.long')}</span>
              </span>
            </a>
            {/* The link leads to the other language and is labelled in it (lang={other}), naming that language. */}
            <a class="lang-switch" href={props.switchHref} hreflang={other} lang={other} aria-label={messages[other]['site.langSwitchLabel']}>
              {t('site.langSwitch')}
            </a>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="footer">
          <p>{t('site.owner')}</p>
          <p>{t('site.footer')}</p>
        </footer>
        {props.clientMessages ? (
          <script
            type="application/json"
            id="ikd-messages"
            dangerouslySetInnerHTML={{ __html: clientMessagesJson(lang, props.clientMessages) }}
          ></script>
        ) : null}
      </body>
    </html>
  );
}

/** A labelled input with its hint and an (initially empty) error line, tied together by aria-describedby. */
export function Field(props: {
  id: string;
  name?: string;
  label: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'tel' | 'email' | 'text' | 'decimal' | 'url' | 'search' | 'none';
  pattern?: string;
  maxlength?: number;
  minlength?: number;
  value?: string;
  placeholder?: string;
  textarea?: boolean;
  rows?: number;
  readonly?: boolean;
  t: Translate;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', `${props.id}-error`].filter(Boolean).join(' ');
  const common = {
    id: props.id,
    name: props.name ?? props.id,
    required: props.required,
    autocomplete: props.autocomplete,
    'aria-describedby': described,
    readonly: props.readonly,
  };
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.required ? null : <span class="optional"> ({props.t('common.optional')})</span>}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.textarea ? (
        <textarea {...common} rows={props.rows ?? 3} spellcheck={false} placeholder={props.placeholder}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          inputmode={props.inputmode}
          pattern={props.pattern}
          maxlength={props.maxlength}
          minlength={props.minlength}
          value={props.value}
          placeholder={props.placeholder}
          spellcheck={false}
        />
      )}
      <p class="field-error" id={`${props.id}-error`} hidden></p>
    </div>
  );
}

/** A 6-digit PIN input: masked, numeric keyboard, never autofilled. */
export function PinField(props: { id: string; name?: string; label: string; hint?: string; t: Translate; autocomplete?: string }) {
  return (
    <Field
      id={props.id}
      name={props.name}
      label={props.label}
      hint={props.hint}
      type="password"
      inputmode="numeric"
      pattern="[0-9]{6}"
      maxlength={6}
      minlength={6}
      autocomplete={props.autocomplete ?? 'off'}
      required
      t={props.t}
    />
  );
}

/** A polite live region for a form's outcome; the client script fills it. */
export function Status(props: { id: string }) {
  return <div class="status" id={props.id} role="status" aria-live="polite" aria-atomic="true"></div>;
}

/** Camera scanning controls shared by the operator console and the counter. */
export function Scanner(props: { id: string; t: Translate }) {
  const { t } = props;
  return (
    <div class="scanner" id={props.id} data-scanner>
      <button type="button" class="button secondary" data-scan-start>
        {t('common.camera.start')}
      </button>
      <button type="button" class="button secondary" data-scan-stop hidden>
        {t('common.camera.stop')}
      </button>
      <div class="scanner-view" hidden>
        <video muted playsinline aria-label={t('common.camera.label')}></video>
      </div>
      <p class="scanner-status" role="status" aria-live="polite"></p>
    </div>
  );
}

export const renderDocument = (node: unknown): string => `<!doctype html>${String(node)}`;
