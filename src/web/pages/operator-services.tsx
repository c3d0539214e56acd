/** /operator Pelayanan: the office's queue (oldest first, overdue flagged), one request beside its registry record, the allowed steps. */
import { Status } from '../layout.js';
import type { Translate } from '../i18n/index.js';

export function OperatorServices(props: { t: Translate }) {
  const { t } = props;
  return (
    <section id="op-services" class="card" aria-labelledby="op-services-heading">
      <div class="home-head">
        <h2 id="op-services-heading" tabindex={-1}>
          {t('svc.op.heading')}
        </h2>
        <button type="button" class="button link" id="op-svc-refresh">
          {t('svc.op.refresh')}
        </button>
      </div>
      <ul id="op-svc-queue" class="documents-list" aria-busy="true"></ul>
      <p id="op-svc-empty" class="notice" hidden>
        {t('svc.op.empty')}
      </p>
      <div id="op-svc-request" hidden>
        <h3 id="op-svc-request-heading" tabindex={-1}></h3>
        <p id="op-svc-request-status" class="badge"></p>
        <div class="columns">
          <div>
            <h4>{t('svc.op.attachments')}</h4>
            <div id="op-svc-attachments"></div>
          </div>
          <div>
            <h4>{t('svc.op.registry')}</h4>
            <dl id="op-svc-registry" class="data-list"></dl>
            <h4>{t('svc.op.details')}</h4>
            <dl id="op-svc-details" class="data-list"></dl>
          </div>
        </div>
        <form id="op-svc-actions" novalidate>
          <h4>{t('svc.op.actions')}</h4>
          <div class="field" id="op-svc-note-field">
            <label for="op-svc-note">{t('svc.op.note')}</label>
            <textarea id="op-svc-note" name="note" rows={2} maxlength={1000}></textarea>
          </div>
          <div class="field" id="op-svc-received-field" hidden>
            <label for="op-svc-received">{t('svc.op.receivedBy')}</label>
            <input id="op-svc-received" name="receivedBy" type="text" maxlength={200} />
          </div>
          <fieldset class="field" id="op-svc-corrections" hidden>
            <legend>{t('svc.op.corrections')}</legend>
            <div id="op-svc-corrections-list"></div>
          </fieldset>
          <div id="op-svc-buttons" class="button-row"></div>
        </form>
      </div>
      <Status id="op-svc-status" />
    </section>
  );
}
