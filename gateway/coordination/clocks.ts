/**
 * Deadline clocks of a case thread: which messages start them, which later messages stop
 * them. Pure: the projector stores what these say, the clock job fires what is due. A clock
 * keeps a kind, a due time and ids — never the dates or facts of the person it came from
 * beyond that due time.
 */

export const CLOCK_KINDS = ['response-due', 'reflection-period-ending', 'guardian-missing', 'follow-up-due', 'safe-return-overdue'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** Alerts about the machinery rather than a case's deadline. */
export const OPERATIONAL_ALERT_KINDS = ['dead-letter', 'delivery-retrying', 'certificate-expiring', 'consent-expiring', 'peer-unreachable'] as const;
export type AlertKind = ClockKind | (typeof OPERATIONAL_ALERT_KINDS)[number];

/** `coordination` in the configuration. */
export interface ClockPolicy {
  /** A referral without `respondBy` is due this many hours after acceptance, by urgency. */
  respondWithinHours: { emergency: number; urgent: number; routine: number };
  /** The reminder comes this many days before the reflection period ends. */
  reflectionReminderDays: number;
  /** A child without an appointed guardian this many days after the first message saying so. */
  guardianWithinDays: number;
  /** Follow-up after leaving a shelter, months after the exit. */
  followUpMonths: readonly number[];
  /** A safe return still not reported this many days after its planned date. */
  safeReturnGraceDays: number;
}

export const DEFAULT_CLOCK_POLICY: ClockPolicy = {
  respondWithinHours: { emergency: 4, urgent: 24, routine: 120 },
  reflectionReminderDays: 7,
  guardianWithinDays: 3,
  followUpMonths: [3, 6, 12],
  safeReturnGraceDays: 1,
};

/** A clock a message starts. `key` makes starting it twice (the same period restated) a no-op. */
export interface ClockSpec {
  key: string;
  kind: ClockKind;
  dueAt: Date;
  /** Who must act; the coordinator is told as well. */
  responsible: string;
}

/** A newly accepted message, with its payload as its sender sent it. */
export interface StartingMessage {
  exchangeId: string;
  correlationId: string;
  type: string;
  sender: string;
  acceptedAt: Date;
  deliveries: ReadonlyArray<{ id: string; recipient: string }>;
  payload: Record<string, any> | null;
}

const DAY = 86_400_000;
const dateOf = (value: unknown): Date | undefined => {
  if (typeof value !== 'string') return undefined;
  const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at.getTime()) ? undefined : at;
};
const addMonths = (at: Date, months: number) => {
  const next = new Date(at);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
};
const isClosure = (m: { type: string; payload: Record<string, any> | null }) => m.type === 'case-update' && m.payload?.update === 'case-closure';

/** The clocks `message` starts. */
export function clocksStartedBy(message: StartingMessage, policy: ClockPolicy, childProtection: string): ClockSpec[] {
  const p = message.payload;
  if (!p) return [];
  const clocks: ClockSpec[] = [];
  if (message.type === 'referral') {
    const hours = policy.respondWithinHours[(p.urgency as keyof ClockPolicy['respondWithinHours']) ?? 'routine'] ?? policy.respondWithinHours.routine;
    const due = dateOf(p.respondBy) ?? new Date(message.acceptedAt.getTime() + hours * 3_600_000);
    for (const d of message.deliveries) clocks.push({ key: `response-due:${d.id}`, kind: 'response-due', dueAt: due, responsible: d.recipient });
  }
  const ends = dateOf(p.reflectionPeriod?.endsOn);
  if (ends && ends > message.acceptedAt) {
    const reminder = new Date(Math.max(message.acceptedAt.getTime(), ends.getTime() - policy.reflectionReminderDays * DAY));
    clocks.push({ key: `reflection:${message.correlationId}:${p.reflectionPeriod.endsOn}`, kind: 'reflection-period-ending', dueAt: reminder, responsible: message.sender });
  }
  if (p.subject?.child?.guardian?.status === 'not-yet-appointed') {
    clocks.push({ key: `guardian:${message.correlationId}`, kind: 'guardian-missing', dueAt: new Date(message.acceptedAt.getTime() + policy.guardianWithinDays * DAY), responsible: childProtection });
  }
  if (message.type === 'case-update' && p.update === 'shelter-exit') {
    for (const months of policy.followUpMonths) {
      clocks.push({ key: `follow-up:${message.exchangeId}:${months}`, kind: 'follow-up-due', dueAt: addMonths(message.acceptedAt, months), responsible: message.sender });
    }
  }
  const planned = dateOf(p.safeReturn?.plannedOn);
  if (planned && !['completed', 'cancelled'].includes(p.safeReturn?.status)) {
    clocks.push({ key: `safe-return:${message.correlationId}:${p.safeReturn.plannedOn}`, kind: 'safe-return-overdue', dueAt: new Date(planned.getTime() + (policy.safeReturnGraceDays + 1) * DAY), responsible: message.sender });
  }
  return clocks;
}

/** A pending clock as the projector checks it. */
export interface PendingClock {
  key: string;
  kind: ClockKind;
  dueAt: Date;
}

/** How long before a follow-up's due date a follow-up update already satisfies it. */
export const FOLLOW_UP_WINDOW_DAYS = 45;

/**
 * Whether a later message of the thread stops a pending clock (a response-due clock stops
 * with its referral's state instead). A case closure stops them all.
 */
export function stops(clock: PendingClock, message: { type: string; acceptedAt: Date; payload: Record<string, any> | null }): boolean {
  if (isClosure(message)) return true;
  const p = message.payload;
  if (!p) return false;
  switch (clock.kind) {
    case 'reflection-period-ending':
      // A period stated again with another end (extended, shortened) replaces it: its own clock starts.
      return typeof p.reflectionPeriod?.endsOn === 'string' && !clock.key.endsWith(`:${p.reflectionPeriod.endsOn}`);
    case 'guardian-missing':
      return ['appointed', 'parent'].includes(p.subject?.child?.guardian?.status);
    case 'follow-up-due':
      return message.type === 'case-update' && p.update === 'follow-up' && message.acceptedAt.getTime() >= clock.dueAt.getTime() - FOLLOW_UP_WINDOW_DAYS * DAY;
    case 'safe-return-overdue':
      return (message.type === 'case-update' && p.update === 'safe-return-update') || ['completed', 'cancelled'].includes(p.safeReturn?.status);
    default:
      return false;
  }
}

/** A response-due clock stops once its referral is answered, cancelled or expired. */
export const RESPONSE_PENDING_STATES = ['requested', 'received'] as const;
