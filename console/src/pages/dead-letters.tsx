/** Dead letters: deliveries the gateway stopped trying; an operator retries them or discards them with a reason. */
import { useState } from 'react';
import { api, unwrap, type DeadLetter } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { PageProps } from '../access.ts';
import { href } from '../router.ts';
import { Loading, Notice, ProblemMessage, ReasonDialog, useLoad } from '../ui.tsx';

export function DeadLettersPage(_props: PageProps) {
  const { t, dateTime } = useI18n();
  const list = useLoad(async () => unwrap(await api.GET('/v1/admin/dead-letters', { params: { query: { limit: 200 } } })).items, []);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>();
  const [discarding, setDiscarding] = useState<DeadLetter | undefined>();
  const act = async (action: () => Promise<string>) => {
    setError(undefined);
    try {
      setNotice(await action());
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const recipients = [...new Set((list.data ?? []).map((d) => d.recipient))].sort();
  return (
    <section aria-labelledby="dead-title">
      <h1 id="dead-title">{t('dead.title')}</h1>
      <p>{t('dead.intro')}</p>
      <Notice>{notice}</Notice>
      <ProblemMessage error={error ?? list.error} />
      <Loading loading={list.loading && !list.data} />
      {list.data && list.data.length === 0 ? <p>{t('dead.none')}</p> : null}
      {recipients.length > 1 || (list.data?.length ?? 0) > 1 ? (
        <p className="buttons">
          {recipients.map((recipient) => (
            <button key={recipient} type="button" onClick={() => act(async () => {
              const { retried } = unwrap(await api.POST('/v1/admin/dead-letters/retry', { body: { recipient } }));
              return t('dead.retriedMany', { n: retried });
            })}>{t('dead.retryAll', { recipient })}</button>
          ))}
        </p>
      ) : null}
      {list.data?.length ? (
        <table data-testid="dead-letters">
          <thead>
            <tr><th scope="col">{t('dead.failedAt')}</th><th scope="col">{t('dead.recipient')}</th><th scope="col">{t('exchanges.sender')}</th><th scope="col">{t('dead.attempts')}</th><th scope="col">{t('dead.error')}</th><th scope="col">{t('app.actions')}</th></tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.deliveryId} data-testid={`dead-${d.deliveryId}`}>
                <td><a href={href('exchanges', d.exchangeId)}>{dateTime(d.failedAt)}</a></td>
                <td>{d.recipient}</td>
                <td>{d.sender}</td>
                <td>{d.attempts}</td>
                <td><code>{d.lastError.code}</code> {d.lastError.message}</td>
                <td className="buttons">
                  <button type="button" onClick={() => act(async () => {
                    unwrap(await api.POST('/v1/admin/dead-letters/{deliveryId}/retry', { params: { path: { deliveryId: d.deliveryId } } }));
                    return t('dead.retried');
                  })}>{t('dead.retry')}</button>
                  <button type="button" className="danger" onClick={() => setDiscarding(d)}>{t('dead.discard')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {discarding ? (
        <ReasonDialog
          title={t('dead.discardTitle', { recipient: discarding.recipient })}
          confirm={t('dead.discard')}
          onClose={() => setDiscarding(undefined)}
          onConfirm={async (reason) => {
            unwrap(await api.POST('/v1/admin/dead-letters/{deliveryId}/discard', { params: { path: { deliveryId: discarding.deliveryId } }, body: { reason } }));
            setNotice(t('dead.discarded'));
            list.reload();
          }}
        />
      ) : null}
    </section>
  );
}
