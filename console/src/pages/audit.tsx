/**
 * Audit: check the whole log here with a progress bar; the signed checkpoints as a chart of
 * the log's growth; search entries, each with whether a checkpoint covers it; legal holds
 * that stop the purge of a case thread.
 */
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api.ts';
import { verifyInBrowser, type BrowserVerification } from '../audit-verify.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import type { PageProps } from '../access.ts';
import { href } from '../router.ts';
import { Field, Loading, Notice, ProblemMessage, ReasonDialog, useAction, useLoad } from '../ui.tsx';
import type { components } from '../../../schemas/generated/openapi.ts';

type AuditItem = components['schemas']['AuditItem'];
type AuditAction = components['schemas']['AuditAction'];
type LegalHold = components['schemas']['LegalHold'];

const ACTIONS: AuditAction[] = [
  'exchange.accepted', 'exchange.cancelled', 'delivery.delivered', 'delivery.acknowledged', 'delivery.failed', 'delivery.withheld', 'delivery.expired',
  'dead-letter.retried', 'dead-letter.discarded', 'webhook.registered', 'webhook.removed', 'consent.recorded', 'consent.withdrawn', 'consent.withdrawal-code-issued',
  'pseudonym.computed', 'pseudonym.linked', 'exemption.reviewed', 'certificate.issued', 'certificate.revoked', 'participant.added', 'participant.changed',
  'participant.delivery-changed', 'participant.suspended', 'participant.reinstated', 'retention.purged', 'legal-hold.placed', 'legal-hold.released',
  'subject-access.reported', 'evidence.exported',
];

export function AuditPage(_props: PageProps) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <VerifyLog />
      <Checkpoints />
      <SearchEntries />
      <LegalHolds />
    </section>
  );
}

function VerifyLog() {
  const { t } = useI18n();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [result, setResult] = useState<BrowserVerification | undefined>();
  const action = useAction();
  const problem = result?.problem;
  return (
    <section aria-labelledby="verify-title" className="card wide">
      <h2 id="verify-title">{t('audit.verifyTitle')}</h2>
      <p className="hint">{t('audit.verifyHint')}</p>
      <button type="button" disabled={action.busy} onClick={() => action.run(async () => {
        setResult(undefined);
        setProgress({ done: 0, total: 0 });
        setResult(await verifyInBrowser((done, total) => setProgress({ done, total })));
      })}>{t('audit.verify')}</button>
      {progress && action.busy ? (
        <p><progress max={progress.total || 1} value={progress.done} aria-label={t('audit.verifying')} /> {t('audit.progress', { done: progress.done, total: progress.total })}</p>
      ) : null}
      <ProblemMessage error={action.error} />
      <div aria-live="polite" data-testid="verify-result">
        {result && !problem ? <p className="ok">✔ {t('audit.verified', { entries: result.entries, checkpoints: result.checkpoints })}</p> : null}
        {problem ? (
          <p role="alert" className="problem">
            ✘ {t(`audit.problem.${problem.kind}` as MessageKey, { seq: problem.seq ?? '', position: problem.position ?? '', size: problem.treeSize ?? '' })}
          </p>
        ) : null}
      </div>
    </section>
  );
}

function Checkpoints() {
  const { t, dateTime } = useI18n();
  const list = useLoad(async () => unwrap(await api.GET('/v1/audit/checkpoints', { params: { query: { limit: 100 } } })).items, []);
  const series = [...(list.data ?? [])].reverse().map((c) => ({ at: dateTime(c.issuedAt), entries: c.treeSize }));
  return (
    <section aria-labelledby="checkpoints-title" className="card wide">
      <h2 id="checkpoints-title">{t('audit.checkpointsTitle')}</h2>
      <p className="hint">{t('audit.checkpointsHint')}</p>
      <Loading loading={list.loading && !list.data} />
      <ProblemMessage error={list.error} />
      {series.length > 1 ? (
        <div className="chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={series} margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" fontSize={12} />
              <YAxis allowDecimals={false} fontSize={12} />
              <Tooltip />
              <Line type="stepAfter" dataKey="entries" stroke="#3d6fb6" dot isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : null}
      {list.data?.length ? (
        <table className="compact" data-testid="checkpoints">
          <thead><tr><th scope="col">{t('audit.signedAt')}</th><th scope="col">{t('audit.entries')}</th><th scope="col">{t('audit.root')}</th></tr></thead>
          <tbody>
            {list.data.slice(0, 10).map((c) => (
              <tr key={c.treeSize}><td>{dateTime(c.issuedAt, true)}</td><td>{c.treeSize}</td><td><code>{c.rootHash}</code></td></tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? <p>{t('audit.noCheckpoints')}</p> : null}
    </section>
  );
}

function SearchEntries() {
  const { t, dateTime } = useI18n();
  const [form, setForm] = useState({ action: '', exchangeId: '', participant: '', actor: '' });
  const [items, setItems] = useState<AuditItem[] | undefined>();
  const search = useAction();
  const find = () => search.run(async () => {
    const query = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    setItems(unwrap(await api.GET('/v1/audit/entries', { params: { query: { ...query, limit: 200 } as never } })).items);
  });
  return (
    <section aria-labelledby="entries-title" className="card wide">
      <h2 id="entries-title">{t('audit.entriesTitle')}</h2>
      <form role="search" className="inline-form" onSubmit={(e) => { e.preventDefault(); void find(); }}>
        <Field label={t('audit.action')}>
          {(id) => (
            <select id={id} value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
              <option value="">{t('audit.anyAction')}</option>
              {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('audit.exchange')}>{(id) => <input id={id} value={form.exchangeId} onChange={(e) => setForm({ ...form, exchangeId: e.target.value })} />}</Field>
        <Field label={t('audit.participant')}>{(id) => <input id={id} value={form.participant} onChange={(e) => setForm({ ...form, participant: e.target.value })} />}</Field>
        <Field label={t('audit.actor')}>{(id) => <input id={id} value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} />}</Field>
        <button type="submit" disabled={search.busy}>{t('exchanges.find')}</button>
      </form>
      <ProblemMessage error={search.error} />
      {items && items.length === 0 ? <p>{t('audit.noEntries')}</p> : null}
      {items?.length ? (
        <table data-testid="audit-entries">
          <thead><tr><th scope="col">№</th><th scope="col">{t('audit.at')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.action')}</th><th scope="col">{t('audit.exchange')}</th><th scope="col">{t('audit.logged')}</th></tr></thead>
          <tbody>
            {items.map(({ entry, position, proof }) => (
              <tr key={entry.seq}>
                <td>{entry.seq}</td>
                <td>{dateTime(entry.at, true)}</td>
                <td><code>{entry.actor}</code></td>
                <td>{entry.action}</td>
                <td>{entry.exchangeId ? <a href={href('exchanges', entry.exchangeId)}><code>{entry.exchangeId.slice(0, 8)}</code></a> : '—'}</td>
                <td>{proof ? t('audit.inCheckpoint', { size: proof.treeSize }) : position === undefined ? t('audit.waiting') : t('audit.chained', { position })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function LegalHolds() {
  const { t, dateTime } = useI18n();
  const holds = useLoad(async () => unwrap(await api.GET('/v1/admin/legal-holds', { params: { query: { limit: 200 } } })).items, []);
  const [form, setForm] = useState({ correlationId: '', reason: '' });
  const [notice, setNotice] = useState('');
  const [releasing, setReleasing] = useState<LegalHold | undefined>();
  const place = useAction();
  return (
    <section aria-labelledby="holds-title" className="card wide">
      <h2 id="holds-title">{t('audit.holdsTitle')}</h2>
      <p className="hint">{t('audit.holdsHint')}</p>
      <Notice>{notice}</Notice>
      <form className="inline-form" onSubmit={(e) => {
        e.preventDefault();
        void place.run(async () => {
          unwrap(await api.POST('/v1/admin/legal-holds', { body: { correlationId: form.correlationId.trim(), reason: form.reason.trim() } }));
          setNotice(t('audit.holdPlaced', { correlationId: form.correlationId.trim() }));
          setForm({ correlationId: '', reason: '' });
          holds.reload();
        });
      }}>
        <Field label={t('exchange.case')}>{(id) => <input id={id} required value={form.correlationId} onChange={(e) => setForm({ ...form, correlationId: e.target.value })} />}</Field>
        <Field label={t('app.reason')} hint={t('app.reasonHint')}>{(id, describedBy) => <input id={id} aria-describedby={describedBy} required minLength={3} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />}</Field>
        <button type="submit" disabled={place.busy}>{t('audit.placeHold')}</button>
      </form>
      <ProblemMessage error={place.error ?? holds.error} />
      {holds.data?.length ? (
        <table className="compact" data-testid="legal-holds">
          <thead><tr><th scope="col">{t('exchange.case')}</th><th scope="col">{t('app.reason')}</th><th scope="col">{t('audit.placed')}</th><th scope="col">{t('app.actions')}</th></tr></thead>
          <tbody>
            {holds.data.map((h) => (
              <tr key={h.id}>
                <td><a href={`${href('exchanges')}?correlationId=${encodeURIComponent(h.correlationId)}`}><code>{h.correlationId}</code></a></td>
                <td>{h.reason}</td>
                <td>{dateTime(h.placedAt)} · <code>{h.placedBy}</code></td>
                <td><button type="button" onClick={() => setReleasing(h)}>{t('audit.release')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : holds.data ? <p>{t('audit.noHolds')}</p> : null}
      {releasing ? (
        <ReasonDialog
          title={t('audit.releaseTitle', { correlationId: releasing.correlationId })}
          confirm={t('audit.release')}
          onClose={() => setReleasing(undefined)}
          onConfirm={async (reason) => {
            unwrap(await api.POST('/v1/admin/legal-holds/{holdId}/release', { params: { path: { holdId: releasing.id } }, body: { reason } }));
            setNotice(t('audit.holdReleased', { correlationId: releasing.correlationId }));
            holds.reload();
          }}
        />
      ) : null}
    </section>
  );
}
