/**
 * /operator/stats: the monitoring dashboard for supervisors and admins — the Tabel 13 table (KODE | PROVINSI |
 * JUMLAH with the TOTAL row first) per measure (registrations, activations, verifications, service requests),
 * drill-down links, a period filter, two charts and the CSV export. The table is the page (it works without JavaScript); the charts are drawn by stats.js from a JSON data block.
 */
import type { Context } from 'hono';
import { Layout } from '../layout.js';
import { htmlPage } from '../render.js';
import type { Lang, Translate } from '../i18n/index.js';
import type { Dashboard, DashboardLevel } from '../../domain/operators/dashboard.js';
import { MEASURES, PERIOD_KINDS } from '../../domain/operators/dashboard.js';

const CHILD: Record<DashboardLevel, DashboardLevel | null> = { province: 'regency', regency: 'district', district: null };

export interface StatsPageProps {
  lang: Lang;
  t: Translate;
  switchHref: string;
  dashboard: Dashboard;
  operatorName: string;
}

/** The query string of a view, with the current period kept (drill-down and CSV keep the filter). */
export function statsQuery(d: Pick<Dashboard, 'period'>, view: { level: DashboardLevel; parent?: string }): string {
  const q = new URLSearchParams({ level: view.level });
  if (view.parent) q.set('parent', view.parent);
  q.set('period', d.period.kind);
  if (d.period.kind === 'range') {
    q.set('from', d.period.from);
    q.set('to', d.period.to);
  }
  return q.toString();
}

/** A JSON data block is not executed, so the CSP does not apply; '<' is escaped so it cannot close the tag. */
const dataBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function StatsPage(props: StatsPageProps) {
  const { t, dashboard: d, lang } = props;
  const number = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB');
  const child = CHILD[d.level];
  const here = { level: d.level, parent: d.parent?.code };
  const regionHeading = t(`stats.region.${d.level}`);
  const chart = {
    labels: Object.fromEntries(MEASURES.map((m) => [m, t(`stats.measure.${m}`)])),
    byDay: d.byDay,
    rows: d.rows.map((r) => ({ code: r.code, name: r.name, ...Object.fromEntries(MEASURES.map((m) => [m, r[m]])) })),
  };
  return (
    <Layout lang={lang} t={t} title={t('stats.title')} area={t('stats.area')} switchHref={props.switchHref} wide>
      <div class="console-bar">
        <p id="stats-who">{props.operatorName}</p>
        <a class="button link" href="/operator">
          {t('stats.backToConsole')}
        </a>
      </div>
      <section class="card" aria-labelledby="stats-heading">
        <h1 id="stats-heading">{t('stats.heading')}</h1>
        <nav aria-label={t('stats.breadcrumb')}>
          <ol class="breadcrumb" id="stats-breadcrumb">
            <li>
              {d.parent ? <a href={`/operator/stats?${statsQuery(d, { level: 'province' })}`}>{t('stats.national')}</a> : t('stats.national')}
            </li>
            {d.breadcrumb.map((region, i) => (
              <li>
                {i < d.breadcrumb.length - 1 ? (
                  <a href={`/operator/stats?${statsQuery(d, { level: CHILD[region.level]!, parent: region.code })}`}>{region.name}</a>
                ) : (
                  <span aria-current="page">{region.name}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>

        <form id="stats-filter" method="get" action="/operator/stats" class="stats-filter">
          <input type="hidden" name="level" value={d.level} />
          {d.parent ? <input type="hidden" name="parent" value={d.parent.code} /> : null}
          <div class="field">
            <label for="stats-period">{t('stats.period')}</label>
            <select id="stats-period" name="period">
              {PERIOD_KINDS.map((kind) => (
                <option value={kind} selected={kind === d.period.kind}>
                  {t(`stats.period.${kind}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="stats-from">{t('stats.from')}</label>
            <input type="date" id="stats-from" name="from" value={d.period.kind === 'range' ? d.period.from : ''} />
          </div>
          <div class="field">
            <label for="stats-to">{t('stats.to')}</label>
            <input type="date" id="stats-to" name="to" value={d.period.kind === 'range' ? d.period.to : ''} />
          </div>
          <button type="submit" class="button primary">
            {t('stats.apply')}
          </button>
        </form>
        <p id="stats-period-note">
          {t('stats.periodNote', { from: d.period.from, to: d.period.to, zone: d.zone })}
          {d.parent ? '' : ` ${t('stats.nationalZone')}`}
        </p>
        <p>
          <a class="button secondary" id="stats-csv" href={`/v1/operator/stats.csv?${statsQuery(d, here)}`} download>
            {t('stats.csv')}
          </a>
        </p>
      </section>

      <section class="card" aria-labelledby="stats-table-heading">
        <h2 id="stats-table-heading">{t('stats.table.heading', { region: regionHeading })}</h2>
        <div class="table-scroll">
          <table id="stats-table" class="stats-table">
            <thead>
              <tr>
                <th scope="col" rowspan={2}>
                  KODE
                </th>
                <th scope="col" rowspan={2}>
                  {regionHeading.toUpperCase()}
                </th>
                <th scope="colgroup" colspan={MEASURES.length}>
                  JUMLAH
                </th>
              </tr>
              <tr>
                {MEASURES.map((m) => (
                  <th scope="col" class="num">
                    {t(`stats.measure.${m}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr class="total" id="stats-total">
                <td></td>
                <th scope="row">TOTAL</th>
                {MEASURES.map((m) => (
                  <td class="num" data-measure={m}>
                    {number.format(d.total[m])}
                  </td>
                ))}
              </tr>
              {d.rows.map((row) => (
                <tr data-code={row.code}>
                  <td>{row.code}</td>
                  <th scope="row">
                    {child ? <a href={`/operator/stats?${statsQuery(d, { level: child, parent: row.code })}`}>{row.name}</a> : row.name}
                  </th>
                  {MEASURES.map((m) => (
                    <td class="num" data-measure={m}>
                      {number.format(row[m])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="card" aria-labelledby="stats-charts-heading">
        <h2 id="stats-charts-heading">{t('stats.charts')}</h2>
        <figure class="stats-chart">
          <div class="chart-box">
            <canvas id="stats-chart-days" role="img" aria-label={t('stats.chart.days', { zone: d.zone })}></canvas>
          </div>
          <figcaption>{t('stats.chart.days', { zone: d.zone })}</figcaption>
        </figure>
        <figure class="stats-chart">
          <div class="chart-box">
            <canvas id="stats-chart-regions" role="img" aria-label={t('stats.chart.regions', { region: regionHeading })}></canvas>
          </div>
          <figcaption>{t('stats.chart.regions', { region: regionHeading })}</figcaption>
        </figure>
      </section>

      <p class="stats-footnote" id="stats-footnote">
        {t('stats.footnote')}
      </p>

      <script type="application/json" id="stats-data" dangerouslySetInnerHTML={{ __html: dataBlock(chart) }}></script>
      {/* In document order: the UMD bundle sets window.Chart before the module runs (both are deferred). */}
      <script src="/assets/vendor/chart.js" defer></script>
      <script type="module" src="/assets/stats.js"></script>
    </Layout>
  );
}

/** 401 (no console session) and 403 (a role below supervisor) as a page, not problem+json. */
export function StatsDeniedPage(props: { lang: Lang; t: Translate; switchHref: string; status: 401 | 403 | 400; detail?: string }) {
  const { t } = props;
  const key = props.status === 401 ? 'stats.denied.login' : props.status === 403 ? 'stats.denied.role' : 'stats.denied.bad';
  return (
    <Layout lang={props.lang} t={t} title={t('stats.title')} area={t('stats.area')} switchHref={props.switchHref} wide>
      <section class="card narrow" aria-labelledby="stats-denied-heading">
        <h1 id="stats-denied-heading">{t(`${key}.heading`)}</h1>
        <p class="notice error" id="stats-denied" data-status={props.status}>
          {t(`${key}.text`)}
          {props.detail ? ` (${props.detail})` : ''}
        </p>
        <p>
          <a class="button secondary" href={props.status === 400 ? '/operator/stats' : '/operator'}>
            {t(props.status === 400 ? 'stats.heading' : 'stats.backToConsole')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export const statsPage = (c: Context, dashboard: Dashboard, operatorName: string) =>
  htmlPage(c, (p) => <StatsPage {...p} dashboard={dashboard} operatorName={operatorName} />);

export const statsDeniedPage = (c: Context, status: 400 | 401 | 403, detail?: string) =>
  htmlPage(c, (p) => <StatsDeniedPage {...p} status={status} detail={detail} />, status);
