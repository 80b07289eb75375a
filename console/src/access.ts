/** What a page is and who may open it: the console's role model, apart from the list of pages (pages.ts). */
import type { ComponentType } from 'react';
import type { AdminRole, Me, ParticipantKind } from './api.ts';
import type { MessageKey } from './messages.ts';
import type { Route } from './router.ts';

export interface PageProps {
  me: Me;
  route: Route;
}

export interface Page {
  /** The first segment of its routes: `#/<id>/…`. */
  id: string;
  title: MessageKey;
  component: ComponentType<PageProps>;
  /** Administrators holding any of these roles see the page. */
  roles: AdminRole[];
  /** Participant systems of these kinds see it too (a shelter withdrawing with a code). */
  participantKinds?: ParticipantKind[];
}

/** Whether `me` holds one of `roles` (for actions within a page: an auditor reads, an operator changes). */
export function holds(me: Me, ...roles: AdminRole[]): boolean {
  return me.kind === 'administrator' && roles.some((role) => me.roles.includes(role));
}
