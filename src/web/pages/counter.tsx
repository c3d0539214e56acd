/** /counter: a public-service counter checks a digital KTP — API key once, scan or paste, green or red. */
import { Field, Layout, Scanner, Status } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';

export function CounterPage(props: { lang: Lang; t: Translate; switchHref: string }) {
  const { t } = props;
  return (
    <Layout
      lang={props.lang}
      t={t}
      title={t('counter.title')}
      area={t('counter.title').replace(/^IKD — /, '')}
      switchHref={props.switchHref}
      script="counter.js"
      clientMessages={['common.', 'err.', 'field.', 'el.', 'counter.', 'op.sex.', 'doc.']}
    >
      <noscript>
        <p class="notice error">{t('site.noscript')}</p>
      </noscript>

      <h1 class="page-title">{t('counter.title').replace(/^IKD — /, '')}</h1>
      <section id="counter-setup" class="card" aria-labelledby="setup-heading">
        <h2 id="setup-heading">{t('counter.setup.heading')}</h2>
        <form id="key-form" novalidate hidden>
          <Field id="counter-apikey" name="apiKey" label={t('counter.apiKey')} hint={t('counter.apiKeyHint')} type="password" autocomplete="off" required t={t} />
          <Field id="counter-name" name="counter" label={t('counter.counterName')} hint={t('counter.counterNameHint')} maxlength={60} autocomplete="off" t={t} />
          <button type="submit" class="button primary">
            {t('counter.save')}
          </button>
        </form>
        <div id="key-saved" hidden>
          <p id="key-saved-text"></p>
          <div class="actions">
            <button type="button" class="button secondary" id="key-change">
              {t('counter.change')}
            </button>
            <button type="button" class="button link" id="key-forget">
              {t('counter.forget')}
            </button>
          </div>
        </div>
        <Status id="key-status" />
      </section>

      <section id="counter-result" class="result" tabindex={-1} aria-live="assertive" aria-atomic="true" hidden>
        <div id="result-ok" class="result-ok" hidden>
          <p class="result-title">
            <span aria-hidden="true">✓ </span>
            {t('counter.ok')}
          </p>
          <p>{t('counter.okLead')}</p>
          <div class="result-body">
            <img id="result-photo" alt={t('counter.photoAlt')} hidden />
            <dl id="result-data" class="data-list"></dl>
          </div>
          <div id="result-document" class="result-document" hidden></div>
        </div>
        <div id="result-fail" class="result-fail" hidden>
          <p class="result-title">
            <span aria-hidden="true">✗ </span>
            {t('counter.fail')}
          </p>
          <p id="result-reason"></p>
        </div>
        <button type="button" class="button secondary" id="result-next">
          {t('counter.next')}
        </button>
      </section>

      <section id="counter-scan" class="card" aria-labelledby="scan-heading">
        <h2 id="scan-heading" tabindex={-1}>
          {t('counter.scan.heading')}
        </h2>
        <p>{t('counter.scan.lead')}</p>
        <Scanner id="counter-scanner" t={t} />
        <form id="verify-form" novalidate>
          <Field id="counter-token" name="token" label={t('counter.token')} textarea rows={3} required t={t} />
          <button type="submit" class="button primary">
            {t('counter.verify')}
          </button>
          <Status id="verify-status" />
        </form>
      </section>

      <section id="counter-request" class="card" aria-labelledby="request-heading">
        <h2 id="request-heading">{t('counter.request.heading')}</h2>
        <p>{t('counter.request.lead')}</p>
        <button type="button" class="button primary" id="request-start">
          {t('counter.request.start')}
        </button>
        <div id="request-live" hidden>
          <img id="request-qr" class="qr" alt={t('counter.request.qrAlt')} width={240} height={240} />
          <p id="request-countdown" aria-live="off"></p>
          <button type="button" class="button secondary" id="request-cancel">
            {t('counter.request.cancel')}
          </button>
        </div>
        <Status id="request-status" />
      </section>
    </Layout>
  );
}
