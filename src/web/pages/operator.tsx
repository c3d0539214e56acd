/** /operator: the Dukcapil console — TOTP login, scan/paste a registration QR, compare faces, decide, suspend. */
import { Field, Layout, Scanner, Status } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';
import { OperatorServices } from './operator-services.js';

export function OperatorPage(props: { lang: Lang; t: Translate; switchHref: string }) {
  const { t } = props;
  return (
    <Layout
      lang={props.lang}
      t={t}
      title={t('op.title')}
      area={t('op.title').replace(/^IKD — /, '')}
      switchHref={props.switchHref}
      wide
      script="operator.js"
      clientMessages={['common.', 'err.', 'field.', 'el.', 'op.', 'svc.']}
    >
      <noscript>
        <p class="notice error">{t('site.noscript')}</p>
      </noscript>

      <section id="view-op-login" class="view card narrow" aria-labelledby="op-login-heading" hidden>
        <h1 id="op-login-heading" tabindex={-1}>
          {t('op.login.heading')}
        </h1>
        <p>{t('op.login.lead')}</p>
        <form id="op-login-form" novalidate>
          <Field id="op-username" name="username" label={t('op.username')} autocomplete="username" required maxlength={100} t={t} />
          <Field id="op-password" name="password" label={t('op.password')} type="password" autocomplete="current-password" required maxlength={200} t={t} />
          <Field id="op-otp" name="otp" label={t('op.otp')} inputmode="numeric" pattern="[0-9]{6}" maxlength={6} autocomplete="one-time-code" required t={t} />
          <button type="submit" class="button primary">
            {t('op.login.submit')}
          </button>
          <Status id="op-login-status" />
        </form>
      </section>

      <section id="view-op-console" class="view" aria-labelledby="op-verify-heading" hidden>
        <div class="console-bar">
          <p id="op-who"></p>
          <a class="button link" id="op-stats-link" href="/operator/stats" hidden>
            {t('stats.area')}
          </a>
          <button type="button" class="button link" id="op-logout">
            {t('common.logout')}
          </button>
        </div>

        <div class="card">
          <h1 id="op-verify-heading" tabindex={-1}>
            {t('op.verify.heading')}
          </h1>
          <p>{t('op.verify.lead')}</p>
          <Scanner id="op-scanner" t={t} />
          <form id="op-lookup-form" novalidate>
            <Field id="op-qr" name="qr" label={t('op.qr')} textarea rows={3} required t={t} />
            <button type="submit" class="button primary">
              {t('op.lookup')}
            </button>
            <Status id="op-lookup-status" />
          </form>
        </div>

        <section id="op-case" class="card" aria-labelledby="op-case-heading" hidden>
          <h2 id="op-case-heading" tabindex={-1}></h2>
          <p id="op-case-kind" class="badge"></p>
          <div class="case-grid">
          <div class="photos">
            <figure>
              <img id="op-selfie" alt={t('op.selfie')} hidden />
              <p id="op-no-selfie" class="photo-missing" hidden>
                {t('op.noSelfie')}
              </p>
              <figcaption>{t('op.selfie')}</figcaption>
            </figure>
            <figure>
              <img id="op-ktp-photo" alt={t('op.ktpPhoto')} hidden />
              <p id="op-no-ktp-photo" class="photo-missing" hidden>
                {t('op.noKtpPhoto')}
              </p>
              <figcaption>{t('op.ktpPhoto')}</figcaption>
            </figure>
          </div>
          <div class="case-main">
          <div class="columns">
            <div>
              <h3>{t('op.registry')}</h3>
              <dl id="op-registry" class="data-list"></dl>
            </div>
            <div>
              <h3>{t('op.registration')}</h3>
              <dl id="op-registration" class="data-list"></dl>
            </div>
          </div>

          <form id="op-decision-form" novalidate>
            <h3>{t('op.decision.heading')}</h3>
            <fieldset class="field">
              <legend>{t('op.channel')}</legend>
              <div class="check">
                <input type="radio" id="op-channel-counter" name="channel" value="counter" checked />
                <label for="op-channel-counter">{t('op.channel.counter')}</label>
              </div>
              <div class="check">
                <input type="radio" id="op-channel-video" name="channel" value="video_call" />
                <label for="op-channel-video">{t('op.channel.video_call')}</label>
              </div>
            </fieldset>
            <div id="op-video" class="video-box" hidden>
              <button type="button" class="button secondary" id="op-video-start">
                {t('op.video.start')}
              </button>
              <div id="op-video-info" hidden>
                <p>
                  {t('op.video.room')}:{' '}
                  <a id="op-video-room" href="#" target="_blank" rel="noopener noreferrer"></a>
                </p>
                <p>{t('op.video.phrase')}:</p>
                <p class="phrase" id="op-video-phrase"></p>
                <p class="hint">
                  {t('op.video.expires')}: <span id="op-video-expires"></span>
                </p>
              </div>
              <Status id="op-video-status" />
            </div>
            <fieldset class="field">
              <legend>{t('op.checks')}</legend>
              <div class="check">
                <input type="checkbox" id="op-ktp-sighted" name="ktpElSighted" aria-describedby="op-ktp-sighted-error" />
                <label for="op-ktp-sighted">{t('op.ktpElSighted')}</label>
              </div>
              <p class="field-error" id="op-ktp-sighted-error" hidden></p>
              <div class="check">
                <input type="checkbox" id="op-consent" name="consentRecorded" aria-describedby="op-consent-error" />
                <label for="op-consent">{t('op.consent')}</label>
              </div>
              <p class="field-error" id="op-consent-error" hidden></p>
            </fieldset>
            <fieldset class="field" aria-describedby="op-face-error">
              <legend>{t('op.faceMatch')}</legend>
              <div class="check">
                <input type="radio" id="op-face-match" name="faceMatch" value="match" />
                <label for="op-face-match">{t('op.faceMatch.match')}</label>
              </div>
              <div class="check">
                <input type="radio" id="op-face-nomatch" name="faceMatch" value="no_match" />
                <label for="op-face-nomatch">{t('op.faceMatch.no_match')}</label>
              </div>
              <p class="field-error" id="op-face-error" hidden></p>
            </fieldset>
            {/* Required only for a rejection: the visible marker says so, and the console sets aria-required while rejecting. */}
            <div class="field" id="op-reason-field">
              <label for="op-reason">
                {t('op.reason')}{' '}
                <span class="required-marker" id="op-reason-marker">
                  ({t('op.reasonRequiredMarker')})
                </span>
              </label>
              <p class="hint" id="op-reason-hint">
                {t('op.reasonHint')}
              </p>
              <textarea id="op-reason" name="reason" rows={2} maxlength={500} spellcheck={false} aria-required="false" aria-describedby="op-reason-hint op-reason-error"></textarea>
              <p class="field-error" id="op-reason-error" hidden></p>
            </div>
            <div class="actions">
              <button type="submit" class="button primary" name="decision" value="approve" id="op-approve">
                {t('op.approve')}
              </button>
              <button type="submit" class="button danger" name="decision" value="reject" id="op-reject">
                {t('op.reject')}
              </button>
            </div>
          </form>
          <Status id="op-decision-status" />
          </div>
          </div>
          <div class="actions">
            <button type="button" class="button secondary" id="op-resend" hidden>
              {t('op.resend')}
            </button>
            <button type="button" class="button link" id="op-next">
              {t('op.next')}
            </button>
          </div>
        </section>

        <section class="card" aria-labelledby="op-suspend-heading">
          <h2 id="op-suspend-heading">{t('op.suspend.heading')}</h2>
          <p>{t('op.suspend.lead')}</p>
          <form id="op-suspend-form" novalidate>
            <Field id="op-suspend-nik" name="nik" label={t('op.suspend.nik')} inputmode="numeric" pattern="[0-9]{16}" maxlength={16} autocomplete="off" required t={t} />
            <Field id="op-suspend-reason" name="reason" label={t('op.suspend.reason')} textarea rows={2} required t={t} />
            <div class="actions">
              <button type="submit" class="button danger" name="action" value="suspend">
                {t('op.suspend.submit')}
              </button>
              <button type="submit" class="button secondary" name="action" value="unlock" formnovalidate>
                {t('op.unlock.submit')}
              </button>
            </div>
            <Status id="op-suspend-status" />
          </form>
        </section>
        <OperatorServices t={t} />
      </section>
    </Layout>
  );
}
