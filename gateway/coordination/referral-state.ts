/**
 * A referral's business state, derived from the facts of its case thread: its delivery's
 * events and the messages its recipient (the owner) sent in the thread. States follow FHIR
 * Task.status (docs/coordination.md has the table); nothing here reads a payload, only
 * case metadata.
 */

export const REFERRAL_STATES = ['requested', 'received', 'accepted', 'declined', 'in-progress', 'completed', 'cancelled', 'expired'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** The FHIR Task.status each state is. */
export const FHIR_TASK_STATUS: Record<ReferralState, string> = {
  requested: 'requested',
  received: 'received',
  accepted: 'accepted',
  declined: 'rejected',
  'in-progress': 'in-progress',
  completed: 'completed',
  cancelled: 'cancelled',
  expired: 'failed',
};

/** States nothing moves a referral out of (but a re-sent decision, for `declined`). */
export const FINAL_STATES: readonly ReferralState[] = ['completed', 'cancelled', 'expired'];

/** The case metadata of a message (fields the contract marks x-case-metadata). */
export interface CaseFacts {
  decision?: 'accepted' | 'declined';
  declineReason?: string;
  update?: string;
  closure?: { closedOn: string; reason: string };
  urgency?: string;
  respondBy?: string;
  startsOn?: string;
  followUpUntil?: string;
}

/** A message of the thread, as the projection keeps it. */
export interface ThreadMessage {
  exchangeId: string;
  type: string;
  sender: string;
  messageId: string;
  inReplyTo?: string;
  acceptedAt: Date;
  facts: CaseFacts;
}

export interface StateStep {
  state: ReferralState;
  at: Date;
  /** The message that moved it, when a message did. */
  exchangeId?: string;
}

/** What a referral's state is derived from. */
export interface ReferralFacts {
  messageId: string;
  owner: string;
  requestedAt: Date;
  /** Its delivery's status changes, oldest first. */
  deliveryEvents: ReadonlyArray<{ status: string; at: Date }>;
  /** The thread's messages, in acceptance order (the owner's are the ones that count). */
  thread: readonly ThreadMessage[];
}

/**
 * Every state the referral has been in, oldest first:
 * requested → received (delivered) → accepted | declined (the owner's referral-response in
 * reply to it) → in-progress (the owner's case-update in the thread after accepting) →
 * completed (the owner's case-closure); cancelled or expired when its delivery was, before
 * any answer. A response also stands for receipt; a dead-lettered or withheld delivery
 * leaves it `requested` (the delivery's status says why, and its respond-by clock runs).
 */
export function referralTimeline(facts: ReferralFacts): StateStep[] {
  const steps: StateStep[] = [{ state: 'requested', at: facts.requestedAt }];
  const now = () => steps[steps.length - 1]!.state;
  const move = (state: ReferralState, at: Date, exchangeId?: string) => {
    if (now() !== state) steps.push({ state, at, ...(exchangeId ? { exchangeId } : {}) });
  };
  type Fact = { at: Date; order: number; apply: () => void };
  const timeline: Fact[] = [];
  facts.deliveryEvents.forEach((event, n) => timeline.push({
    at: event.at, order: n,
    apply: () => {
      if (now() !== 'requested') return;
      if (event.status === 'delivered' || event.status === 'acknowledged') move('received', event.at);
      else if (event.status === 'cancelled') move('cancelled', event.at);
      else if (event.status === 'expired') move('expired', event.at);
    },
  }));
  let response: ThreadMessage | undefined;
  facts.thread.forEach((message, n) => {
    if (message.sender !== facts.owner) return;
    timeline.push({
      at: message.acceptedAt, order: facts.deliveryEvents.length + n,
      apply: () => {
        const state = now();
        if (message.type === 'referral-response' && message.inReplyTo === facts.messageId && message.facts.decision) {
          // A decision may be given again (declined, then accepted after all) until work has started.
          if (FINAL_STATES.includes(state) || state === 'in-progress') return;
          response = message;
          move(message.facts.decision, message.acceptedAt, message.exchangeId);
        } else if (message.type === 'case-update' && (state === 'accepted' || state === 'in-progress')) {
          // An update about another message of the thread (inReplyTo) is not about this referral.
          if (message.inReplyTo && message.inReplyTo !== facts.messageId && message.inReplyTo !== response?.messageId) return;
          move(message.facts.update === 'case-closure' ? 'completed' : 'in-progress', message.acceptedAt, message.exchangeId);
        }
      },
    });
  });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  for (const fact of timeline) fact.apply();
  return steps;
}

/** The case metadata of a payload: only fields the contract marks x-case-metadata (never personal data). */
export function caseFactsOf(payload: Record<string, unknown> | null | undefined): CaseFacts {
  if (!payload) return {};
  const facts: CaseFacts = {};
  for (const key of ['decision', 'declineReason', 'update', 'urgency', 'respondBy', 'startsOn', 'followUpUntil'] as const) {
    if (typeof payload[key] === 'string') (facts as Record<string, string>)[key] = payload[key];
  }
  const closure = payload.closure as { closedOn?: unknown; reason?: unknown } | undefined;
  if (closure && typeof closure.closedOn === 'string' && typeof closure.reason === 'string') facts.closure = { closedOn: closure.closedOn, reason: closure.reason };
  return facts;
}
