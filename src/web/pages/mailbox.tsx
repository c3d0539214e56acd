/** /dev/mailbox (development mode only): every e-mail the outbox would send, newest first, links clickable. */
import { Layout } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string | Date;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"')\]]+)/g;

/** Plain text with its http(s) URLs as links; everything else stays text (escaped by the JSX renderer). */
function Linkified(props: { text: string }) {
  const parts = props.text.split(URL_PATTERN);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</>;
}

export function MailboxPage(props: { lang: Lang; t: Translate; switchHref: string; messages: MailboxMessage[] }) {
  const { t } = props;
  const sorted = props.messages; // newest first, as the route hands them over
  return (
    <Layout lang={props.lang} t={t} title={t('mailbox.title')} area={t('mailbox.title')} switchHref={props.switchHref}>
      <section class="card" aria-labelledby="mailbox-heading">
        <div class="home-head">
          <h1 id="mailbox-heading">{t('mailbox.title')}</h1>
          <a class="button link" href="/dev/mailbox">
            {t('mailbox.reload')}
          </a>
        </div>
        <p>{t('mailbox.lead')}</p>
        {sorted.length === 0 ? <p>{t('mailbox.empty')}</p> : null}
        <ol class="mailbox">
          {sorted.map((m) => (
            <li class="mail" id={`mail-${m.id}`}>
              <article aria-labelledby={`mail-${m.id}-subject`}>
                <h2 id={`mail-${m.id}-subject`}>{m.subject}</h2>
                <p class="mail-meta">
                  {t('mailbox.to')}: <span class="mail-to">{m.to}</span> · {t('mailbox.at')}:{' '}
                  <time datetime={new Date(m.createdAt).toISOString()}>{new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
                </p>
                <pre class="mail-text">
                  <Linkified text={m.text} />
                </pre>
              </article>
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
