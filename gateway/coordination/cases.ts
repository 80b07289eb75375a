/**
 * Coordination: referrals with their business state, and the case-thread view. A party to a
 * thread (a participant that sent or received any of its messages) and a coordinator
 * participant see the thread's case metadata — its messages, who holds the case, every
 * referral's state and timeline, the latest update per agency; the measures come only from
 * the copies the viewer itself holds, so a view never shows more than its legal basis
 * delivered to it (docs/coordination.md).
 */
import { callerLabel, type Caller } from '../access/caller.ts';
import { isUuid } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { AlertRow, ClockRow, CoordinationStore, ReferralFilter, ReferralRow, WatchSettings } from '../store/coordination-store.ts';
import { FHIR_TASK_STATUS, referralTimeline, type ReferralState, type StateStep } from './referral-state.ts';
import type { ClockPolicy } from './clocks.ts';
import { alertEmail, alertLink, type Mailer } from './alert-mail.ts';

export interface ReferralView {
  exchangeId: string;
  deliveryId: string;
  correlationId: string;
  requester: string;
  owner: string;
  requestedAt: string;
  urgency?: string;
  respondBy?: string;
  state: ReferralState;
  /** The same state as FHIR Task.status. */
  fhirStatus: string;
  stateAt: string;
}

export interface CaseThreadView {
  correlationId: string;
  /** Who holds the case now (docs/coordination.md#who-holds-the-case); absent before anyone does. */
  holder?: string;
  messages: Array<{ exchangeId: string; type: string; sender: string; recipients: string[]; acceptedAt: string; inReplyTo?: string }>;
  referrals: Array<ReferralView & { timeline: Array<{ state: ReferralState; at: string; exchangeId?: string }> }>;
  /** Per participant, its latest case-update. */
  latestUpdates: Array<{ participant: string; update: string; exchangeId: string; at: string }>;
  /** Each NRM measure's latest status, from the copies the viewer holds. */
  measures: Array<{ code: string; status: string; startedOn?: string; completedOn?: string; reportedBy: string; exchangeId: string; at: string }>;
  /** The thread's deadline clocks: pending, fired or stopped. */
  clocks: ClockView[];
}

export interface ClockView {
  id: string;
  kind: ClockRow['kind'];
  responsible: string;
  dueAt: string;
  state: ClockRow['state'];
  startedBy: string;
  firedAt?: string;
  stoppedAt?: string;
  stoppedBy?: string;
}

export interface AlertView {
  id: string;
  kind: AlertRow['kind'];
  correlationId?: string;
  /** Ids of what it is about (deliveryId, serial, consentId, peer). */
  details: Record<string, string>;
  responsible: string;
  dueAt: string;
  raisedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** The case thread in the console. */
  link: string;
}

export interface Coordination {
  /** Projects what the audit log recorded since the last run (the relay's job); returns entries read. */
  project(): Promise<number>;
  referrals(caller: Caller, filter: Omit<ReferralFilter, 'party' | 'after'> & { after?: string }): Promise<{ items: ReferralView[]; next?: string }>;
  thread(caller: Caller, correlationId: string): Promise<CaseThreadView>;
  /** Fires the clocks due at `now` (the relay's job); returns the alerts raised. */
  fireDue(now?: Date): Promise<number>;
  /** Raises the alerts about the machinery that `now` calls for (the relay's job); returns how many. */
  watch(now?: Date): Promise<number>;
  /** Sends the alert e-mails due (the relay's job); returns how many went. */
  sendEmails(now?: Date): Promise<number>;
  /** Pending clocks already due (a metric). */
  overdue(now?: Date): Promise<number>;
  alerts(caller: Caller, filter: { open: boolean; after?: string; limit: number }): Promise<{ items: AlertView[]; next?: string }>;
  acknowledge(caller: Caller, id: string): Promise<AlertView>;
}

export interface CoordinationDeps {
  store: CoordinationStore;
  registry: Pick<ParticipantRegistry, 'get' | 'list'>;
  policy: ClockPolicy;
  /** What the operational watch looks for. */
  watching: WatchSettings;
  /** Told of every child without a guardian (`childProtectionParticipant`). */
  childProtection: string;
  /** Where alert links point: the console's URL. */
  consoleUrl: string;
  /** Alert e-mail (`alerts.email`): the mailer and each participant's addresses. */
  email?: { mailer: Mailer; to: Readonly<Record<string, readonly string[]>> };
  onEmailFailure?: (error: unknown, alertId: string) => void;
  /** Each alert raised, and each e-mail sent (metrics). */
  onAlert?: (alert: AlertRow) => void;
  onEmailSent?: () => void;
  batchSize?: number;
}

/** An e-mail that could not go is tried again after this long, up to {@link EMAIL_ATTEMPTS} times. */
export const EMAIL_RETRY_MS = 60_000;
export const EMAIL_ATTEMPTS = 10;

const view = (r: ReferralRow): ReferralView => ({
  exchangeId: r.exchangeId, deliveryId: r.deliveryId, correlationId: r.correlationId, requester: r.requester, owner: r.owner,
  requestedAt: r.requestedAt.toISOString(), ...(r.urgency ? { urgency: r.urgency } : {}), ...(r.respondBy ? { respondBy: r.respondBy.toISOString() } : {}),
  state: r.state, fhirStatus: FHIR_TASK_STATUS[r.state], stateAt: r.stateAt.toISOString(),
});
const step = (s: StateStep) => ({ state: s.state, at: s.at.toISOString(), ...(s.exchangeId ? { exchangeId: s.exchangeId } : {}) });

/** A page cursor, opaque to the caller: the last item's time and id. */
const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [text, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const at = new Date(text ?? '');
  if (!id || !isUuid(id) || Number.isNaN(at.getTime())) throw new GatewayError('GW_VALIDATION_FAILED', { detail: 'after is not a cursor this listing gave (use the `next` of the previous page).' });
  return { at, id };
}

const clockView = (c: ClockRow): ClockView => ({
  id: c.id, kind: c.kind, responsible: c.responsible, dueAt: c.dueAt.toISOString(), state: c.state, startedBy: c.startedBy,
  ...(c.firedAt ? { firedAt: c.firedAt.toISOString() } : {}), ...(c.stoppedAt ? { stoppedAt: c.stoppedAt.toISOString() } : {}), ...(c.stoppedBy ? { stoppedBy: c.stoppedBy } : {}),
});

export function createCoordination(deps: CoordinationDeps): Coordination {
  const batch = deps.batchSize ?? 500;
  const clocks = { policy: deps.policy, childProtection: deps.childProtection };
  const coordinators = () => deps.registry.list().filter((p) => p.kind === 'coordinator' && !p.suspended).map((p) => p.id);
  const emails = () => Object.entries(deps.email?.to ?? {}).flatMap(([participant, addresses]) => addresses.map((address) => ({ participant, address })));
  const alertView = (a: AlertRow): AlertView => ({
    id: a.id, kind: a.kind, ...(a.correlationId ? { correlationId: a.correlationId } : {}), details: a.details, responsible: a.responsible,
    dueAt: a.dueAt.toISOString(), raisedAt: a.raisedAt.toISOString(),
    ...(a.acknowledgedAt ? { acknowledgedAt: a.acknowledgedAt.toISOString() } : {}), ...(a.acknowledgedBy ? { acknowledgedBy: a.acknowledgedBy } : {}),
    link: alertLink(a, deps.consoleUrl),
  });
  /** A participant caller, and whether it coordinates (sees every thread). */
  const participantOf = (caller: Caller) => {
    if (caller.kind !== 'participant') {
      throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Case threads and referrals are for participant certificates: the parties of a case and the coordinator.' });
    }
    return { id: caller.participantId, coordinates: deps.registry.get(caller.participantId)?.kind === 'coordinator' };
  };

  return {
    async project() {
      let read = 0;
      for (let n = await deps.store.project(batch, clocks); n > 0; n = await deps.store.project(batch, clocks)) read += n;
      return read;
    },

    async referrals(caller, filter) {
      const me = participantOf(caller);
      const { after, ...rest } = filter;
      const rows = await deps.store.referrals({ ...rest, ...(me.coordinates ? {} : { party: me.id }), ...(after ? { after: (({ at, id }) => ({ requestedAt: at, deliveryId: id }))(decodeCursor(after)) } : {}) });
      const last = rows.at(-1);
      return { items: rows.map(view), ...(last && rows.length === filter.limit ? { next: encodeCursor(last.requestedAt, last.deliveryId) } : {}) };
    },

    async thread(caller, correlationId) {
      const me = participantOf(caller);
      const unknown = () => new GatewayError('GW_CASE_UNKNOWN', { detail: `No case thread ${correlationId} that this certificate may see (its parties and the coordinator may).` });
      if (!me.coordinates && !(await deps.store.isParty(correlationId, me.id))) throw unknown();
      const facts = await deps.store.thread(correlationId);
      if (!facts) throw unknown();

      const referrals = facts.referrals.map((r) => {
        const message = facts.messages.find((m) => m.exchangeId === r.exchangeId)!;
        const timeline = referralTimeline({
          messageId: message.messageId, owner: r.owner, requestedAt: r.requestedAt, deliveryEvents: facts.deliveryEvents.get(r.deliveryId) ?? [], thread: facts.messages,
        });
        return { ...view(r), timeline: timeline.map(step) };
      });

      const latest = new Map<string, CaseThreadView['latestUpdates'][number]>();
      for (const m of facts.messages) {
        if (m.type === 'case-update' && m.facts.update) latest.set(m.sender, { participant: m.sender, update: m.facts.update, exchangeId: m.exchangeId, at: m.acceptedAt.toISOString() });
      }

      // Who holds the case: the owner of the latest referral accepted and not finished, unless a case transfer came after it.
      const lastTransfer = [...facts.messages].reverse().find((m) => m.type === 'case-transfer');
      const lastWorking = referrals.filter((r) => r.state === 'accepted' || r.state === 'in-progress').sort((a, b) => a.stateAt.localeCompare(b.stateAt)).at(-1);
      let holder = lastTransfer ? facts.copies.get(lastTransfer.exchangeId)?.[0]?.recipient : undefined;
      if (lastWorking && (!lastTransfer || lastWorking.stateAt > lastTransfer.acceptedAt.toISOString())) holder = lastWorking.owner;

      const measures = new Map<string, CaseThreadView['measures'][number]>();
      for (const held of await deps.store.heldPayloads(correlationId, me.id)) {
        // A referral carries the measures taken so far; a case transfer and an update, `measures`.
        const list = [held.payload.measuresTaken, held.payload.measures].filter(Array.isArray).flat() as Array<Record<string, unknown>>;
        for (const measure of list) {
          if (typeof measure.code !== 'string' || typeof measure.status !== 'string') continue;
          measures.set(measure.code, {
            code: measure.code, status: measure.status,
            ...(typeof measure.startedOn === 'string' ? { startedOn: measure.startedOn } : {}),
            ...(typeof measure.completedOn === 'string' ? { completedOn: measure.completedOn } : {}),
            reportedBy: held.sender, exchangeId: held.exchangeId, at: held.acceptedAt.toISOString(),
          });
        }
      }

      return {
        correlationId,
        ...(holder ? { holder } : {}),
        messages: facts.messages.map((m) => ({
          exchangeId: m.exchangeId, type: m.type, sender: m.sender, recipients: (facts.copies.get(m.exchangeId) ?? []).map((c) => c.recipient),
          acceptedAt: m.acceptedAt.toISOString(), ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
        })),
        referrals,
        latestUpdates: [...latest.values()],
        measures: [...measures.values()].sort((a, b) => a.code.localeCompare(b.code)),
        clocks: (await deps.store.clocks(correlationId)).map(clockView),
      };
    },

    async fireDue(now = new Date()) {
      let raised = 0;
      for (let alerts = await deps.store.fire(now, batch, coordinators(), emails()); alerts.length > 0; alerts = await deps.store.fire(now, batch, coordinators(), emails())) {
        raised += alerts.length;
        for (const alert of alerts) deps.onAlert?.(alert);
      }
      return raised;
    },

    async watch(now = new Date()) {
      const alerts = await deps.store.watch(now, deps.watching, coordinators(), emails());
      for (const alert of alerts) deps.onAlert?.(alert);
      return alerts.length;
    },

    async sendEmails(now = new Date()) {
      if (!deps.email) return 0;
      let sent = 0;
      for (const due of await deps.store.claimEmails(now, batch, EMAIL_RETRY_MS)) {
        try {
          await deps.email.mailer.send({ to: due.address, ...alertEmail(due.alert, deps.consoleUrl) });
          await deps.store.emailSent(due.alert.id, due.address, new Date());
          deps.onEmailSent?.();
          sent += 1;
        } catch (error) {
          deps.onEmailFailure?.(error, due.alert.id);
          await deps.store.emailFailed(due.alert.id, due.address, (error as Error).message ?? String(error), new Date(now.getTime() + EMAIL_RETRY_MS), EMAIL_ATTEMPTS);
        }
      }
      return sent;
    },

    overdue: (now = new Date()) => deps.store.overdue(now),

    async alerts(caller, filter) {
      const me = participantOf(caller);
      const rows = await deps.store.alerts({ participant: me.id, open: filter.open, limit: filter.limit, ...(filter.after ? { after: (({ at, id }) => ({ raisedAt: at, id }))(decodeCursor(filter.after)) } : {}) });
      const last = rows.at(-1);
      return { items: rows.map(alertView), ...(last && rows.length === filter.limit ? { next: encodeCursor(last.raisedAt, last.id) } : {}) };
    },

    async acknowledge(caller, id) {
      const me = participantOf(caller);
      const done = await deps.store.acknowledge(id, me.id, callerLabel(caller), new Date());
      if (!done) throw new GatewayError('GW_ALERT_NOT_FOUND', { detail: `No alert ${id} for ${me.id}; GET /v1/alerts lists yours.` });
      if (!done.acknowledged) throw new GatewayError('GW_ALERT_ACKNOWLEDGED', { detail: `Alert ${id} was acknowledged on ${done.alert.acknowledgedAt!.toISOString()} by ${done.alert.acknowledgedBy}.` });
      return alertView(done.alert);
    },
  };
}
