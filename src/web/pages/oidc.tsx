/**
 * Masuk dengan IKD pages: /oidc/authorize (the service's name, what it asks for, the QR of the request for Pindai, an
 * "open in the IKD app" link for a phone; oidc-authorize.js follows the decision and redirects), its 400 error page,
 * and the development-only demo relying party /dev/rp.
 */
import { Layout } from '../layout.js';
import type { Lang, MessageKey, Translate } from '../i18n/index.js';

export interface AuthorizePageProps {
  lang: Lang;
  t: Translate;
  switchHref: string;
  id: string;
  clientName: string;
  scopes: string[];
  expiresAt: string;
  qrSvg: string;
  appLink: string;
}

export function OidcAuthorizePage(props: AuthorizePageProps) {
  const { t } = props;
  return (
    <Layout lang={props.lang} t={t} title={t('oidc.title')} switchHref={props.switchHref} script="oidc-authorize.js" clientMessages={['oidc.']}>
      <section class="card narrow" id="oidc-authorize" data-request-id={props.id} data-expires-at={props.expiresAt} aria-labelledby="oidc-heading">
        <h1 id="oidc-heading">{t('oidc.heading', { client: props.clientName })}</h1>
        <p>{t('oidc.lead')}</p>
        <h2>{t('oidc.asks')}</h2>
        <ul id="oidc-scopes">
          {props.scopes.map((s) => (
            <li data-scope={s}>{t(`oidc.scope.${s}` as MessageKey)}</li>
          ))}
        </ul>
        <div class="qr-frame">
          <img id="oidc-qr" src={`data:image/svg+xml;base64,${Buffer.from(props.qrSvg).toString('base64')}`} alt={t('oidc.qrAlt')} width="320" height="320" />
        </div>
        <p id="oidc-countdown" aria-live="off"></p>
        <p>
          <a class="button secondary" id="oidc-open-app" href={props.appLink}>
            {t('oidc.openApp')}
          </a>
        </p>
        <p id="oidc-status" class="notice" role="status" data-status="pending">
          {t('oidc.waiting')}
        </p>
      </section>
    </Layout>
  );
}

export function OidcErrorPage(props: { lang: Lang; t: Translate; switchHref: string; reason: 'unknown_client' | 'redirect_uri' }) {
  const { t } = props;
  return (
    <Layout lang={props.lang} t={t} title={t('oidc.error.title')} switchHref={props.switchHref}>
      <section class="card narrow" aria-labelledby="oidc-error-heading">
        <h1 id="oidc-error-heading">{t('oidc.error.title')}</h1>
        <p id="oidc-error" class="notice error" role="alert" data-reason={props.reason}>
          {t(`oidc.error.${props.reason}`)}
        </p>
      </section>
    </Layout>
  );
}

export function DemoRpPage(props: {
  lang: Lang;
  t: Translate;
  switchHref: string;
  loginHref: string;
  error?: string;
  userinfo?: Record<string, unknown>;
  idTokenClaims?: Record<string, unknown>;
}) {
  const { t } = props;
  const name = typeof props.userinfo?.name === 'string' ? props.userinfo.name : String(props.userinfo?.sub ?? '');
  return (
    <Layout lang={props.lang} t={t} title={t('rp.title')} area={t('rp.title')} switchHref={props.switchHref}>
      <section class="card narrow" id="rp" aria-labelledby="rp-heading">
        <h1 id="rp-heading">{t('rp.title')}</h1>
        <p>{t('rp.lead')}</p>
        {props.error ? (
          <p id="rp-error" class="notice error" role="alert">
            {t('rp.error', { error: props.error })}
          </p>
        ) : null}
        {props.userinfo ? (
          <div id="rp-signed-in">
            <p class="notice success" role="status">
              {t('rp.signedIn', { name })}
            </p>
            <h2>{t('rp.claims')}</h2>
            <pre id="rp-userinfo">{JSON.stringify(props.userinfo, null, 2)}</pre>
            <h2>{t('rp.idToken')}</h2>
            <pre id="rp-id-token">{JSON.stringify(props.idTokenClaims ?? {}, null, 2)}</pre>
          </div>
        ) : null}
        <p>
          <a class="button primary" id="rp-login" href={props.loginHref}>
            {props.userinfo || props.error ? t('rp.again') : t('rp.login')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
