/**
 * /activate?t=…: the activation page from the e-mail — activation code, new PIN twice. GET never consumes anything.
 * With JavaScript the client posts JSON to /v1/activations; without it the form posts to POST /activate.
 */
import { Layout, PinField, Field, Status } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';

/** Same bound as the activation route: anything else is not a link this service sent. */
export const isActivationToken = (token: string | undefined): token is string => Boolean(token && token.length <= 256);

export function ActivatePage(props: { lang: Lang; t: Translate; switchHref: string; token: string | undefined; used?: boolean }) {
  const { t } = props;
  const hasToken = isActivationToken(props.token);
  return (
    <Layout
      lang={props.lang}
      t={t}
      title={t('activate.title')}
      switchHref={props.switchHref}
      script="activate.js"
      clientMessages={['common.', 'err.', 'field.', 'pin.', 'activate.']}
    >
      <section class="card narrow" aria-labelledby="activate-heading">
        <h1 id="activate-heading" tabindex={-1}>
          {t('activate.heading')}
        </h1>
        {hasToken && props.used ? (
          <div id="activate-used" class="notice success" role="status">
            <p>{t('activate.used')}</p>
            <a class="button primary" href="/app">
              {t('activate.openApp')}
            </a>
          </div>
        ) : hasToken ? (
          <>
            <p>{t('activate.lead')}</p>
            <form id="activate-form" method="post" action={props.lang === 'en' ? '/activate?lang=en' : '/activate'} autocomplete="off">
              <input type="hidden" name="t" value={props.token} />
              <Field id="act-code" name="code" label={t('activate.code')} inputmode="numeric" pattern="[0-9]{6}" maxlength={6} autocomplete="one-time-code" required t={t} />
              <PinField id="act-pin" name="newPin" label={t('pin.new')} hint={t('pin.rules')} autocomplete="new-password" t={t} />
              <PinField id="act-pin-again" name="newPinAgain" label={t('pin.again')} autocomplete="new-password" t={t} />
              <button type="submit" class="button primary">
                {t('activate.submit')}
              </button>
              <Status id="activate-status" />
            </form>
            <div id="activate-done" class="notice success" hidden>
              <p>{t('activate.done')}</p>
              <a class="button primary" href="/app">
                {t('activate.openApp')}
              </a>
            </div>
          </>
        ) : (
          <p class="notice error" role="alert">
            {t('activate.noToken')}
          </p>
        )}
      </section>
    </Layout>
  );
}
