/**
 * The console's pages and who sees each: the navigation is built from this list and the
 * caller's certificate (`GET /v1/me`). A later page (coordination, statistics) is one more
 * entry with its roles. Hiding a page is for the user's sake: every route checks again.
 */
import type { Me } from './api.ts';
import type { Page } from './access.ts';
import { OverviewPage } from './pages/overview.tsx';
import { ExchangesPage } from './pages/exchanges.tsx';
import { DeadLettersPage } from './pages/dead-letters.tsx';
import { ParticipantsPage } from './pages/participants.tsx';
import { CertificatesPage } from './pages/certificates.tsx';
import { ConsentsPage } from './pages/consents.tsx';
import { WithdrawByCodePage } from './pages/withdraw-by-code.tsx';
import { AuditPage } from './pages/audit.tsx';
import { SubjectAccessPage } from './pages/subject-access.tsx';
import { CasesPage } from './pages/cases.tsx';
import { StatisticsPage } from './pages/statistics.tsx';

export const PAGES: Page[] = [
  { id: 'overview', title: 'nav.overview', component: OverviewPage, roles: ['operator', 'auditor', 'certificate-officer', 'consent-officer'] },
  { id: 'exchanges', title: 'nav.exchanges', component: ExchangesPage, roles: ['operator', 'auditor'] },
  { id: 'dead-letters', title: 'nav.deadLetters', component: DeadLettersPage, roles: ['operator'] },
  { id: 'participants', title: 'nav.participants', component: ParticipantsPage, roles: ['operator', 'auditor'] },
  { id: 'certificates', title: 'nav.certificates', component: CertificatesPage, roles: ['certificate-officer', 'auditor'] },
  { id: 'consents', title: 'nav.consents', component: ConsentsPage, roles: ['consent-officer', 'auditor'] },
  { id: 'subject-access', title: 'nav.subjectAccess', component: SubjectAccessPage, roles: ['consent-officer', 'auditor'] },
  { id: 'audit', title: 'nav.audit', component: AuditPage, roles: ['auditor'] },
  { id: 'cases', title: 'nav.cases', component: CasesPage, roles: [], participantKinds: ['coordinator', 'law-enforcement', 'child-protection', 'social-assistance', 'ngo', 'foreign-partner'] },
  { id: 'statistics', title: 'nav.statistics', component: StatisticsPage, roles: ['statistician'], participantKinds: ['coordinator', 'law-enforcement', 'child-protection', 'social-assistance', 'ngo', 'foreign-partner'] },
  { id: 'withdraw', title: 'nav.withdrawByCode', component: WithdrawByCodePage, roles: ['consent-officer'], participantKinds: ['ngo'] },
];

/** The pages `me` may open, in navigation order. */
export function pagesFor(me: Me): Page[] {
  return PAGES.filter((page) =>
    me.kind === 'administrator'
      ? page.roles.some((role) => me.roles.includes(role))
      : me.participant !== undefined && (page.participantKinds ?? []).includes(me.participant.kind));
}
