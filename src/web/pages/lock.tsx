/**
 * /lock?t=…: the page behind a scan notice's "Bukan saya? Kunci IKD saya" link. It works on any phone without
 * logging in and without JavaScript: GET shows a button and consumes nothing; the form posts to POST /lock.
 */
import { Layout } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';

/** Same bound as the lock routes: anything longer is not a link this service sent. */
export const isLockToken = (token: string | undefined): token is string => Boolean(token && token.length <= 256);

export type LockPageState = 'open' | 'done' | 'used' | 'expired' | 'invalid';

export function LockPage(props: { lang: Lang; t: Translate; switchHref: string; token: string | undefined; state: LockPageState }) {
  const { t, state } = props;
  const message = state === 'done' ? 'lock.done' : state === 'used' ? 'lock.used' : state === 'expired' ? 'lock.expired' : 'lock.invalid';
  return (
    <Layout lang={props.lang} t={t} title={t('lock.title')} switchHref={props.switchHref}>
      <section class="card narrow" aria-labelledby="lock-heading">
        <h1 id="lock-heading">{t('lock.heading')}</h1>
        {state === 'open' && isLockToken(props.token) ? (
          <>
            <p>{t('lock.lead')}</p>
            <form id="lock-form" method="post" action={props.lang === 'en' ? '/lock?lang=en' : '/lock'}>
              <input type="hidden" name="t" value={props.token} />
              <button type="submit" class="button primary" id="lock-submit">
                {t('lock.submit')}
              </button>
            </form>
          </>
        ) : (
          <div id="lock-result" data-state={state} class={`notice ${state === 'done' ? 'success' : 'error'}`} role={state === 'done' ? 'status' : 'alert'}>
            <p>{t(message)}</p>
            <a class="button" href="/app">
              {t('lock.openApp')}
            </a>
          </div>
        )}
      </section>
    </Layout>
  );
}
