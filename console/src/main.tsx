/** The console's shell: who is signed in, the navigation their roles allow, the language switch, and the page. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, unwrap, type Me } from './api.ts';
import { I18nProvider, useI18n, type Language } from './i18n.tsx';
import type { MessageKey } from './messages.ts';
import { pagesFor } from './pages.ts';
import { href, useRoute } from './router.ts';
import { Loading, ProblemMessage, useLoad } from './ui.tsx';
import './styles.css';

function Shell() {
  const { t, language, setLanguage, date } = useI18n();
  const route = useRoute();
  const me = useLoad(async () => unwrap(await api.GET('/v1/me')) as Me, []);
  const pages = me.data ? pagesFor(me.data) : [];
  const page = pages.find((p) => p.id === route.segments[0]) ?? (route.segments.length === 0 ? pages[0] : undefined);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skip')}</a>
      <header className="top">
        <div>
          <p className="brand">{t('app.title')}</p>
          <p className="subtitle">{t('app.subtitle')}</p>
        </div>
        {me.data ? (
          <p className="who" data-testid="who">
            {t('app.signedInAs')}{' '}
            <strong>{me.data.kind === 'administrator' ? me.data.name : `${me.data.participant?.name} (${t('app.participantSystem')})`}</strong>
            {me.data.roles.length ? <> · {me.data.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}</> : null}
            <br />
            <span className="hint">{t('app.certificateUntil')} {date(me.data.certificate.validUntil)}</span>
          </p>
        ) : null}
        <label className="language">
          {t('app.language')}{' '}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="bg">Български</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      {pages.length ? (
        <nav aria-label={t('nav.label')} className="nav">
          <ul>
            {pages.map((p) => (
              <li key={p.id}>
                <a href={href(p.id)} aria-current={p === page ? 'page' : undefined}>{t(p.title)}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Loading loading={me.loading && !me.data} />
        <ProblemMessage error={me.error} />
        {me.data && pages.length === 0 ? (
          <section>
            <h1>{t('app.noAccess')}</h1>
            {me.data.kind === 'participant' ? <p>{t('app.noAccessParticipant', { participant: me.data.participant?.id ?? '' })}</p> : null}
          </section>
        ) : null}
        {me.data && pages.length > 0 && !page ? <p>{t('app.notFound')}</p> : null}
        {me.data && page ? <page.component me={me.data} route={route} /> : null}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Shell />
    </I18nProvider>
  </StrictMode>,
);
