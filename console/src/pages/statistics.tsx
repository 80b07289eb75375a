/**
 * National indicators, for statisticians (every agency and the nation) and participants
 * (their own agency): one indicator's trend per month as a line, its year by form of
 * exploitation as bars, the other breakdowns as tables, and the release as CSV. A
 * suppressed cell shows as "under k", never as a number; the chart leaves a gap there.
 */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import type { PageProps } from '../access.ts';
import { Field, Loading, ProblemMessage, useLoad } from '../ui.tsx';
import type { components } from '../../../schemas/generated/openapi.ts';

type Release = components['schemas']['StatisticsRelease'];
type Cell = components['schemas']['StatisticsCell'];
type Indicator = Cell['indicator'];
const INDICATORS: Indicator[] = ['alerts-coordinated', 'victims-supported', 'referrals', 'children-referred', 'time-to-first-measure', 'follow-up-completed', 'cross-border-transfers'];
/** The breakdowns shown as tables, per indicator (form of exploitation is the bar chart). */
const TABLES: Record<Indicator, string[]> = {
  'alerts-coordinated': ['sex', 'age', 'citizenship'],
  'victims-supported': ['sex', 'age', 'citizenship'],
  referrals: ['measure', 'measure-outcome'],
  'children-referred': ['sex', 'age', 'citizenship'],
  'time-to-first-measure': [],
  'follow-up-completed': ['sex', 'age', 'citizenship'],
  'cross-border-transfers': ['partner-country', 'sex', 'age', 'citizenship'],
};

/** The last year with a month ended (January shows the year before). */
function latestYear(): number {
  const now = new Date();
  return now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
}

export function StatisticsPage(_: PageProps) {
  const { t, dateTime } = useI18n();
  const [year, setYear] = useState(latestYear());
  const [indicator, setIndicator] = useState<Indicator>('victims-supported');
  const [agency, setAgency] = useState<string>('');
  const release = useLoad(async () => unwrap(await api.GET('/v1/statistics/{year}', { params: { path: { year }, query: { format: 'json' } } })) as Release, [year]);
  const data = release.data;
  const shownAgency = data && data.agencies.includes(agency) ? agency : data?.agencies[0] ?? '';
  const cells = (data?.cells ?? []).filter((c) => c.indicator === indicator && c.agency === shownAgency);
  const cell = (period: string, dimension = 'all', category = 'all') => cells.find((c) => c.period === period && c.dimension === dimension && c.category === category);
  /** A cell's value for people: a number, 0 when absent, "under k" when suppressed. */
  const shown = (c: Cell | undefined) => (c === undefined ? '0' : c.persons === null ? t('statistics.suppressed', { k: data!.k }) : String(c.persons));
  const months = (data?.periods ?? []).filter((p) => /-\d\d$/.test(p.id));
  const quarters = (data?.periods ?? []).filter((p) => p.id.includes('-Q'));
  const trend = months.map((p) => {
    const c = cell(p.id);
    return { period: p.id.slice(5), persons: c === undefined ? 0 : c.persons };
  });
  const forms = (data?.categories.form ?? []).map((form) => {
    const c = cell(String(year), 'form', form);
    return { form, label: t(`form.${form}` as MessageKey), persons: c === undefined ? 0 : c.persons, c };
  });
  const label = (dimension: string, category: string) => {
    if (dimension === 'measure') return `${category} ${t(`measure.${category}` as MessageKey)}`;
    if (dimension === 'measure-outcome') {
      const [code, outcome] = category.split(':');
      return `${code} ${t(`measure.${code}` as MessageKey)} — ${t(`refoutcome.${outcome}` as MessageKey)}`;
    }
    if (dimension === 'sex') return t(`sex.${category}` as MessageKey);
    if (category === 'unknown') return t('statistics.unknown');
    return category;
  };
  const years = Array.from({ length: 6 }, (_, i) => latestYear() - i);

  return (
    <section aria-labelledby="statistics-title">
      <h1 id="statistics-title">{t('statistics.title')}</h1>
      <p className="hint">{t('statistics.hint')}</p>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('statistics.year')}>
          {(id) => <select id={id} value={year} onChange={(e) => setYear(Number(e.target.value))}>{years.map((y) => <option key={y} value={y}>{y}</option>)}</select>}
        </Field>
        <Field label={t('statistics.indicator')}>
          {(id) => (
            <select id={id} value={indicator} onChange={(e) => setIndicator(e.target.value as Indicator)}>
              {INDICATORS.map((i) => <option key={i} value={i}>{t(`indicator.${i}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        {data && data.agencies.length > 1 ? (
          <Field label={t('statistics.agency')}>
            {(id) => (
              <select id={id} value={shownAgency} onChange={(e) => setAgency(e.target.value)}>
                {data.agencies.map((a) => <option key={a} value={a}>{a === 'national' ? t('statistics.national') : a}</option>)}
              </select>
            )}
          </Field>
        ) : null}
        {data ? <a className="button" href={`/v1/statistics/${year}?format=csv`} download>{t('statistics.csv')}</a> : null}
      </form>
      <Loading loading={release.loading && !data} />
      <ProblemMessage error={release.error} />
      {data ? (
        <>
          <p className="hint" data-testid="release">
            {t('statistics.release', { asOf: dateTime(data.asOf), k: data.k, agency: shownAgency === 'national' ? t('statistics.national') : shownAgency })} <code>{data.digest.slice(0, 19)}…</code>
          </p>
          <p className="figure" data-testid="year-total">
            {t(`indicator.${indicator}` as MessageKey)}, {year}: <strong>{shown(cell(String(year)))}</strong>
            {indicator === 'time-to-first-measure' && cell(String(year))?.medianDays !== undefined
              ? <> · {t('statistics.median', { days: cell(String(year))!.medianDays!, p90: cell(String(year))!.p90Days! })}</> : null}
          </p>
          <div className="cards">
            <figure className="card wide">
              <figcaption>{t('statistics.trend')}</figcaption>
              <p className="hint">{t('statistics.gaps', { k: data.k })}</p>
              <div className="chart" aria-hidden="true">
                <ResponsiveContainer width="100%" height={220}>
                  <LineChart data={trend} margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="period" fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip />
                    <Line dataKey="persons" stroke="#3d6fb6" strokeWidth={2} connectNulls={false} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
              <table className="compact" data-testid="by-period">
                <caption className="visually-hidden">{t('statistics.trend')}</caption>
                <thead><tr><th scope="col">{t('statistics.period')}</th><th scope="col">{t('statistics.persons')}</th></tr></thead>
                <tbody>
                  {[...quarters, ...months].map((p) => <tr key={p.id}><th scope="row">{p.id}{p.complete ? '' : ` (${t('statistics.partial')})`}</th><td>{shown(cell(p.id))}</td></tr>)}
                </tbody>
              </table>
            </figure>
            {indicator !== 'time-to-first-measure' && indicator !== 'referrals' ? (
              <figure className="card wide">
                <figcaption>{t('statistics.byForm', { year })}</figcaption>
                <div className="chart" aria-hidden="true">
                  <ResponsiveContainer width="100%" height={240}>
                    <BarChart data={forms} margin={{ left: 0, right: 8, top: 8, bottom: 60 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} />
                      <XAxis dataKey="label" interval={0} angle={-30} textAnchor="end" fontSize={12} />
                      <YAxis allowDecimals={false} fontSize={12} />
                      <Tooltip />
                      <Bar dataKey="persons" fill="#2f8a57" isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <table className="compact" data-testid="by-form">
                  <caption className="visually-hidden">{t('statistics.byForm', { year })}</caption>
                  <tbody>{forms.map((f) => <tr key={f.form}><th scope="row">{f.label}</th><td>{shown(f.c)}</td></tr>)}</tbody>
                </table>
              </figure>
            ) : null}
          </div>
          <div className="cards">
            {TABLES[indicator].map((dimension) => (
              <div key={dimension} className="card">
                <table className="compact" data-testid={`by-${dimension}`}>
                  <caption>{t(`dimension.${dimension}` as MessageKey)}, {year}</caption>
                  <tbody>
                    {(data.categories[dimension] ?? []).map((category) => (
                      <tr key={category}><th scope="row">{label(dimension, category)}</th><td>{shown(cell(String(year), dimension, category))}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
          <p className="hint">{t('statistics.released', { at: dateTime(data.releasedAt) })}</p>
        </>
      ) : null}
    </section>
  );
}
