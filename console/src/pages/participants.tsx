/** Participants: who takes part, their delivery health and queue depth; an operator adds, edits, suspends and reinstates. */
import { useState } from 'react';
import { api, MESSAGE_TYPES, PARTICIPANT_KINDS, unwrap, type MessageType, type Participant, type ParticipantKind, type ParticipantRecord } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { holds, type PageProps } from '../access.ts';
import { href, navigate } from '../router.ts';
import { Badge, CheckboxGroup, Field, Loading, Notice, ProblemMessage, ReasonDialog, useAction, useLoad } from '../ui.tsx';

export function ParticipantsPage({ me, route }: PageProps) {
  const [, id] = route.segments;
  if (id === 'new') return <ParticipantForm />;
  if (id) return <ParticipantForm id={id} />;
  return <ParticipantList mayChange={holds(me, 'operator')} />;
}

function ParticipantList({ mayChange }: { mayChange: boolean }) {
  const { t } = useI18n();
  const list = useLoad(async () => {
    const [records, overview] = await Promise.all([api.GET('/v1/admin/participants'), api.GET('/v1/admin/overview')]);
    return { records: unwrap(records).items, recipients: new Map(unwrap(overview).recipients.map((r) => [r.participant, r])) };
  }, []);
  const [changing, setChanging] = useState<{ record: ParticipantRecord; action: 'suspend' | 'reinstate' } | undefined>();
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="participants-title">
      <h1 id="participants-title">{t('participants.title')}</h1>
      {mayChange ? <p><a className="button" href={href('participants', 'new')}>{t('participants.add')}</a></p> : null}
      <Notice>{notice}</Notice>
      <ProblemMessage error={list.error} />
      <Loading loading={list.loading && !list.data} />
      {list.data ? (
        <table data-testid="participants">
          <thead>
            <tr>
              <th scope="col">{t('participants.id')}</th><th scope="col">{t('participants.name')}</th><th scope="col">{t('participants.kind')}</th>
              <th scope="col">{t('participants.state')}</th><th scope="col">{t('participants.health')}</th><th scope="col">{t('participants.queue')}</th>
              {mayChange ? <th scope="col">{t('app.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.data.records.map((record) => {
              const p = record.participant;
              const health = list.data!.recipients.get(p.id);
              return (
                <tr key={p.id} data-testid={`participant-${p.id}`}>
                  <th scope="row"><code>{p.id}</code></th>
                  <td>{p.name}</td>
                  <td>{t(`kind.${p.kind}` as MessageKey)}</td>
                  <td>{record.suspension ? <Badge kind="suspended" label={t('participants.suspended')} /> : <Badge kind="ok" label={t('participants.active')} />}</td>
                  <td>{health ? <Badge kind={health.health} label={t(`health.${health.health}` as MessageKey)} /> : '—'}</td>
                  <td>{health ? `${health.waiting} / ${health.retrying} / ${health.deadLetters}` : '—'}</td>
                  {mayChange ? (
                    <td className="buttons">
                      <a className="button" href={href('participants', p.id)}>{t('participants.edit')}</a>
                      {record.suspension
                        ? <button type="button" onClick={() => setChanging({ record, action: 'reinstate' })}>{t('participants.reinstate')}</button>
                        : <button type="button" className="danger" onClick={() => setChanging({ record, action: 'suspend' })}>{t('participants.suspend')}</button>}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <p className="hint">{t('participants.queue')}: {t('overview.waiting')} / {t('overview.retrying')} / {t('overview.deadLetters')}</p>
      {changing ? (
        <ReasonDialog
          title={t(changing.action === 'suspend' ? 'participants.suspendTitle' : 'participants.reinstateTitle', { name: changing.record.participant.name })}
          {...(changing.action === 'suspend' ? { hint: t('participants.suspendHint') } : {})}
          confirm={t(changing.action === 'suspend' ? 'participants.suspend' : 'participants.reinstate')}
          onClose={() => setChanging(undefined)}
          onConfirm={async (reason) => {
            const path = { params: { path: { id: changing.record.participant.id } }, body: { reason } };
            unwrap(changing.action === 'suspend'
              ? await api.POST('/v1/admin/participants/{id}/suspend', path)
              : await api.POST('/v1/admin/participants/{id}/reinstate', path));
            setNotice(t('participants.saved'));
            list.reload();
          }}
        />
      ) : null}
    </section>
  );
}

const EMPTY: Participant = { id: '', name: '', kind: 'ngo', country: 'BG', accepts: [], sends: [] };

/** Adds a participant (no `id`) or edits one: the definition the registry holds. */
function ParticipantForm({ id }: { id?: string }) {
  const { t } = useI18n();
  const existing = useLoad(async () => (id ? unwrap(await api.GET('/v1/admin/participants/{id}', { params: { path: { id } } })).participant : EMPTY), [id]);
  return existing.data ? <DefinitionForm key={id ?? 'new'} initial={existing.data} isNew={!id} /> : <><Loading loading={existing.loading} /><ProblemMessage error={existing.error} />{!existing.loading && !existing.data ? <p>{t('app.notFound')}</p> : null}</>;
}

function DefinitionForm({ initial, isNew }: { initial: Participant; isNew: boolean }) {
  const { t } = useI18n();
  const [p, setP] = useState<Participant>(initial);
  const { busy, error, run } = useAction();
  const { suspended: _suspended, ...definition } = p;
  return (
    <section aria-labelledby="participant-form-title">
      <p><a href={href('participants')}>← {t('participants.title')}</a></p>
      <h1 id="participant-form-title">{isNew ? t('participants.newTitle') : t('participants.editTitle', { name: initial.name })}</h1>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          await run(async () => {
            unwrap(isNew
              ? await api.POST('/v1/admin/participants', { body: definition })
              : await api.PUT('/v1/admin/participants/{id}', { params: { path: { id: p.id } }, body: definition }));
            navigate(href('participants'));
          });
        }}
      >
        <Field label={t('participants.id')} hint="BG-NGO-…">
          {(fid, hint) => <input id={fid} name="id" required readOnly={!isNew} value={p.id} aria-describedby={hint} onChange={(e) => setP({ ...p, id: e.target.value.trim() })} />}
        </Field>
        <Field label={t('participants.name')}>{(fid) => <input id={fid} name="name" required value={p.name} onChange={(e) => setP({ ...p, name: e.target.value })} />}</Field>
        <Field label={t('participants.kind')}>
          {(fid) => (
            <select id={fid} name="kind" value={p.kind} onChange={(e) => setP({ ...p, kind: e.target.value as ParticipantKind })}>
              {PARTICIPANT_KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('participants.country')}>{(fid) => <input id={fid} name="country" required pattern="[A-Z]{2}" maxLength={2} value={p.country} onChange={(e) => setP({ ...p, country: e.target.value.toUpperCase() })} />}</Field>
        <CheckboxGroup
          legend={t('participants.accepts')} name="accepts" values={MESSAGE_TYPES} label={(v) => t(`type.${v}` as MessageKey)}
          selected={p.accepts.map((a) => a.type)}
          onChange={(types: MessageType[]) => setP({ ...p, accepts: types.map((type) => p.accepts.find((a) => a.type === type) ?? { type, schemaVersions: ['1.0'] }) })}
        />
        <CheckboxGroup legend={t('participants.sends')} name="sends" values={MESSAGE_TYPES} label={(v) => t(`type.${v}` as MessageKey)} selected={p.sends} onChange={(sends) => setP({ ...p, sends })} />
        <label className="check"><input type="checkbox" name="requiresSignedSubmissions" checked={p.requiresSignedSubmissions ?? false} onChange={(e) => setP({ ...p, requiresSignedSubmissions: e.target.checked })} /> {t('participants.signed')}</label>
        <ProblemMessage error={error} />
        <div className="buttons">
          <button type="submit" disabled={busy}>{t('app.save')}</button>
          <a className="button" href={href('participants')}>{t('app.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
