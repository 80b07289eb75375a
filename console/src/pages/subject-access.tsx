/**
 * The subject access report (GDPR Art. 15): a consent officer or auditor finds the person by
 * identity (the gateway computes the pseudonym) and sees, and prints for them, every delivery
 * of their data — when, from whom, to whom, which categories, under which legal basis, what
 * was withheld — and their consents.
 */
import { useState } from 'react';
import { api, unwrap, type Identity } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import type { PageProps } from '../access.ts';
import { Badge, ProblemMessage, useAction } from '../ui.tsx';
import { IdentityFields } from './consents.tsx';
import type { components } from '../../../schemas/generated/openapi.ts';

type Report = components['schemas']['SubjectAccessReport'];
const EXEMPTIONS = ['child-protection', 'vital-interest', 'criminal-proceedings', 'legal-obligation'];

export function SubjectAccessPage(_props: PageProps) {
  const { t, date, dateTime } = useI18n();
  const [identity, setIdentity] = useState<Identity>({});
  const [report, setReport] = useState<Report | undefined>();
  const { busy, error, run } = useAction();
  const categories = (list: string[]) => (list.length ? list.map((c) => t(`category.${c}` as MessageKey)).join(', ') : '—');
  const disclosed = report?.disclosures.filter((d) => d.disclosed) ?? [];
  const recipients = [...new Set(disclosed.map((d) => d.recipient))];
  return (
    <section aria-labelledby="sar-title">
      <h1 id="sar-title" className="no-print">{t('sar.title')}</h1>
      <form className="card form no-print" role="search" aria-labelledby="sar-lookup" onSubmit={async (e) => {
        e.preventDefault();
        await run(async () => {
          const { pseudonym } = unwrap(await api.POST('/v1/pseudonyms', { body: { identity } }));
          setReport(unwrap(await api.GET('/v1/audit/subject-access', { params: { query: { subject: pseudonym } } })));
        });
      }}>
        <h2 id="sar-lookup">{t('sar.lookup')}</h2>
        <p className="hint">{t('sar.lookupHint')}</p>
        <IdentityFields identity={identity} onChange={setIdentity} />
        <button type="submit" disabled={busy}>{t('sar.produce')}</button>
      </form>
      <ProblemMessage error={error} />
      {report ? (
        <article className="report" aria-labelledby="sar-report" data-testid="sar-report">
          <h2 id="sar-report">{t('sar.reportTitle')}</h2>
          <p>{t('sar.summary', { at: dateTime(report.generatedAt), deliveries: disclosed.length, recipients: recipients.length, withheld: report.disclosures.length - disclosed.length })}</p>
          <p className="hint">{t('sar.pseudonyms')}: {report.pseudonyms.map((p) => <code key={p}>{p}</code>)}</p>
          <p className="no-print"><button type="button" onClick={() => window.print()}>{t('sar.print')}</button></p>
          {report.disclosures.length === 0 ? <p>{t('sar.none')}</p> : (
            <table data-testid="sar-disclosures">
              <thead>
                <tr><th scope="col">{t('sar.when')}</th><th scope="col">{t('sar.from')}</th><th scope="col">{t('sar.to')}</th><th scope="col">{t('exchanges.type')}</th><th scope="col">{t('sar.disclosed')}</th><th scope="col">{t('sar.categories')}</th><th scope="col">{t('sar.withheld')}</th><th scope="col">{t('sar.basis')}</th></tr>
              </thead>
              <tbody>
                {report.disclosures.map((d) => (
                  <tr key={`${d.exchangeId}-${d.recipient}`}>
                    <td>{dateTime(d.acceptedAt)}</td>
                    <td>{d.sender}</td>
                    <td>{d.recipient}</td>
                    <td>{t(`type.${d.type}` as MessageKey)}</td>
                    <td>{d.disclosed ? <Badge kind="acknowledged" label={d.disclosedAt ? dateTime(d.disclosedAt) : t('app.yes')} /> : <Badge kind={d.status} label={t(`status.${d.status}` as MessageKey)} />}</td>
                    <td>{categories(d.categories)}</td>
                    <td>{categories(d.withheldCategories)}</td>
                    <td>{d.legalBasis.consentId ? t('sar.consent') : EXEMPTIONS.includes(d.legalBasis.basis) ? t(`exemption.${d.legalBasis.basis}` as MessageKey) : d.legalBasis.basis}{d.purgedAt ? <p className="hint">{t('sar.purged', { at: date(d.purgedAt) })}</p> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('sar.consents')}</h3>
          {report.consents.length === 0 ? <p>{t('consents.none')}</p> : (
            <ul>
              {report.consents.map((c) => (
                <li key={c.id}><Badge kind={c.status} label={t(`consentstatus.${c.status}` as MessageKey)} /> {t('sar.consentLine', { by: c.recordedBy, from: date(c.validFrom), until: c.validUntil ? date(c.validUntil) : t('consents.indefinite') })}{c.withdrawnAt ? ` · ${t('consentstatus.withdrawn')} ${dateTime(c.withdrawnAt)}` : ''}</li>
              ))}
            </ul>
          )}
        </article>
      ) : null}
    </section>
  );
}
