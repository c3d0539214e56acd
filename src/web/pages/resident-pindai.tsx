/** The /app Pindai tab (src/web/static/app-pindai.js): scan or paste a login or counter request, see who asks, decide with the PIN. */
import { Field, PinField, Scanner, Status } from '../layout.js';
import type { Translate } from '../i18n/index.js';

export function PindaiTab(props: { t: Translate }) {
  const { t } = props;
  return (
    <section id="tab-pindai" class="tab card" aria-labelledby="pindai-heading" hidden>
      <h2 id="pindai-heading" tabindex={-1}>
        {t('pindai.heading')}
      </h2>
      <p>{t('pindai.lead')}</p>
      <Scanner id="pindai-scanner" t={t} />
      <form id="pindai-code-form" novalidate>
        <Field id="pindai-code" name="code" label={t('pindai.code')} hint={t('pindai.codeHint')} autocomplete="off" maxlength={400} required t={t} />
        <button type="submit" class="button secondary">
          {t('pindai.open')}
        </button>
      </form>
      <div id="pindai-request" hidden>
        <h3 id="pindai-asker" tabindex={-1}></h3>
        <p id="pindai-counter" hidden></p>
        <p id="pindai-choose" hidden>
          {t('pindai.choose')}
        </p>
        <ul id="pindai-claims" class="pindai-claims" aria-labelledby="pindai-asker"></ul>
        <p id="pindai-expires" class="aside"></p>
        <p id="pindai-blocked" class="notice warn" hidden>
          {t('pindai.blocked')}
        </p>
        <form id="pindai-decide" novalidate>
          <PinField id="pindai-pin" name="pin" label={t('common.pin')} hint={t('pindai.pinHint')} autocomplete="current-password" t={t} />
          <button type="submit" class="button primary" id="pindai-approve">
            {t('pindai.approve')}
          </button>
          <button type="button" class="button secondary" id="pindai-deny">
            {t('pindai.deny')}
          </button>
        </form>
      </div>
      <Status id="pindai-status" />
    </section>
  );
}
