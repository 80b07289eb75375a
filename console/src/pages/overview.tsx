/** Overview: deliveries per status, failures of the last day by hour, what expires soon, and each recipient's delivery health. */
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, DELIVERY_STATUSES, unwrap, type Overview } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import type { PageProps } from '../access.ts';
import { href } from '../router.ts';
import { Badge, Loading, ProblemMessage, useLoad } from '../ui.tsx';

const STATUS_COLOURS: Record<string, string> = {
  accepted: '#5b6b7f', queued: '#3d6fb6', delivering: '#2f7d9c', retrying: '#b36b00', delivered: '#2f8a57',
  acknowledged: '#1d6b3e', failed: '#b3261e', withheld: '#7a4fa3', expired: '#6d6d6d', cancelled: '#8a8a8a',
};

export function OverviewPage({ me }: PageProps) {
  const { t, dateTime } = useI18n();
  const overview = useLoad(async () => unwrap(await api.GET('/v1/admin/overview', { params: { query: { expiringWithinDays: 30 } } })) as Overview, []);
  const data = overview.data;
  const byStatus = DELIVERY_STATUSES.map((status) => ({ status, label: t(`status.${status}` as MessageKey), n: data?.deliveries.byStatus[status] ?? 0 }));
  const byHour = (data?.failuresLastDay.byHour ?? []).map((n, i) => ({ n, label: i === 23 ? t('overview.now') : t('overview.hoursAgo', { n: 23 - i }) }));
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('overview.title')}</h1>
      <Loading loading={overview.loading && !data} />
      <ProblemMessage error={overview.error} />
      {data ? (
        <>
          <p className="hint">{t('overview.generatedAt', { at: dateTime(data.generatedAt) })} <button type="button" onClick={overview.reload}>{t('app.reload')}</button></p>
          <div className="cards">
            <figure className="card wide">
              <figcaption>{t('overview.byStatus')}</figcaption>
              <div className="chart" aria-hidden="true">
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart data={byStatus} margin={{ left: 0, right: 8, top: 8, bottom: 40 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="label" interval={0} angle={-30} textAnchor="end" fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip />
                    <Bar dataKey="n" isAnimationActive={false}>
                      {byStatus.map((row) => <Cell key={row.status} fill={STATUS_COLOURS[row.status]} />)}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <table className="compact" data-testid="by-status">
                <caption className="visually-hidden">{t('overview.byStatus')}</caption>
                <tbody>
                  {byStatus.filter((row) => row.n > 0).map((row) => (
                    <tr key={row.status}><th scope="row"><a href={`${href('exchanges')}?status=${row.status}`}>{row.label}</a></th><td>{row.n}</td></tr>
                  ))}
                </tbody>
              </table>
            </figure>
            <figure className="card wide">
              <figcaption>{t('overview.failures')}</figcaption>
              <p data-testid="failures-total">{t('overview.failuresTotal', { n: data.failuresLastDay.attempts })}</p>
              <div className="chart" aria-hidden="true">
                <ResponsiveContainer width="100%" height={160}>
                  <BarChart data={byHour} margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="label" interval={5} fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip />
                    <Bar dataKey="n" fill="#b3261e" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </figure>
            <div className="card">
              <h2>{t('overview.expiring', { days: data.expiringWithinDays })}</h2>
              <p className="figure" data-testid="certificates-expiring">
                {me.roles.some((r) => r === 'certificate-officer' || r === 'auditor')
                  ? <a href={`${href('certificates')}?expiring=1`}>{data.certificatesExpiring} {t('overview.certificatesExpiring')}</a>
                  : <>{data.certificatesExpiring} {t('overview.certificatesExpiring')}</>}
              </p>
              <p className="figure" data-testid="consents-expiring">{data.consentsExpiring} {t('overview.consentsExpiring')}</p>
            </div>
          </div>
          <h2>{t('overview.recipients')}</h2>
          <table data-testid="recipients">
            <thead>
              <tr>
                <th scope="col">{t('overview.recipient')}</th><th scope="col">{t('overview.health')}</th><th scope="col">{t('overview.waiting')}</th>
                <th scope="col">{t('overview.retrying')}</th><th scope="col">{t('overview.deadLetters')}</th><th scope="col">{t('overview.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {data.recipients.map((r) => (
                <tr key={r.participant}>
                  <th scope="row">{r.participant}{r.suspended ? <> <Badge kind="suspended" label={t('overview.suspended')} /></> : null}</th>
                  <td><Badge kind={r.health} label={t(`health.${r.health}` as MessageKey)} /></td>
                  <td>{r.waiting}</td>
                  <td>{r.retrying}</td>
                  <td>{r.deadLetters}</td>
                  <td>{r.lastErrorCode ? <><code>{r.lastErrorCode}</code> · {dateTime(r.lastFailureAt)}</> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
