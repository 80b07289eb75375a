/**
 * The person's consent receipt, printed: in Bulgarian and in the person's language (right to
 * left for Arabic), saying what was agreed, with whom, until when, and how to withdraw,
 * with the withdrawal code.
 */
import { useState } from 'react';
import { api, unwrap, type Consent, type Participant } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { RECEIPT_LANGUAGES, RECEIPT_TEXTS, type ReceiptLanguage } from '../receipt-texts.ts';
import { href, navigate } from '../router.ts';
import { Field, Loading, ProblemMessage, useLoad } from '../ui.tsx';
import { codeOf, rememberCode } from '../withdrawal-codes.ts';

export function ReceiptPage({ consentId, language }: { consentId: string; language: string }) {
  const { t } = useI18n();
  const second = (RECEIPT_LANGUAGES as readonly string[]).includes(language) ? (language as ReceiptLanguage) : 'en';
  const loaded = useLoad(async () => {
    const [consent, participants] = await Promise.all([
      api.GET('/v1/consents/{consentId}', { params: { path: { consentId } } }),
      api.GET('/v1/participants'),
    ]);
    return { consent: unwrap(consent), participants: unwrap(participants).items };
  }, [consentId]);
  const [code, setCode] = useState(() => codeOf(consentId));
  const [error, setError] = useState<unknown>();
  return (
    <section aria-labelledby="receipt-page-title">
      <div className="no-print">
        <p><a href={href('consents')}>← {t('consents.title')}</a></p>
        <h1 id="receipt-page-title">{t('receipt.title')}</h1>
        <div className="row">
          <Field label={t('receipt.personLanguage')}>
            {(id) => (
              <select id={id} name="language" value={second} onChange={(e) => navigate(`${href('consents', consentId, 'receipt')}?lang=${e.target.value}`)}>
                {RECEIPT_LANGUAGES.map((l) => <option key={l} value={l}>{RECEIPT_TEXTS[l].name}</option>)}
              </select>
            )}
          </Field>
        </div>
        {!code && loaded.data?.consent.status !== 'withdrawn' ? (
          <p>
            {t('receipt.codeMissing')}{' '}
            <button type="button" onClick={async () => {
              try {
                const issued = unwrap(await api.POST('/v1/consents/{consentId}/withdrawal-code', { params: { path: { consentId } } }));
                rememberCode(consentId, issued.withdrawalCode);
                setCode(issued.withdrawalCode);
              } catch (failure) {
                setError(failure);
              }
            }}>{t('consents.newCode')}</button>
          </p>
        ) : null}
        <p className="buttons"><button type="button" onClick={() => window.print()}>{t('receipt.print')}</button></p>
        <ProblemMessage error={error ?? loaded.error} />
        <Loading loading={loaded.loading} />
      </div>
      {loaded.data ? (
        <div className="receipt-sheet">
          <Receipt language="bg" consent={loaded.data.consent} participants={loaded.data.participants} code={code} />
          {second !== 'bg' ? <Receipt language={second} consent={loaded.data.consent} participants={loaded.data.participants} code={code} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function Receipt({ language, consent, participants, code }: { language: ReceiptLanguage; consent: Consent; participants: Participant[]; code: string | undefined }) {
  const text = RECEIPT_TEXTS[language];
  const date = new Intl.DateTimeFormat(text.locale, { dateStyle: 'long', timeZone: 'Europe/Sofia' });
  const nameOf = (id: string) => participants.find((p) => p.id === id)?.name ?? id;
  const recipients = [...new Set(consent.scope.flatMap((s) => s.recipients ?? []))];
  const kinds = [...new Set(consent.scope.flatMap((s) => s.participantKinds ?? []))];
  const purposes = [...new Set(consent.scope.flatMap((s) => s.purposes))];
  const categories = [...new Set(consent.scope.flatMap((s) => s.categories))];
  return (
    <article className="receipt" lang={language} dir={text.dir} data-testid={`receipt-${language}`} aria-label={text.title}>
      <h2>{text.title}</h2>
      <p>{text.intro}</p>
      <h3>{text.agreedTo}</h3>
      <dl>
        {recipients.length ? <><dt>{text.recipients}</dt><dd>{recipients.map(nameOf).join('; ')}</dd></> : null}
        {kinds.length ? <><dt>{text.recipientKinds}</dt><dd>{kinds.map((k) => text.kind[k]).join('; ')}</dd></> : null}
        <dt>{text.purposes}</dt><dd>{purposes.map((p) => text.purpose[p]).join('; ')}</dd>
        <dt>{text.categories}</dt><dd>{categories.map((c) => text.category[c]).join('; ')}</dd>
        <dt>{text.validFrom}</dt><dd>{date.format(new Date(consent.validFrom))}</dd>
        <dt>{text.validUntil}</dt><dd>{consent.validUntil ? date.format(new Date(consent.validUntil)) : text.noEnd}</dd>
        <dt>{text.givenBy}</dt><dd>{text.givers[consent.givenBy.kind]}{consent.givenBy.organisation ? ` (${consent.givenBy.organisation})` : ''}</dd>
      </dl>
      <h3>{text.withdrawTitle}</h3>
      <p>{text.withdrawText}</p>
      <p className="code-box">{text.code}: <strong dir="ltr" data-testid="withdrawal-code">{code ?? '—'}</strong></p>
      <p className="small">{text.reference}: <span dir="ltr">{consent.id}</span> · {text.recordedAt}: {date.format(new Date(consent.recordedAt))}</p>
      <p className="small">{text.signed}</p>
    </article>
  );
}
