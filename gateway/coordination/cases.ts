/**
 * Coordination: referrals with their business state, and the case-thread view. A party to a
 * thread (a participant that sent or received any of its messages) and a coordinator
 * participant see the thread's case metadata — its messages, who holds the case, every
 * referral's state and timeline, the latest update per agency; the measures come only from
 * the copies the viewer itself holds, so a view never shows more than its legal basis
 * delivered to it (docs/coordination.md).
 */
import type { Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { CoordinationStore, ReferralFilter, ReferralRow } from '../store/coordination-store.ts';
import { FHIR_TASK_STATUS, referralTimeline, type ReferralState, type StateStep } from './referral-state.ts';

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
}

export interface Coordination {
  /** Projects what the audit log recorded since the last run (the relay's job); returns entries read. */
  project(): Promise<number>;
  referrals(caller: Caller, filter: Omit<ReferralFilter, 'party' | 'after'> & { after?: string }): Promise<{ items: ReferralView[]; next?: string }>;
  thread(caller: Caller, correlationId: string): Promise<CaseThreadView>;
}

export interface CoordinationDeps {
  store: CoordinationStore;
  registry: Pick<ParticipantRegistry, 'get'>;
  batchSize?: number;
}

const view = (r: ReferralRow): ReferralView => ({
  exchangeId: r.exchangeId, deliveryId: r.deliveryId, correlationId: r.correlationId, requester: r.requester, owner: r.owner,
  requestedAt: r.requestedAt.toISOString(), ...(r.urgency ? { urgency: r.urgency } : {}), ...(r.respondBy ? { respondBy: r.respondBy.toISOString() } : {}),
  state: r.state, fhirStatus: FHIR_TASK_STATUS[r.state], stateAt: r.stateAt.toISOString(),
});
const step = (s: StateStep) => ({ state: s.state, at: s.at.toISOString(), ...(s.exchangeId ? { exchangeId: s.exchangeId } : {}) });

/** The page cursor: the last referral's request time and delivery id. */
const encodeCursor = (r: ReferralRow) => Buffer.from(`${r.requestedAt.toISOString()}|${r.deliveryId}`).toString('base64url');
function decodeCursor(cursor: string) {
  const [at, deliveryId] = Buffer.from(cursor, 'base64url').toString().split('|');
  const requestedAt = new Date(at ?? '');
  if (!deliveryId || Number.isNaN(requestedAt.getTime())) throw new GatewayError('GW_VALIDATION_FAILED', { detail: 'after is not a cursor this listing gave (use the `next` of the previous page).' });
  return { requestedAt, deliveryId };
}

export function createCoordination(deps: CoordinationDeps): Coordination {
  const batch = deps.batchSize ?? 500;
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
      for (let n = await deps.store.project(batch); n > 0; n = await deps.store.project(batch)) read += n;
      return read;
    },

    async referrals(caller, filter) {
      const me = participantOf(caller);
      const { after, ...rest } = filter;
      const rows = await deps.store.referrals({ ...rest, ...(me.coordinates ? {} : { party: me.id }), ...(after ? { after: decodeCursor(after) } : {}) });
      return { items: rows.map(view), ...(rows.length === filter.limit ? { next: encodeCursor(rows[rows.length - 1]!) } : {}) };
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
      };
    },
  };
}
