/**
 * Cases, for a case's parties and the coordinator: referrals with their business state
 * (filter by state: `declined` are those to refer again), and a case thread — who holds it,
 * each referral's path through its states as a timeline, each agency's latest update, and
 * the measures from the copies this participant holds.
 */
import { useState } from 'react';
import { api, unwrap } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import type { PageProps } from '../access.ts';
import { href, navigate } from '../router.ts';
import { Badge, Field, Loading, ProblemMessage, useAction, useLoad } from '../ui.tsx';
import type { components } from '../../../schemas/generated/openapi.ts';

type ReferralState = components['schemas']['ReferralState'];
type Referral = components['schemas']['Referral'];
const STATES: ReferralState[] = ['requested', 'received', 'accepted', 'declined', 'in-progress', 'completed', 'cancelled', 'expired'];
/** The colour class of a state's badge (the word carries the meaning). */
const BADGE: Record<ReferralState, string> = {
  requested: 'queued', received: 'delivering', accepted: 'accepted', declined: 'failed', 'in-progress': 'retrying', completed: 'ok', cancelled: 'withheld', expired: 'expired',
};

export function CasesPage({ route }: PageProps) {
  return route.segments[1] ? <CaseThread correlationId={route.segments[1]} /> : <Referrals query={route.query} />;
}

export function StateBadge({ state }: { state: ReferralState }) {
  const { t } = useI18n();
  return <Badge kind={BADGE[state]} label={t(`referral.${state}` as MessageKey)} />;
}

function Referrals({ query }: { query: URLSearchParams }) {
  const { t, dateTime } = useI18n();
  const state = (query.get('state') ?? '') as ReferralState | '';
  const [form, setForm] = useState({ state, correlationId: '' });
  const listed = useLoad(async () => unwrap(await api.GET('/v1/referrals', { params: { query: { limit: 200, ...(state ? { state } : {}) } } })), [state]);
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <p className="hint">{t('cases.hint')}</p>
      <form role="search" className="inline-form" onSubmit={(e) => {
        e.preventDefault();
        if (form.correlationId.trim()) navigate(href('cases', form.correlationId.trim()));
        else navigate(`${href('cases')}${form.state ? `?state=${form.state}` : ''}`);
      }}>
        <Field label={t('cases.state')}>
          {(id) => (
            <select id={id} name="state" value={form.state} onChange={(e) => setForm({ ...form, state: e.target.value as ReferralState | '' })}>
              <option value="">{t('cases.anyState')}</option>
              {STATES.map((s) => <option key={s} value={s}>{t(`referral.${s}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('cases.openThread')}>
          {(id) => <input id={id} name="correlationId" value={form.correlationId} placeholder="case-…" onChange={(e) => setForm({ ...form, correlationId: e.target.value })} />}
        </Field>
        <button type="submit">{t('exchanges.find')}</button>
      </form>
      <Alerts />
      <h2>{t('cases.referrals')}</h2>
      <Loading loading={listed.loading} />
      <ProblemMessage error={listed.error} />
      {listed.data && listed.data.items.length === 0 ? <p>{t('cases.none')}</p> : null}
      {listed.data?.items.length ? <ReferralTable referrals={listed.data.items} dateTime={dateTime} /> : null}
    </section>
  );
}

/** The participant's open alerts, each acknowledged with one button. */
function Alerts() {
  const { t, dateTime } = useI18n();
  const open = useLoad(async () => unwrap(await api.GET('/v1/alerts', { params: { query: { open: true, limit: 100 } } })), []);
  const { busy, error, run } = useAction();
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <ProblemMessage error={open.error ?? error} />
      {open.data && open.data.items.length === 0 ? <p>{t('alerts.none')}</p> : null}
      {open.data?.items.length ? (
        <table data-testid="alerts">
          <thead><tr><th scope="col">{t('alerts.kind')}</th><th scope="col">{t('exchange.case')}</th><th scope="col">{t('alerts.due')}</th><th scope="col">{t('alerts.responsible')}</th><th scope="col">{t('app.actions')}</th></tr></thead>
          <tbody>
            {open.data.items.map((a) => (
              <tr key={a.id}>
                <td><Badge kind="failing" label={t(`clock.${a.kind}` as MessageKey)} /></td>
                <td>{a.correlationId ? <a href={href('cases', a.correlationId)}><code>{a.correlationId}</code></a> : Object.entries(a.details).map(([key, value]) => <span key={key} className="hint">{key}: <code>{value}</code> </span>)}</td>
                <td>{dateTime(a.dueAt)}</td>
                <td>{a.responsible}</td>
                <td><button type="button" disabled={busy} onClick={() => run(async () => {
                  unwrap(await api.POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId: a.id } } }));
                  open.reload();
                })}>{t('alerts.acknowledge')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function ReferralTable({ referrals, dateTime }: { referrals: Referral[]; dateTime: (at: string) => string }) {
  const { t } = useI18n();
  return (
    <table data-testid="referrals">
      <thead>
        <tr><th scope="col">{t('cases.requestedAt')}</th><th scope="col">{t('exchange.case')}</th><th scope="col">{t('sar.from')}</th><th scope="col">{t('sar.to')}</th><th scope="col">{t('cases.state')}</th><th scope="col">{t('cases.respondBy')}</th></tr>
      </thead>
      <tbody>
        {referrals.map((r) => (
          <tr key={r.deliveryId}>
            <td>{dateTime(r.requestedAt)}</td>
            <td><a href={href('cases', r.correlationId)}><code>{r.correlationId}</code></a></td>
            <td>{r.requester}</td>
            <td>{r.owner}</td>
            <td><StateBadge state={r.state} /> <span className="hint">{dateTime(r.stateAt)}</span></td>
            <td>{r.respondBy ? dateTime(r.respondBy) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaseThread({ correlationId }: { correlationId: string }) {
  const { t, dateTime } = useI18n();
  const loaded = useLoad(async () => unwrap(await api.GET('/v1/cases/{correlationId}', { params: { path: { correlationId } } })), [correlationId]);
  const view = loaded.data;
  return (
    <section aria-labelledby="case-title">
      <p><a href={href('cases')}>← {t('cases.title')}</a></p>
      <h1 id="case-title">{t('cases.thread')} <code>{correlationId}</code></h1>
      <Loading loading={loaded.loading} />
      <ProblemMessage error={loaded.error} />
      {view ? (
        <>
          <p data-testid="case-holder">{view.holder ? t('cases.heldBy', { holder: view.holder }) : t('cases.heldByNobody')} · {t('cases.messages', { n: view.messages.length })}</p>
          <h2>{t('cases.referrals')}</h2>
          {view.referrals.length === 0 ? <p>{t('cases.none')}</p> : view.referrals.map((r) => (
            <article key={r.deliveryId} className="delivery" data-testid={`referral-${r.owner}`} aria-labelledby={`r-${r.deliveryId}`}>
              <h3 id={`r-${r.deliveryId}`}>{r.requester} → {r.owner} <StateBadge state={r.state} /></h3>
              {r.respondBy ? <p className="hint">{t('cases.respondBy')}: {dateTime(r.respondBy)}</p> : null}
              <ol className="timeline" aria-label={t('cases.timeline')}>
                {(r.timeline ?? []).map((step, i) => (
                  <li key={i} className={`step step-${BADGE[step.state]}`}>
                    <StateBadge state={step.state} /> <time dateTime={step.at}>{dateTime(step.at)}</time>
                    {step.exchangeId ? <> · <a href={href('exchanges', step.exchangeId)}>{t('cases.byMessage')}</a></> : null}
                  </li>
                ))}
              </ol>
            </article>
          ))}
          <h2>{t('cases.clocks')}</h2>
          {view.clocks.length === 0 ? <p>{t('app.none')}</p> : (
            <table className="compact" data-testid="clocks">
              <thead><tr><th scope="col">{t('alerts.kind')}</th><th scope="col">{t('alerts.due')}</th><th scope="col">{t('alerts.responsible')}</th><th scope="col">{t('cases.state')}</th></tr></thead>
              <tbody>
                {view.clocks.map((c) => (
                  <tr key={c.id}>
                    <td>{t(`clock.${c.kind}` as MessageKey)}</td>
                    <td>{dateTime(c.dueAt)}</td>
                    <td>{c.responsible}</td>
                    <td><Badge kind={c.state === 'fired' ? 'failing' : c.state === 'stopped' ? 'ok' : 'queued'} label={t(`clockstate.${c.state}` as MessageKey)} />
                      {c.stoppedAt ? <span className="hint"> {dateTime(c.stoppedAt)}</span> : null}{c.firedAt ? <span className="hint"> {dateTime(c.firedAt)}</span> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('cases.latestUpdates')}</h2>
          {view.latestUpdates.length === 0 ? <p>{t('app.none')}</p> : (
            <table className="compact" data-testid="latest-updates">
              <thead><tr><th scope="col">{t('cases.agency')}</th><th scope="col">{t('cases.update')}</th><th scope="col">{t('sar.when')}</th></tr></thead>
              <tbody>{view.latestUpdates.map((u) => <tr key={u.participant}><td>{u.participant}</td><td>{t(`update.${u.update}` as MessageKey)}</td><td>{dateTime(u.at)}</td></tr>)}</tbody>
            </table>
          )}
          <h2>{t('cases.measures')}</h2>
          <p className="hint">{t('cases.measuresHint')}</p>
          {view.measures.length === 0 ? <p data-testid="no-measures">{t('app.none')}</p> : (
            <table className="compact" data-testid="measures">
              <thead><tr><th scope="col">{t('cases.measure')}</th><th scope="col">{t('cases.state')}</th><th scope="col">{t('cases.reportedBy')}</th><th scope="col">{t('sar.when')}</th></tr></thead>
              <tbody>{view.measures.map((m) => <tr key={m.code}><td>{m.code} {t(`measure.${m.code}` as MessageKey)}</td><td>{t(`measurestatus.${m.status}` as MessageKey)}</td><td>{m.reportedBy}</td><td>{dateTime(m.at)}</td></tr>)}</tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
