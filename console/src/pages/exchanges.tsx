/** Exchanges: search by case thread and delivery status; each exchange's delivery timeline with attempts and receipts, live. */
import { useEffect, useState } from 'react';
import { api, client, DELIVERY_STATUSES, GatewayProblem, unwrap, type Delivery, type DeliveryStatus, type Exchange } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { holds, type PageProps } from '../access.ts';
import { href, navigate } from '../router.ts';
import { Field, Loading, Notice, ProblemMessage, StatusBadge, useAction, useLoad } from '../ui.tsx';

export function ExchangesPage({ me, route }: PageProps) {
  return route.segments[1] ? <ExchangeDetail id={route.segments[1]} mayExport={holds(me, 'auditor')} /> : <ExchangeSearch query={route.query} />;
}

function ExchangeSearch({ query }: { query: URLSearchParams }) {
  const { t, dateTime } = useI18n();
  const correlationId = query.get('correlationId') ?? '';
  const status = (query.get('status') ?? '') as DeliveryStatus | '';
  const [form, setForm] = useState({ correlationId, status });
  const [pages, setPages] = useState<Exchange[][]>([]);
  const [next, setNext] = useState<string | undefined>();
  const first = useLoad(async () => {
    const page = unwrap(await api.GET('/v1/exchanges', { params: { query: { limit: 50, ...(correlationId ? { correlationId } : {}), ...(status ? { status } : {}) } } }));
    setPages([page.items]);
    setNext(page.nextCursor);
    return page;
  }, [correlationId, status]);
  const more = async () => {
    const page = unwrap(await api.GET('/v1/exchanges', { params: { query: { limit: 50, cursor: next!, ...(correlationId ? { correlationId } : {}), ...(status ? { status } : {}) } } }));
    setPages((p) => [...p, page.items]);
    setNext(page.nextCursor);
  };
  const items = pages.flat();
  return (
    <section aria-labelledby="exchanges-title">
      <h1 id="exchanges-title">{t('exchanges.title')}</h1>
      <form
        role="search" className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new URLSearchParams({ ...(form.correlationId ? { correlationId: form.correlationId.trim() } : {}), ...(form.status ? { status: form.status } : {}) });
          navigate(`${href('exchanges')}${q.size ? `?${q}` : ''}`);
        }}
      >
        <Field label={t('exchanges.correlationId')}>
          {(id) => <input id={id} name="correlationId" value={form.correlationId} onChange={(e) => setForm({ ...form, correlationId: e.target.value })} />}
        </Field>
        <Field label={t('exchanges.status')}>
          {(id) => (
            <select id={id} name="status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as DeliveryStatus | '' })}>
              <option value="">{t('exchanges.anyStatus')}</option>
              {DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        <button type="submit">{t('exchanges.find')}</button>
      </form>
      <Loading loading={first.loading} />
      <ProblemMessage error={first.error} />
      {!first.loading && items.length === 0 && !first.error ? <p>{t('exchanges.none')}</p> : null}
      {items.length ? (
        <table data-testid="exchanges">
          <thead>
            <tr><th scope="col">{t('exchanges.acceptedAt')}</th><th scope="col">{t('exchanges.type')}</th><th scope="col">{t('exchanges.sender')}</th><th scope="col">{t('exchange.case')}</th><th scope="col">{t('exchanges.deliveries')}</th></tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td><a href={href('exchanges', x.id)} aria-label={t('exchanges.open', { id: x.messageId })}>{dateTime(x.acceptedAt)}</a></td>
                <td>{t(`type.${x.type}` as MessageKey)}</td>
                <td>{x.sender}</td>
                <td><a href={`${href('exchanges')}?correlationId=${encodeURIComponent(x.correlationId)}`}><code>{x.correlationId}</code></a></td>
                <td>{x.deliveries.map((d) => <span key={d.id} className="delivery-chip">{d.recipient} <StatusBadge status={d.status} /></span>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? <button type="button" onClick={more}>{t('exchanges.more')}</button> : null}
    </section>
  );
}

function ExchangeDetail({ id, mayExport }: { id: string; mayExport: boolean }) {
  const { t, dateTime } = useI18n();
  const exchange = useLoad(async () => unwrap(await api.GET('/v1/exchanges/{id}', { params: { path: { id } } })), [id]);
  const [live, setLive] = useState<boolean | undefined>();
  const { reload } = exchange;
  // Every status event from the stream reads the exchange again: the timeline moves as the deliveries do.
  useEffect(() => client.follow(id, { onEvent: () => reload(), onConnectionChange: setLive }), [id, reload]);
  const x = exchange.data;
  return (
    <section aria-labelledby="exchange-title">
      <p><a href={href('exchanges')}>← {t('exchange.back')}</a></p>
      <h1 id="exchange-title">{t('exchange.title')} {x ? <code>{x.messageId}</code> : null}</h1>
      <p aria-live="polite" className={live ? 'live on' : 'live'} data-testid="live">{live ? `● ${t('exchange.live')}` : live === false ? t('exchange.offline') : ''}</p>
      <ProblemMessage error={exchange.error} />
      <Loading loading={exchange.loading && !x} />
      {x ? (
        <>
          <dl className="facts">
            <dt>{t('exchanges.type')}</dt><dd>{t(`type.${x.type}` as MessageKey)} ({x.schemaVersion})</dd>
            <dt>{t('exchanges.sender')}</dt><dd>{x.sender}</dd>
            <dt>{t('exchange.case')}</dt><dd><a href={`${href('exchanges')}?correlationId=${encodeURIComponent(x.correlationId)}`}><code>{x.correlationId}</code></a></dd>
            <dt>{t('exchanges.acceptedAt')}</dt><dd>{dateTime(x.acceptedAt)}</dd>
            {x.purgedAt ? <><dt>{t('exchange.purged')}</dt><dd>{dateTime(x.purgedAt)}</dd></> : null}
          </dl>
          {mayExport ? <EvidenceDownload exchangeId={x.id} /> : null}
          {x.deliveries.map((d) => <DeliveryTimeline key={d.id} delivery={d} />)}
        </>
      ) : null}
    </section>
  );
}

/** The signed evidence bundle, saved as two files: the JSON exactly as signed, and its signature. */
function EvidenceDownload({ exchangeId }: { exchangeId: string }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState('');
  const { busy, error, run } = useAction();
  const save = (name: string, text: string, type: string) => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <div className="card">
      <button type="button" disabled={busy} onClick={() => run(async () => {
        const { data, error: refused, response } = await api.GET('/v1/audit/evidence/{exchangeId}', { params: { path: { exchangeId } }, parseAs: 'text' });
        if (!response.ok) throw new GatewayProblem(typeof refused === 'string' ? JSON.parse(refused) : refused);
        const file = `evidence-${exchangeId}.json`;
        save(file, data!, 'application/json');
        save(`${file}.jws`, response.headers.get('referral-evidence-signature') ?? '', 'application/jose');
        setSaved(t('audit.evidenceSaved', { file }));
      })}>{t('audit.evidence')}</button>
      <p className="hint">{t('audit.evidenceHint')}</p>
      <Notice>{saved}</Notice>
      <ProblemMessage error={error} />
    </div>
  );
}

function DeliveryTimeline({ delivery: d }: { delivery: Delivery }) {
  const { t, dateTime } = useI18n();
  return (
    <article className="delivery" data-testid={`delivery-${d.recipient}`} aria-labelledby={`d-${d.id}`}>
      <h2 id={`d-${d.id}`}>{d.recipient} <StatusBadge status={d.status} /></h2>
      <h3>{t('exchange.timeline')}</h3>
      <ol className="timeline">
        {steps(d.history ?? []).map((step, i) => (
          <li key={i} className={`step step-${step.status}`}>
            <StatusBadge status={step.status} />{step.times > 1 ? <> × {step.times}</> : null}{' '}
            <time dateTime={step.at}>{dateTime(step.at, true)}</time>
            {step.until ? <> – <time dateTime={step.until}>{dateTime(step.until, true)}</time></> : null}
          </li>
        ))}
      </ol>
      {d.withheldCategories?.length ? <p>{t('exchange.withheldCategories')}: {d.withheldCategories.map((c) => t(`category.${c}` as MessageKey)).join(', ')}</p> : null}
      {d.attempts?.length ? (
        <>
          <h3>{t('exchange.attempts')}</h3>
          <table className="compact">
            <thead><tr><th scope="col">{t('exchange.attempt')}</th><th scope="col">{t('exchange.startedAt')}</th><th scope="col">{t('exchange.duration')}</th><th scope="col">{t('exchange.outcome')}</th><th scope="col">{t('exchange.reference')}</th></tr></thead>
            <tbody>
              {d.attempts.map((a) => (
                <tr key={a.attempt}>
                  <td>{a.attempt}</td><td>{dateTime(a.startedAt)}</td><td>{a.durationMs} ms</td>
                  <td>{t(`outcome.${a.outcome}` as MessageKey)}{a.error ? <> · <code>{a.error.code}</code> {a.error.message}</> : null}</td>
                  <td>{a.remoteReference ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>{t('exchange.receipt')}</h3>
      {d.receipt ? <details><summary>JWS</summary><pre className="jws">{d.receipt}</pre></details> : <p>{t('exchange.noReceipt')}</p>}
    </article>
  );
}

type Step = { status: string; at: string; until?: string; times: number };

/**
 * The history as timeline steps: a run of failed attempts (delivering, retrying, delivering,
 * …) is one step, "retrying × n" from the first attempt to the last retry, so a delivery
 * retried for hours still reads at a glance.
 */
function steps(history: NonNullable<Delivery['history']>): Step[] {
  const out: Step[] = [];
  for (const h of history) {
    const last = out[out.length - 1];
    if (last?.status === 'retrying' && (h.status === 'delivering' || h.status === 'retrying')) {
      if (h.status === 'retrying') {
        last.times += 1;
        last.until = h.at;
      }
      continue;
    }
    if (h.status === 'retrying' && last?.status === 'delivering') {
      // The attempt that failed belongs to the run.
      out.pop();
      out.push({ status: 'retrying', at: last.at, times: 1 });
      continue;
    }
    out.push({ status: h.status, at: h.at, times: 1 });
  }
  return out;
}
