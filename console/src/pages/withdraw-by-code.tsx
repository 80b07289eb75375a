/** Withdrawing a consent with the code on its receipt: for any consent officer, and for NGO staff with their organisation's certificate. */
import { useState } from 'react';
import { api, unwrap } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { PageProps } from '../access.ts';
import { Field, Notice, ProblemMessage, useAction } from '../ui.tsx';

export function WithdrawByCodePage(_props: PageProps) {
  const { t, dateTime } = useI18n();
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const { busy, error, run } = useAction();
  return (
    <section aria-labelledby="withdraw-title">
      <h1 id="withdraw-title">{t('withdraw.title')}</h1>
      <p>{t('withdraw.intro')}</p>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setDone('');
          await run(async () => {
            const answer = unwrap(await api.POST('/v1/consents/withdraw-by-code', { body: { code, reason } }));
            setDone(t(answer.alreadyWithdrawn ? 'withdraw.already' : 'withdraw.done', { at: dateTime(answer.withdrawnAt) }));
            setCode('');
            setReason('');
          });
        }}
      >
        <Field label={t('withdraw.code')} hint={t('withdraw.codeHint')}>
          {(id, hint) => <input id={id} name="code" required autoComplete="off" spellCheck={false} className="code-input" value={code} aria-describedby={hint} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <Field label={t('app.reason')} hint={t('app.reasonHint')}>
          {(id, hint) => <textarea id={id} name="reason" required minLength={3} maxLength={500} value={reason} aria-describedby={hint} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <ProblemMessage error={error} />
        <button type="submit" className="danger" disabled={busy}>{t('withdraw.submit')}</button>
      </form>
      <Notice>{done}</Notice>
    </section>
  );
}
