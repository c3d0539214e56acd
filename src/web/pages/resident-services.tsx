/** /app Pelayanan (choose a service, fill it in, attach photos, send) and Pemantauan Pelayanan (my requests). */
import { Status } from '../layout.js';
import type { Translate } from '../i18n/index.js';

export function ServicesTabButtons(props: { t: Translate }) {
  const { t } = props;
  return (
    <>
      <button type="button" data-tab="services" aria-controls="tab-services">
        {t('home.tab.services')}
      </button>
      <button type="button" data-tab="tracking" aria-controls="tab-tracking">
        {t('home.tab.tracking')}
      </button>
    </>
  );
}

export function ServicesTabs(props: { t: Translate }) {
  const { t } = props;
  return (
    <>
      <section id="tab-services" class="tab card" aria-labelledby="services-heading" hidden>
        <h2 id="services-heading" tabindex={-1}>
          {t('svc.heading')}
        </h2>
        <p>{t('svc.lead')}</p>
        <label for="svc-type">{t('svc.choose')}</label>
        <select id="svc-type" name="type" aria-busy="true">
          <option value="">—</option>
        </select>
        <form id="svc-form" novalidate hidden>
          <p id="svc-description"></p>
          <p id="svc-sla" class="hint"></p>
          <fieldset>
            <legend>{t('svc.attachments')}</legend>
            <div id="svc-attachments"></div>
          </fieldset>
          <fieldset>
            <legend>{t('svc.details')}</legend>
            <div id="svc-details"></div>
          </fieldset>
          <fieldset>
            <legend>{t('svc.fulfilment')}</legend>
            <div id="svc-fulfilment"></div>
          </fieldset>
          <fieldset id="svc-address" hidden>
            <legend>{t('svc.address')}</legend>
            <div id="svc-address-fields"></div>
          </fieldset>
          <button type="submit" class="button primary">
            {t('svc.submit')}
          </button>
        </form>
        <Status id="svc-status" />
      </section>

      <section id="tab-tracking" class="tab card" aria-labelledby="tracking-heading" hidden>
        <div class="home-head">
          <h2 id="tracking-heading" tabindex={-1}>
            {t('svc.track.heading')}
          </h2>
          <button type="button" class="button link" id="svc-track-refresh">
            {t('svc.track.refresh')}
          </button>
        </div>
        <ul id="svc-track-list" class="documents-list" aria-busy="true"></ul>
        <p id="svc-track-empty" class="notice" hidden>
          {t('svc.track.empty')}
        </p>
        <div id="svc-track-view" hidden></div>
        <Status id="svc-track-status" />
      </section>
    </>
  );
}
