/** /app: the resident's reference client — register, registration QR, PIN login, KTP digital, QR, history, settings. */
import { Field, Layout, PinField, Status } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';
import { KTP_ELEMENTS } from '../../crypto/token-codec.js';
import { PindaiTab } from './resident-pindai.js';
import { ServicesTabButtons, ServicesTabs } from './resident-services.js';

export function ResidentPage(props: { lang: Lang; t: Translate; switchHref: string }) {
  const { t } = props;
  return (
    <Layout
      lang={props.lang}
      t={t}
      title={t('app.title')}
      switchHref={props.switchHref}
      script="resident.js"
      clientMessages={['common.', 'err.', 'field.', 'el.', 'reg.', 'regqr.', 'login.', 'home.', 'ktp.', 'qr.', 'history.', 'docs.', 'doc.', 'balikan.', 'counter.', 'pin.', 'delete.', 'logout.', 'reset.', 'holder.', 'pindai.', 'oidc.scope.', 'svc.']}
    >
      <noscript>
        <p class="notice error">{t('site.noscript')}</p>
      </noscript>
      <Status id="app-status" />

      <section id="view-loading" class="view" aria-busy="true">
        <p>{t('common.loading')}</p>
      </section>

      <section id="view-register" class="view card" aria-labelledby="reg-heading" hidden>
        <h1 id="reg-heading" tabindex={-1}>
          {t('reg.heading')}
        </h1>
        <p class="lead">{t('app.intro')}</p>
        <p>{t('reg.lead')}</p>
        <form id="register-form" novalidate>
          <Field id="reg-nik" name="nik" label={t('reg.nik')} hint={t('reg.nikHint')} inputmode="numeric" pattern="[0-9]{16}" maxlength={16} minlength={16} autocomplete="off" required t={t} />
          <Field id="reg-name" name="name" label={t('reg.name')} hint={t('reg.nameHint')} autocomplete="name" maxlength={120} required t={t} />
          <Field id="reg-birthDate" name="birthDate" label={t('reg.birthDate')} type="date" autocomplete="bday" required t={t} />
          <Field id="reg-email" name="email" label={t('reg.email')} hint={t('reg.emailHint')} type="email" autocomplete="email" maxlength={254} required t={t} />
          <Field id="reg-phone" name="phone" label={t('reg.phone')} hint={t('reg.phoneHint')} type="tel" inputmode="tel" autocomplete="tel" maxlength={32} required t={t} />
          <div class="field">
            <label for="reg-selfie">
              {t('reg.selfie')} <span class="optional">({t('common.optional')})</span>
            </label>
            <p class="hint" id="reg-selfie-hint">
              {t('reg.selfieHint')}
            </p>
            <input id="reg-selfie" name="selfie" type="file" accept="image/jpeg,image/png" capture="user" aria-describedby="reg-selfie-hint reg-selfie-error" />
            <button type="button" class="button secondary" id="selfie-camera" hidden>
              {t('reg.selfieCamera')}
            </button>
            <div class="selfie-camera" id="selfie-camera-view" hidden>
              <video muted playsinline aria-label={t('common.camera.label')}></video>
              <button type="button" class="button" id="selfie-take">
                {t('reg.selfieTake')}
              </button>
            </div>
            <img id="reg-selfie-preview" class="selfie-preview" alt={t('reg.selfiePreview')} hidden />
            <p class="field-error" id="reg-selfie-error" hidden></p>
          </div>
          <div class="field check">
            <input id="reg-consent" name="consent" type="checkbox" required aria-describedby="reg-consent-error" />
            <label for="reg-consent">{t('reg.consent')}</label>
            <p class="field-error" id="reg-consent-error" hidden></p>
          </div>
          <button type="submit" class="button primary">
            {t('reg.submit')}
          </button>
          <Status id="register-status" />
        </form>
        <p class="aside">
          <button type="button" class="button link" id="register-forgot" data-pin-reset>
            {t('reset.link')}
          </button>
        </p>
      </section>

      <section id="view-regqr" class="view card" aria-labelledby="regqr-heading" hidden>
        <h1 id="regqr-heading" tabindex={-1}>
          {t('regqr.heading')}
        </h1>
        <p>{t('regqr.lead')}</p>
        <figure class="qr-frame">
          <img id="regqr-image" alt={t('regqr.alt')} width="280" height="280" />
        </figure>
        <p class="badge" id="regqr-state" role="status" aria-live="polite">
          {t('regqr.waiting')}
        </p>
        <div id="regqr-video" class="video-box" role="region" aria-labelledby="regqr-video-heading" hidden>
          <h2 id="regqr-video-heading">{t('regqr.video.heading')}</h2>
          <p>{t('regqr.video.lead')}</p>
          <p>
            <a id="regqr-video-room" class="button primary" href="#" target="_blank" rel="noopener noreferrer">
              {t('regqr.video.join')}
            </a>
          </p>
          <p class="hint" id="regqr-video-url"></p>
          <p>{t('regqr.video.phrase')}</p>
          <p class="phrase" id="regqr-video-phrase"></p>
        </div>
        <p class="notice error" id="regqr-reason" hidden></p>
        <details class="code-text">
          <summary>{t('regqr.textLabel')}</summary>
          <label class="visually-hidden" for="regqr-text">
            {t('regqr.textLabel')}
          </label>
          <textarea id="regqr-text" readonly rows={3} spellcheck={false}></textarea>
          <button type="button" class="button secondary" data-copy="regqr-text">
            {t('common.copy')}
          </button>
        </details>
        <div class="actions">
          <button type="button" class="button secondary" id="regqr-refresh">
            {t('regqr.refresh')}
          </button>
          <button type="button" class="button link" id="regqr-restart" hidden>
            {t('regqr.restart')}
          </button>
          <button type="button" class="button link" id="regqr-login" hidden>
            {t('reg.toLogin')}
          </button>
        </div>
        <Status id="regqr-refresh-status" />
      </section>

      <section id="view-login" class="view card" aria-labelledby="login-heading" hidden>
        <h1 id="login-heading" tabindex={-1}>
          {t('login.heading')}
        </h1>
        <p>{t('login.lead')}</p>
        <form id="login-form" novalidate>
          <Field id="login-nik" name="nik" label={t('login.nik')} inputmode="numeric" pattern="[0-9]{16}" maxlength={16} autocomplete="username" required t={t} />
          <PinField id="login-pin" name="pin" label={t('common.pin')} hint={t('common.pinHint')} autocomplete="current-password" t={t} />
          <button type="submit" class="button primary">
            {t('login.submit')}
          </button>
          <Status id="login-status" />
        </form>
        <div id="login-unlock" class="notice warn" role="region" aria-labelledby="unlock-heading" hidden>
          <h2 id="unlock-heading" tabindex={-1}>
            {t('holder.unlock.heading')}
          </h2>
          <p>{t('holder.unlock.lead')}</p>
          <form id="unlock-form" novalidate>
            <PinField id="unlock-pin" name="pin" label={t('common.pin')} hint={t('common.pinHint')} autocomplete="current-password" t={t} />
            <button type="submit" class="button primary">
              {t('holder.unlock.submit')}
            </button>
            <Status id="unlock-status" />
          </form>
        </div>
        <p class="aside">
          <button type="button" class="button link" id="login-forgot" data-pin-reset>
            {t('reset.link')}
          </button>
          <button type="button" class="button link" id="login-register">
            {t('login.newDevice')}
          </button>
        </p>
      </section>

      <section id="view-pin-reset" class="view card" aria-labelledby="reset-heading" hidden>
        <h1 id="reset-heading" tabindex={-1}>
          {t('reset.heading')}
        </h1>
        <p>{t('reset.lead')}</p>
        <form id="reset-request-form" novalidate>
          <h2>{t('reset.step1')}</h2>
          <Field id="reset-nik" name="nik" label={t('login.nik')} inputmode="numeric" pattern="[0-9]{16}" maxlength={16} autocomplete="username" required t={t} />
          <button type="submit" class="button primary">
            {t('reset.request')}
          </button>
          <Status id="reset-request-status" />
        </form>
        <form id="reset-confirm-form" novalidate hidden>
          <h2>{t('reset.step2')}</h2>
          <Field id="reset-code" name="code" label={t('reset.code')} hint={t('reset.codeHint')} inputmode="numeric" pattern="[0-9]{6}" maxlength={6} minlength={6} autocomplete="one-time-code" required t={t} />
          <PinField id="reset-new" name="newPin" label={t('pin.new')} hint={t('pin.rules')} autocomplete="new-password" t={t} />
          <PinField id="reset-again" name="newPinAgain" label={t('pin.again')} autocomplete="new-password" t={t} />
          <button type="submit" class="button primary">
            {t('pin.submit')}
          </button>
          <button type="button" class="button link" id="reset-again-request">
            {t('reset.newCode')}
          </button>
          <Status id="reset-confirm-status" />
        </form>
        <div class="notice info" id="reset-nodevice">
          <h2>{t('reset.noDevice.heading')}</h2>
          <p>{t('reset.noDevice.text')}</p>
          <button type="button" class="button secondary" id="reset-register">
            {t('login.newDevice')}
          </button>
        </div>
        <p class="aside">
          <button type="button" class="button link" id="reset-back">
            {t('reset.back')}
          </button>
        </p>
      </section>

      <section id="view-home" class="view" aria-labelledby="home-greeting" hidden>
        <div class="home-head">
          <h1 id="home-greeting" tabindex={-1}>
            {t('ktp.heading')}
          </h1>
          <button type="button" class="button link" id="logout">
            {t('common.logout')}
          </button>
        </div>
        <nav class="tabs" aria-label={t('home.nav')}>
          <button type="button" data-tab="ktp" aria-controls="tab-ktp" aria-current="page">
            {t('home.tab.ktp')}
          </button>
          <button type="button" data-tab="qr" aria-controls="tab-qr">
            {t('home.tab.qr')}
          </button>
          <button type="button" data-tab="pindai" aria-controls="tab-pindai">
            {t('home.tab.pindai')}
          </button>
          <button type="button" data-tab="biodata" aria-controls="tab-biodata">
            {t('home.tab.biodata')}
          </button>
          <button type="button" data-tab="family" aria-controls="tab-family">
            {t('home.tab.family')}
          </button>
          <button type="button" data-tab="documents" aria-controls="tab-documents">
            {t('home.tab.documents')}
          </button>
          <ServicesTabButtons t={t} />
          <button type="button" data-tab="databalikan" aria-controls="tab-databalikan">
            {t('home.tab.dataBalikan')}
          </button>
          <button type="button" data-tab="history" aria-controls="tab-history">
            {t('home.tab.history')}
          </button>
          <button type="button" data-tab="privacy" aria-controls="tab-privacy">
            {t('home.tab.privacy')}
          </button>
          <button type="button" data-tab="settings" aria-controls="tab-settings">
            {t('home.tab.settings')}
          </button>
        </nav>

        <section id="tab-ktp" class="tab" aria-labelledby="ktp-heading">
          <h2 id="ktp-heading" class="visually-hidden" tabindex={-1}>
            {t('ktp.heading')}
          </h2>
          <div id="ktp-card" class="ktp-card" aria-busy="true"></div>
          <button type="button" class="button primary wide" data-tab="qr">
            {t('qr.submit')}
          </button>
        </section>

        <section id="tab-qr" class="tab card" aria-labelledby="qr-heading" hidden>
          <h2 id="qr-heading" tabindex={-1}>
            {t('qr.heading')}
          </h2>
          <form id="qr-form" novalidate>
            <p>{t('qr.lead')}</p>
            <PinField id="qr-pin" name="pin" label={t('common.pin')} hint={t('common.pinHint')} t={t} />
            <details class="elements">
              <summary>{t('qr.elements')}</summary>
              <fieldset>
                <legend class="visually-hidden">{t('qr.elements')}</legend>
                <p class="hint">{t('qr.elementsHint')}</p>
                <div class="checks-grid">
                  {KTP_ELEMENTS.map((el) => (
                    <div class="check">
                      <input type="checkbox" id={`qr-el-${el}`} name="disclose" value={el} checked />
                      <label for={`qr-el-${el}`}>{t(`el.${el}`)}</label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </details>
            <button type="submit" class="button primary">
              {t('qr.submit')}
            </button>
            <button type="button" class="button link" data-pin-reset>
              {t('reset.link')}
            </button>
            <Status id="qr-status" />
          </form>
          <div id="qr-show" class="qr-show" hidden>
            <figure class="qr-frame">
              <img id="qr-image" alt={t('qr.alt')} width="300" height="300" />
            </figure>
            <div class="countdown">
              <span class="countdown-label" id="qr-remaining-label">
                {t('qr.remaining')}
              </span>
              <span class="countdown-time" id="qr-countdown" role="timer" aria-labelledby="qr-remaining-label">
                1:30
              </span>
              <progress id="qr-progress" max="90" value="90" aria-labelledby="qr-remaining-label"></progress>
            </div>
            <p class="visually-hidden" id="qr-announce" aria-live="polite"></p>
            <details class="code-text">
              <summary>{t('qr.textLabel')}</summary>
              <label class="visually-hidden" for="qr-text">
                {t('qr.textLabel')}
              </label>
              <textarea id="qr-text" readonly rows={3} spellcheck={false}></textarea>
              <button type="button" class="button secondary" data-copy="qr-text">
                {t('common.copy')}
              </button>
            </details>
          </div>
          <div id="qr-used" class="notice success" role="status" hidden>
            <p id="qr-used-text"></p>
            <button type="button" class="button primary" id="qr-used-fresh">
              {t('qr.fresh')}
            </button>
          </div>
          <div id="qr-expired" class="notice warn" hidden>
            <p>{t('qr.expired')}</p>
            <button type="button" class="button primary" id="qr-fresh">
              {t('qr.fresh')}
            </button>
          </div>
        </section>

        <PindaiTab t={t} />

        <section id="tab-biodata" class="tab card" aria-labelledby="biodata-heading" hidden>
          <h2 id="biodata-heading" tabindex={-1}>
            {t('docs.biodata')}
          </h2>
          <dl id="biodata-list" class="data-list" aria-busy="true"></dl>
          <Status id="biodata-status" />
        </section>

        <section id="tab-family" class="tab card" aria-labelledby="family-heading" hidden>
          <h2 id="family-heading" tabindex={-1}>
            {t('docs.family')}
          </h2>
          <div id="family-card" aria-busy="true"></div>
          <Status id="family-status" />
        </section>

        <section id="tab-documents" class="tab card" aria-labelledby="documents-heading" hidden>
          <h2 id="documents-heading" tabindex={-1}>
            {t('docs.documents')}
          </h2>
          <ul id="documents-list" class="documents-list" aria-busy="true"></ul>
          <div id="document-view" class="document-view" hidden>
            <h3 id="document-title" tabindex={-1}></h3>
            <div id="document-fields"></div>
            <form id="document-qr-form" novalidate>
              <p>{t('docs.qrLead')}</p>
              <PinField id="document-pin" name="pin" label={t('common.pin')} hint={t('common.pinHint')} t={t} />
              <button type="submit" class="button primary">
                {t('qr.submit')}
              </button>
              <Status id="document-qr-status" />
            </form>
            <div id="document-qr" class="qr-show" hidden>
              <figure class="qr-frame">
                <img id="document-qr-image" alt={t('docs.qrAlt')} width="300" height="300" />
              </figure>
              <div class="countdown">
                <span class="countdown-label" id="document-remaining-label">
                  {t('qr.remaining')}
                </span>
                <span class="countdown-time" id="document-countdown" role="timer" aria-labelledby="document-remaining-label">
                  1:30
                </span>
                <progress id="document-progress" max="90" value="90" aria-labelledby="document-remaining-label"></progress>
              </div>
              <textarea id="document-qr-text" class="visually-hidden" readonly rows={2} aria-label={t('qr.textLabel')}></textarea>
            </div>
            <p id="document-qr-expired" class="notice warn" hidden>
              {t('qr.expired')}
            </p>
          </div>
          <Status id="documents-status" />
        </section>

        <ServicesTabs t={t} />

        <section id="tab-databalikan" class="tab card" aria-labelledby="databalikan-heading" hidden>
          <div class="home-head">
            <h2 id="databalikan-heading" tabindex={-1}>
              {t('balikan.heading')}
            </h2>
            <button type="button" class="button link" id="databalikan-refresh">
              {t('balikan.refresh')}
            </button>
          </div>
          <p>{t('balikan.lead')}</p>
          <div id="databalikan-list" class="balikan-list" aria-busy="true" aria-live="polite"></div>
          <p id="databalikan-empty" class="notice" hidden>
            {t('balikan.empty')}
          </p>
          <Status id="databalikan-status" />
        </section>

        <section id="tab-history" class="tab card" aria-labelledby="history-heading" hidden>
          <div class="home-head">
            <h2 id="history-heading" tabindex={-1}>
              {t('history.heading')}
            </h2>
            <button type="button" class="button link" id="history-refresh">
              {t('history.refresh')}
            </button>
          </div>
          <p>{t('history.lead')}</p>
          <ol id="history-list" class="history" aria-live="polite"></ol>
          <p id="history-empty" hidden>
            {t('history.empty')}
          </p>
          <button type="button" class="button secondary" id="history-more" hidden>
            {t('history.more')}
          </button>
          <Status id="history-status" />
        </section>

        <section id="tab-privacy" class="tab" aria-labelledby="privacy-heading" hidden>
          <h2 id="privacy-heading" class="visually-hidden" tabindex={-1}>
            {t('home.tab.privacy')}
          </h2>
          <div class="card">
            <div class="home-head">
              <h3 id="datausers-heading">{t('holder.users.heading')}</h3>
              <button type="button" class="button link" id="datausers-refresh">
                {t('holder.users.refresh')}
              </button>
            </div>
            <p>{t('holder.users.lead')}</p>
            <ul id="datausers-list" class="datausers-list" aria-labelledby="datausers-heading" aria-busy="true"></ul>
            <p id="datausers-empty" class="notice" hidden>
              {t('holder.users.empty')}
            </p>
            <Status id="datausers-status" />
          </div>
          <div class="card">
            <h3>{t('holder.notices.heading')}</h3>
            <div class="field check">
              <input id="scan-notices" type="checkbox" disabled />
              <label for="scan-notices">{t('holder.notices.label')}</label>
            </div>
            <Status id="scan-notices-status" />
          </div>
          <div class="card">
            <h3>{t('holder.export.heading')}</h3>
            <p>{t('holder.export.lead')}</p>
            <button type="button" class="button secondary" id="export-download">
              {t('holder.export.submit')}
            </button>
            <Status id="export-status" />
          </div>
          <div class="card danger-zone">
            <h3>{t('holder.lock.heading')}</h3>
            <p>{t('holder.lock.lead')}</p>
            <form id="lock-self-form" novalidate>
              <div class="field check">
                <input id="lock-confirm" name="confirm" type="checkbox" required aria-describedby="lock-confirm-error" />
                <label for="lock-confirm">{t('holder.lock.confirm')}</label>
                <p class="field-error" id="lock-confirm-error" hidden></p>
              </div>
              <button type="submit" class="button danger">
                {t('holder.lock.submit')}
              </button>
              <Status id="lock-self-status" />
            </form>
          </div>
        </section>

        <section id="tab-settings" class="tab" aria-labelledby="settings-heading" hidden>
          <h2 id="settings-heading" class="visually-hidden" tabindex={-1}>
            {t('settings.heading')}
          </h2>
          <div class="card">
            <h3>{t('pin.heading')}</h3>
            <form id="pin-form" novalidate>
              <PinField id="pin-current" name="currentPin" label={t('pin.current')} autocomplete="current-password" t={t} />
              <PinField id="pin-new" name="newPin" label={t('pin.new')} hint={t('pin.rules')} autocomplete="new-password" t={t} />
              <PinField id="pin-again" name="newPinAgain" label={t('pin.again')} autocomplete="new-password" t={t} />
              <button type="submit" class="button primary">
                {t('pin.submit')}
              </button>
              <button type="button" class="button link" data-pin-reset>
                {t('reset.link')}
              </button>
              <Status id="pin-status" />
            </form>
          </div>
          <div class="card danger-zone">
            <h3>{t('delete.heading')}</h3>
            <p>{t('delete.lead')}</p>
            <form id="delete-form" novalidate>
              <PinField id="delete-pin" name="pin" label={t('common.pin')} autocomplete="current-password" t={t} />
              <div class="field check">
                <input id="delete-confirm" name="confirm" type="checkbox" required aria-describedby="delete-confirm-error" />
                <label for="delete-confirm">{t('delete.confirm')}</label>
                <p class="field-error" id="delete-confirm-error" hidden></p>
              </div>
              <button type="submit" class="button danger">
                {t('delete.submit')}
              </button>
              <Status id="delete-status" />
            </form>
          </div>
        </section>
      </section>
    </Layout>
  );
}
