/** Consents: look one up by the person's identity, record one from the signed form, withdraw, print the receipt. */
import { useState } from 'react';
import { api, DATA_CATEGORIES, PURPOSES, unwrap, type Consent, type ConsentRequest, type DataCategory, type Identity, type Purpose } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { holds, type PageProps } from '../access.ts';
import { RECEIPT_LANGUAGES, RECEIPT_TEXTS } from '../receipt-texts.ts';
import { href, navigate } from '../router.ts';
import { Badge, CheckboxGroup, Field, Notice, ProblemMessage, ReasonDialog, useAction, useLoad } from '../ui.tsx';
import { rememberCode } from '../withdrawal-codes.ts';
import { ReceiptPage } from './receipt.tsx';

export function ConsentsPage({ me, route }: PageProps) {
  const [, id, sub] = route.segments;
  if (id === 'new') return <RecordConsent />;
  if (id && sub === 'receipt') return <ReceiptPage consentId={id} language={route.query.get('lang') ?? 'en'} />;
  return <LookUp mayChange={holds(me, 'consent-officer')} />;
}

export function IdentityFields({ identity, onChange }: { identity: Identity; onChange(identity: Identity): void }) {
  const { t } = useI18n();
  return (
    <div className="row">
      <Field label={t('consents.givenName')}>{(id) => <input id={id} name="givenName" required autoComplete="off" value={identity.givenName ?? ''} onChange={(e) => onChange({ ...identity, givenName: e.target.value })} />}</Field>
      <Field label={t('consents.familyName')}>{(id) => <input id={id} name="familyName" required autoComplete="off" value={identity.familyName ?? ''} onChange={(e) => onChange({ ...identity, familyName: e.target.value })} />}</Field>
      <Field label={t('consents.dateOfBirth')}>{(id) => <input id={id} name="dateOfBirth" type="date" required value={identity.dateOfBirth ?? ''} onChange={(e) => onChange({ ...identity, dateOfBirth: e.target.value })} />}</Field>
    </div>
  );
}

function LookUp({ mayChange }: { mayChange: boolean }) {
  const { t, date, dateTime } = useI18n();
  const [identity, setIdentity] = useState<Identity>({});
  const [found, setFound] = useState<{ pseudonym: string; items: Consent[] } | undefined>();
  const { busy, error, run } = useAction();
  const [withdrawing, setWithdrawing] = useState<Consent | undefined>();
  const [notice, setNotice] = useState('');
  const search = async (pseudonym: string) => {
    const items = unwrap(await api.GET('/v1/consents', { params: { query: { subject: pseudonym, limit: 50 } } })).items;
    setFound({ pseudonym, items });
  };
  return (
    <section aria-labelledby="consents-title">
      <h1 id="consents-title">{t('consents.title')}</h1>
      {mayChange ? <p><a className="button" href={href('consents', 'new')}>{t('consents.record')}</a></p> : null}
      <form
        className="card form" role="search" aria-labelledby="lookup-title"
        onSubmit={async (e) => {
          e.preventDefault();
          await run(async () => search(unwrap(await api.POST('/v1/pseudonyms', { body: { identity } })).pseudonym));
        }}
      >
        <h2 id="lookup-title">{t('consents.lookup')}</h2>
        <p className="hint">{t('consents.lookupHint')}</p>
        <IdentityFields identity={identity} onChange={setIdentity} />
        <button type="submit" disabled={busy}>{t('consents.find')}</button>
      </form>
      <Notice>{notice}</Notice>
      <ProblemMessage error={error} />
      {found ? (
        found.items.length === 0 ? <p>{t('consents.none')}</p> : (
          <table data-testid="consents">
            <caption>{t('consents.subject')}: <code>{found.pseudonym}</code></caption>
            <thead>
              <tr><th scope="col">{t('consents.status')}</th><th scope="col">{t('consents.recipients')}</th><th scope="col">{t('consents.purposes')}</th><th scope="col">{t('consents.validity')}</th><th scope="col">{t('app.actions')}</th></tr>
            </thead>
            <tbody>
              {found.items.map((c) => (
                <tr key={c.id} data-testid={`consent-${c.id}`}>
                  <td><Badge kind={c.status} label={t(`consentstatus.${c.status}` as MessageKey)} />{c.withdrawnAt ? <> · {dateTime(c.withdrawnAt)}</> : null}</td>
                  <td>{c.scope.flatMap((s) => [...(s.recipients ?? []), ...(s.participantKinds ?? []).map((k) => t(`kind.${k}` as MessageKey))]).join(', ')}</td>
                  <td>{[...new Set(c.scope.flatMap((s) => s.purposes))].map((p) => t(`purpose.${p}` as MessageKey)).join(', ')}</td>
                  <td>{t('consents.from')} {date(c.validFrom)} {t('consents.until')} {c.validUntil ? date(c.validUntil) : t('consents.indefinite')}</td>
                  <td className="buttons">
                    <a className="button" href={`${href('consents', c.id, 'receipt')}?lang=${c.evidence.language in RECEIPT_TEXTS ? c.evidence.language : 'en'}`}>{t('consents.receipt')}</a>
                    {mayChange && c.status !== 'withdrawn' ? <button type="button" className="danger" onClick={() => setWithdrawing(c)}>{t('consents.withdraw')}</button> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {withdrawing ? (
        <ReasonDialog
          title={t('consents.withdrawTitle')}
          confirm={t('consents.withdraw')}
          onClose={() => setWithdrawing(undefined)}
          onConfirm={async (reason) => {
            unwrap(await api.POST('/v1/consents/{consentId}/withdraw', { params: { path: { consentId: withdrawing.id } }, body: { reason } }));
            setNotice(t('consents.withdrawn'));
            await search(found!.pseudonym);
          }}
        />
      ) : null}
    </section>
  );
}

const today = () => new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD, local

/** SHA-256 of the scanned form, computed in the browser: the file itself never leaves it. */
async function digestOf(file: File): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  return `sha256:${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function RecordConsent() {
  const { t } = useI18n();
  const participants = useLoad(async () => unwrap(await api.GET('/v1/participants')).items.filter((p) => p.accepts.length > 0 && !p.suspended), []);
  const [identity, setIdentity] = useState<Identity>({});
  const [giver, setGiver] = useState<ConsentRequest['givenBy']>({ kind: 'self' });
  const [recipients, setRecipients] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<Purpose[]>(['protection-and-assistance']);
  const [categories, setCategories] = useState<DataCategory[]>(['identity', 'needs-and-services']);
  const [validFrom, setValidFrom] = useState(today);
  const [validUntil, setValidUntil] = useState('');
  const [signedOn, setSignedOn] = useState(today);
  const [language, setLanguage] = useState('bg');
  const [interpreter, setInterpreter] = useState(false);
  const [form, setForm] = useState<File | undefined>();
  const { busy, error, setError, run } = useAction();
  return (
    <section aria-labelledby="record-title">
      <p><a href={href('consents')}>← {t('consents.title')}</a></p>
      <h1 id="record-title">{t('consent.newTitle')}</h1>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (recipients.length === 0) return setError(new Error(t('consent.chooseRecipient')));
          if (!form) return setError(new Error(t('consent.chooseForm')));
          await run(async () => {
            // Today's consent takes effect now; another day's at the start of that day.
            const from = validFrom === today() ? new Date() : new Date(`${validFrom}T00:00`);
            const consent = unwrap(await api.POST('/v1/consents', {
              body: {
                subject: { identity }, givenBy: giver, scope: [{ recipients, purposes, categories }],
                validFrom: from.toISOString(), ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59`).toISOString() } : {}),
                evidence: { formDigest: await digestOf(form), signedOn, language, interpreter },
              },
            }));
            rememberCode(consent.id, consent.withdrawalCode!);
            navigate(`${href('consents', consent.id, 'receipt')}?lang=${language in RECEIPT_TEXTS ? language : 'en'}`);
          });
        }}
      >
        <fieldset>
          <legend>{t('consent.person')}</legend>
          <IdentityFields identity={identity} onChange={setIdentity} />
        </fieldset>
        <div className="row">
          <Field label={t('consent.givenBy')}>
            {(id) => (
              <select id={id} name="givenBy" value={giver.kind} onChange={(e) => setGiver({ kind: e.target.value as ConsentRequest['givenBy']['kind'] })}>
                {(['self', 'guardian', 'legal-representative'] as const).map((k) => <option key={k} value={k}>{t(`giver.${k}` as MessageKey)}</option>)}
              </select>
            )}
          </Field>
          {giver.kind !== 'self' ? (
            <Field label={t('consent.organisation')}>{(id) => <input id={id} name="organisation" value={giver.organisation ?? ''} onChange={(e) => setGiver({ ...giver, organisation: e.target.value })} />}</Field>
          ) : null}
        </div>
        <CheckboxGroup legend={t('consent.to')} name="recipients" values={(participants.data ?? []).map((p) => p.id)} selected={recipients}
          label={(id) => `${participants.data?.find((p) => p.id === id)?.name ?? id} (${id})`} onChange={setRecipients} />
        <CheckboxGroup legend={t('consents.purposes')} name="purposes" values={PURPOSES} selected={purposes} label={(p) => t(`purpose.${p}` as MessageKey)} onChange={setPurposes} />
        <CheckboxGroup legend={t('consents.categories')} name="categories" values={DATA_CATEGORIES} selected={categories} label={(c) => t(`category.${c}` as MessageKey)} onChange={setCategories} />
        <div className="row">
          <Field label={t('consent.validFrom')}>{(id) => <input id={id} name="validFrom" type="date" required value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />}</Field>
          <Field label={t('consent.validUntil')}>{(id) => <input id={id} name="validUntil" type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />}</Field>
        </div>
        <Field label={t('consent.form')} hint={t('consent.formHint')}>
          {(id, hint) => <input id={id} name="form" type="file" required aria-describedby={hint} onChange={(e) => setForm(e.target.files?.[0])} />}
        </Field>
        <div className="row">
          <Field label={t('consent.signedOn')}>{(id) => <input id={id} name="signedOn" type="date" required value={signedOn} onChange={(e) => setSignedOn(e.target.value)} />}</Field>
          <Field label={t('consent.language')}>
            {(id) => (
              <select id={id} name="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
                {RECEIPT_LANGUAGES.map((l) => <option key={l} value={l}>{RECEIPT_TEXTS[l].name}</option>)}
              </select>
            )}
          </Field>
        </div>
        <label className="check"><input type="checkbox" name="interpreter" checked={interpreter} onChange={(e) => setInterpreter(e.target.checked)} /> {t('consent.interpreter')}</label>
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy}>{t('consent.submit')}</button>
      </form>
    </section>
  );
}
