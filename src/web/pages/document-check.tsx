/**
 * /cek/{code}: where the QR on an issued document leads. Anyone, without logging in or JavaScript, sees whether
 * the document with that code is genuine, and may upload the PDF they received to check the file itself.
 */
import { Layout } from '../layout.js';
import type { Lang, Translate } from '../i18n/index.js';
import type { DocumentCheck } from '../../domain/issued-documents/check.js';
import { formatCheckCode } from '../../domain/issued-documents/check-code.js';

export type FileVerdict = 'genuine' | 'other' | 'altered' | 'missing' | 'too_large';

export type DocumentCheckPageState =
  | { kind: 'found'; check: DocumentCheck; file?: { verdict: FileVerdict; otherNumber?: string } }
  | { kind: 'unknown'; code: string };

/** "2026-12-02" → "02/12/2026", as the other pages print dates. */
const dmy = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

export function DocumentCheckPage(props: { lang: Lang; t: Translate; switchHref: string; state: DocumentCheckPageState }) {
  const { t, state } = props;
  return (
    <Layout lang={props.lang} t={t} title={t('cek.title')} switchHref={props.switchHref}>
      <section class="card narrow" aria-labelledby="cek-heading">
        <h1 id="cek-heading">{t('cek.heading')}</h1>
        {state.kind === 'unknown' ? (
          <div id="cek-result" data-state="unknown" class="notice error" role="alert">
            <p>{t('cek.unknown', { code: state.code.slice(0, 20) })}</p>
          </div>
        ) : (
          <Found t={t} lang={props.lang} check={state.check} file={state.file} />
        )}
      </section>
    </Layout>
  );
}

function Found(props: { t: Translate; lang: Lang; check: DocumentCheck; file?: { verdict: FileVerdict; otherNumber?: string } }) {
  const { t, check, file } = props;
  const action = `/cek/${check.checkCode}${props.lang === 'en' ? '?lang=en' : ''}`;
  const fileMessage =
    file?.verdict === 'genuine'
      ? t('cek.fileGenuine')
      : file?.verdict === 'other'
        ? t('cek.fileOther', { number: file.otherNumber ?? '-' })
        : file?.verdict === 'altered'
          ? t('cek.fileAltered')
          : file?.verdict === 'too_large'
            ? t('cek.fileTooLarge')
            : t('cek.fileMissing');
  return (
    <>
      <div
        id="cek-result"
        data-state={check.valid ? 'genuine' : 'not_genuine'}
        class={`notice ${check.valid ? 'success' : 'error'}`}
        role={check.valid ? 'status' : 'alert'}
      >
        <p>
          <strong>{check.valid ? t('cek.genuine', { office: check.issuedBy }) : t('cek.notGenuine')}</strong>
        </p>
      </div>
      {file ? (
        <div
          id="cek-file-result"
          data-state={file.verdict}
          class={`notice ${file.verdict === 'genuine' ? 'success' : 'error'}`}
          role={file.verdict === 'genuine' ? 'status' : 'alert'}
        >
          <p>{fileMessage}</p>
        </div>
      ) : null}
      <dl id="cek-data" class="data-list">
        <dt>{t('cek.type')}</dt>
        <dd>{check.title}</dd>
        <dt>{t('cek.number')}</dt>
        <dd id="cek-number">{check.number}</dd>
        <dt>{t('cek.issuedOn')}</dt>
        <dd>{dmy(check.issuedOn)}</dd>
        <dt>{t('cek.issuedBy')}</dt>
        <dd>{check.issuedBy}</dd>
        <dt>{t('cek.holder')}</dt>
        <dd id="cek-holder">{check.holder.name}</dd>
        <dt>{t('cek.code')}</dt>
        <dd>{formatCheckCode(check.checkCode)}</dd>
        <dt>{t('cek.sha256')}</dt>
        <dd>
          <code>{check.sha256}</code>
        </dd>
      </dl>
      <form id="cek-file-form" method="post" action={action} enctype="multipart/form-data">
        <p>{t('cek.fileLead')}</p>
        <label for="cek-file">{t('cek.fileLabel')}</label>
        <input id="cek-file" name="file" type="file" accept="application/pdf,.pdf" required />
        <button type="submit" class="button primary" id="cek-file-submit">
          {t('cek.fileSubmit')}
        </button>
      </form>
    </>
  );
}
