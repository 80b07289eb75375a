/** Certificates: issue one from a CSR file, list them (those expiring soon first), revoke with a reason. */
import { useState } from 'react';
import { ADMIN_ROLES, api, REVOCATION_REASONS, unwrap, type AdminRole, type Certificate, type CertificateSubjectRequest, type RevocationReason } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { holds, type PageProps } from '../access.ts';
import { href, navigate } from '../router.ts';
import { Badge, CheckboxGroup, Field, Loading, Notice, ProblemMessage, ReasonDialog, useAction, useLoad } from '../ui.tsx';

type SubjectKind = CertificateSubjectRequest['kind'];
const SUBJECT_KINDS: SubjectKind[] = ['participant', 'adapter', 'administrator', 'endpoint'];

export function CertificatesPage({ me, route }: PageProps) {
  const { t, date } = useI18n();
  const expiring = route.query.get('expiring') === '1';
  const mayChange = holds(me, 'certificate-officer');
  const list = useLoad(async () => unwrap(await api.GET('/v1/certificates', { params: { query: { limit: 200, ...(expiring ? { expiringWithinDays: 30 } : {}) } } })).items, [expiring]);
  const [revoking, setRevoking] = useState<Certificate | undefined>();
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="certificates-title">
      <h1 id="certificates-title">{t('certificates.title')}</h1>
      {mayChange ? <IssueForm onIssued={(serial) => { setNotice(t('certificates.issued', { serial })); list.reload(); }} /> : null}
      <Notice>{notice}</Notice>
      <label className="check">
        <input type="checkbox" checked={expiring} onChange={(e) => navigate(`${href('certificates')}${e.target.checked ? '?expiring=1' : ''}`)} /> {t('certificates.expiringOnly')}
      </label>
      <ProblemMessage error={list.error} />
      <Loading loading={list.loading && !list.data} />
      {list.data && list.data.length === 0 ? <p>{t('certificates.none')}</p> : null}
      {list.data?.length ? (
        <table data-testid="certificates">
          <thead>
            <tr><th scope="col">{t('certificates.serial')}</th><th scope="col">{t('certificates.subject')}</th><th scope="col">{t('certificates.validUntil')}</th><th scope="col">{t('certificates.status')}</th>{mayChange ? <th scope="col">{t('app.actions')}</th> : null}</tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.serial} data-testid={`certificate-${c.serial}`}>
                <th scope="row"><code>{c.serial}</code></th>
                <td>{describe(c, t)}</td>
                <td>{date(c.notAfter)}</td>
                <td><Badge kind={c.status} label={t(`certstatus.${c.status}` as MessageKey)} />{c.revocationReason ? ` · ${t(`reason.${c.revocationReason}` as MessageKey)}` : null}</td>
                {mayChange ? <td>{c.status !== 'revoked' ? <button type="button" className="danger" onClick={() => setRevoking(c)}>{t('certificates.revoke')}</button> : null}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {revoking ? <RevokeDialog certificate={revoking} onClose={() => setRevoking(undefined)} onRevoked={() => { setNotice(t('certificates.revoked')); list.reload(); }} /> : null}
    </section>
  );
}

function describe(c: Certificate, t: ReturnType<typeof useI18n>['t']): string {
  const s = c.subject;
  const kind = t(`certificates.kind.${s.kind}` as MessageKey);
  return [kind, s.participantId, s.name, s.roles?.map((r) => t(`role.${r}` as MessageKey)).join(', ')].filter(Boolean).join(' · ');
}

function RevokeDialog({ certificate, onClose, onRevoked }: { certificate: Certificate; onClose(): void; onRevoked(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<RevocationReason>('unspecified');
  return (
    <ReasonDialog
      title={t('certificates.revokeTitle', { serial: certificate.serial })}
      confirm={t('certificates.revoke')}
      withoutReason
      extra={(
        <Field label={t('certificates.revocationReason')}>
          {(id) => (
            <select id={id} value={reason} onChange={(e) => setReason(e.target.value as RevocationReason)}>
              {REVOCATION_REASONS.map((r) => <option key={r} value={r}>{t(`reason.${r}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
      )}
      onClose={onClose}
      onConfirm={async () => {
        unwrap(await api.POST('/v1/certificates/{serial}/revoke', { params: { path: { serial: certificate.serial } }, body: { reason } }));
        onRevoked();
      }}
    />
  );
}

function IssueForm({ onIssued }: { onIssued(serial: string): void }) {
  const { t } = useI18n();
  const participants = useLoad(async () => unwrap(await api.GET('/v1/participants')).items, []);
  const [csr, setCsr] = useState('');
  const [kind, setKind] = useState<SubjectKind>('participant');
  const [participantId, setParticipantId] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<AdminRole[]>([]);
  const [dnsNames, setDnsNames] = useState('');
  const [issued, setIssued] = useState<Certificate | undefined>();
  const { busy, error, run } = useAction();
  const subject = (): CertificateSubjectRequest => {
    if (kind === 'administrator') return { kind, name, roles };
    if (kind === 'adapter') return { kind, participantId, name };
    if (kind === 'endpoint') return { kind, participantId, dnsNames: dnsNames.split(',').map((n) => n.trim()).filter(Boolean) };
    return { kind, participantId };
  };
  return (
    <details className="card" open={false}>
      <summary>{t('certificates.issue')}</summary>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          await run(async () => {
            const certificate = unwrap(await api.POST('/v1/certificates', { body: { csr, subject: subject() } }));
            setIssued(certificate);
            onIssued(certificate.serial);
          });
        }}
      >
        <Field label={t('certificates.csr')} hint={t('certificates.csrHint')}>
          {(id, hint) => <input id={id} type="file" name="csr" accept=".csr,.pem,.req,text/plain" required aria-describedby={hint} onChange={async (e) => setCsr((await e.target.files?.[0]?.text()) ?? '')} />}
        </Field>
        <Field label={t('certificates.subjectKind')}>
          {(id) => (
            <select id={id} name="kind" value={kind} onChange={(e) => setKind(e.target.value as SubjectKind)}>
              {SUBJECT_KINDS.map((k) => <option key={k} value={k}>{t(`certificates.kind.${k}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        {kind !== 'administrator' ? (
          <Field label={t('certificates.participant')}>
            {(id) => (
              <select id={id} name="participantId" required value={participantId} onChange={(e) => setParticipantId(e.target.value)}>
                <option value="" />
                {(participants.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.id} — {p.name}</option>)}
              </select>
            )}
          </Field>
        ) : null}
        {kind === 'administrator' || kind === 'adapter' ? (
          <Field label={t('certificates.name')}>{(id) => <input id={id} name="name" required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        ) : null}
        {kind === 'administrator' ? (
          <CheckboxGroup legend={t('certificates.roles')} name="roles" values={ADMIN_ROLES} selected={roles} label={(r) => t(`role.${r}` as MessageKey)} onChange={setRoles} />
        ) : null}
        {kind === 'endpoint' ? (
          <Field label={t('certificates.dnsNames')}>{(id) => <input id={id} name="dnsNames" required value={dnsNames} onChange={(e) => setDnsNames(e.target.value)} />}</Field>
        ) : null}
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy}>{t('certificates.issue')}</button>
        {issued ? (
          <p>
            <a href={URL.createObjectURL(new Blob([issued.certificate], { type: 'application/x-pem-file' }))} download={`${issued.serial}.pem`}>
              {t('certificates.download')} ({issued.serial})
            </a>
          </p>
        ) : null}
      </form>
    </details>
  );
}
