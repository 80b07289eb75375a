/**
 * The legal-basis rules of an acceptance (DESIGN §6), as pure functions: which basis covers
 * each recipient, whether a consent covers it and what it releases, which exemptions a
 * sender may state, when a child-protection recipient is added, how old a subject is. No
 * I/O and no clock: the service reads the consents and passes the acceptance time.
 */
import type { DataCategory, NewExchange, ParticipantKind } from '../../schemas/index.ts';
import type { Exemption } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { ConsentRow } from '../store/index.ts';

/** Which participant kinds may invoke each exemption. */
export type ExemptionPolicy = Readonly<Record<Exemption, readonly ParticipantKind[]>>;

export type Basis = NonNullable<NewExchange['legalBasis']>;

/** One recipient's basis: its own in `recipientLegalBasis`, else the message's, and where it was stated. */
export interface RecipientBasis {
  recipient: string;
  basis: Basis;
  pointer: string;
}

/**
 * Every recipient must be covered by a legal basis: its own in `recipientLegalBasis`, or
 * `legalBasis`. Refuses (`GW_LEGAL_BASIS_MISSING`) naming each recipient nothing covers.
 */
export function basesOf(message: Pick<NewExchange, 'legalBasis'>, recipients: readonly string[], recipientLegalBasis: NewExchange['recipientLegalBasis']): RecipientBasis[] {
  const bases = recipients.map((recipient) => {
    const own = recipientLegalBasis?.[recipient];
    return { recipient, basis: own ?? message.legalBasis, pointer: own ? `/recipientLegalBasis/${recipient}` : '/legalBasis' };
  });
  const uncovered = bases.filter((b) => !b.basis);
  if (uncovered.length > 0) {
    throw new GatewayError('GW_LEGAL_BASIS_MISSING', {
      detail: `No legal basis for ${uncovered.map((b) => b.recipient).join(', ')}: give legalBasis, or recipientLegalBasis for each recipient.`,
      violations: uncovered.map((b) => ({ pointer: '/legalBasis', message: `is required: nothing covers ${b.recipient}`, keyword: 'legalBasis' })),
    });
  }
  return bases as RecipientBasis[];
}

/** Why `consent` does not cover sending to `recipient` (of `kind`) for `purpose` about `subject`, or `undefined` when it does. */
export function coverageProblem(consent: ConsentRow | undefined, recipient: string, kind: ParticipantKind, purpose: string, subject: string | undefined, at: Date): string | undefined {
  if (!consent) return 'no such consent';
  if (consent.subject !== subject) return 'the consent is about another subject';
  if (consent.withdrawnAt) return 'the consent was withdrawn';
  if (consent.validFrom > at) return 'the consent is not valid yet';
  if (consent.validUntil && consent.validUntil <= at) return 'the consent has expired';
  const forRecipient = consent.scope.filter((s) => s.recipients?.includes(recipient) || s.participantKinds?.includes(kind));
  if (forRecipient.length === 0) return `the consent names neither ${recipient} nor ${kind} participants`;
  if (!forRecipient.some((s) => (s.purposes as string[]).includes(purpose))) return `the consent does not allow the purpose ${purpose} for ${recipient}`;
  return undefined;
}
export const basisLabel = (basis: Basis): string => ('consentId' in basis ? 'consent' : basis.exemption);

/** The categories a consent releases to `recipient` for `purpose`: those its covering scope entries name (the person's explicit choice). */
export function releasedByConsent(consent: ConsentRow, recipient: string, kind: ParticipantKind, purpose: string): Set<DataCategory> {
  const covering = consent.scope.filter((s) => (s.recipients?.includes(recipient) || s.participantKinds?.includes(kind)) && (s.purposes as string[]).includes(purpose));
  return new Set(covering.flatMap((s) => s.categories));
}

/**
 * The exemptions a submission states (for all recipients and for particular ones), each
 * checked against the policy for the sender's kind; `recipientLegalBasis` may only name
 * recipients.
 */
export function statedExemptions(message: NewExchange, senderKind: ParticipantKind, policy: ExemptionPolicy): Exemption[] {
  const stated: Array<{ basis: Basis; pointer: string }> = [
    ...(message.legalBasis ? [{ basis: message.legalBasis, pointer: '/legalBasis' }] : []),
    ...Object.entries(message.recipientLegalBasis ?? {}).map(([recipient, basis]) => ({ basis, pointer: `/recipientLegalBasis/${recipient}` })),
  ];
  const strangers = Object.keys(message.recipientLegalBasis ?? {}).filter((r) => !message.recipients.includes(r));
  if (strangers.length > 0) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      violations: strangers.map((r) => ({ pointer: `/recipientLegalBasis/${r}`, message: 'is not one of the recipients', keyword: 'legalBasis' })),
    });
  }
  const exemptions = stated.filter((s): s is { basis: Extract<Basis, { exemption: unknown }>; pointer: string } => 'exemption' in s.basis);
  const refused = exemptions.filter((s) => !policy[s.basis.exemption].includes(senderKind));
  if (refused.length > 0) {
    throw new GatewayError('GW_EXEMPTION_NOT_ALLOWED', {
      detail: refused.map((s) => `A ${senderKind} participant may not invoke ${s.basis.exemption}; the policy allows it for ${policy[s.basis.exemption].join(', ') || 'nobody'}.`).join(' '),
      violations: refused.map((s) => ({ pointer: `${s.pointer}/exemption`, message: `may not be invoked by a ${senderKind} participant`, keyword: 'policy' })),
    });
  }
  return [...new Set(exemptions.map((s) => s.basis.exemption))];
}

export const CHILD_PROTECTION_BASIS = {
  exemption: 'child-protection',
  justification: 'Added by the gateway: the subject is, or may be, a child, and the State Agency for Child Protection takes part in every such case.',
} as const;

/**
 * A subject under 18, or of uncertain age (any `child` information), is a child: the
 * child-protection participant is added as a recipient under `child-protection` when the
 * sender did not address it, and a date of birth making the subject a minor needs the
 * `child` information (the guardian, or that none is appointed yet).
 */
export function withChildProtection(message: NewExchange, registry: ParticipantRegistry, childProtection: string | undefined, at: Date): {
  recipients: string[]; recipientLegalBasis: NewExchange['recipientLegalBasis']; added: string[];
} {
  const unchanged = { recipients: message.recipients, recipientLegalBasis: message.recipientLegalBasis, added: [] };
  const subject = (message.payload as { subject: { child?: unknown; identity?: { dateOfBirth?: string } } }).subject;
  const minorByBirth = subject.identity?.dateOfBirth !== undefined && ageOn(subject.identity.dateOfBirth, at) < 18;
  if (minorByBirth && !subject.child) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: 'The date of birth makes the subject a child: give the child information, with the guardian (or guardian.status not-yet-appointed).',
      violations: [{ pointer: '/payload/subject/child', message: 'is required for a subject under 18', keyword: 'child' }],
    });
  }
  if (!(minorByBirth || subject.child) || !childProtection || message.sender === childProtection || message.recipients.includes(childProtection)) return unchanged;
  if (!registry.accepts(childProtection, message.type, message.schemaVersion)) {
    throw new GatewayError('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE', {
      detail: `The subject is a child, so ${childProtection} must receive this ${message.type}, but it does not accept ${message.type} ${message.schemaVersion}.`,
      violations: [{ pointer: '/recipients', message: `must be able to include ${childProtection} for a child`, keyword: 'child' }],
    });
  }
  return {
    recipients: [...message.recipients, childProtection],
    recipientLegalBasis: { ...message.recipientLegalBasis, [childProtection]: { ...CHILD_PROTECTION_BASIS } },
    added: [childProtection],
  };
}

/**
 * A message cannot have been created later than it arrives: a `createdAt` further ahead than
 * the clock-skew allowance is refused. (Ages are judged at acceptance, never at `createdAt`.)
 */
export function checkCreatedAt(createdAt: string, acceptedAt: Date, skewMs: number): void {
  if (new Date(createdAt).getTime() > acceptedAt.getTime() + skewMs) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: `createdAt ${createdAt} is ahead of the gateway's clock (${acceptedAt.toISOString()}) by more than ${skewMs / 1000} s.`,
      violations: [{ pointer: '/createdAt', message: `is ahead of the gateway's clock by more than ${skewMs / 1000} s`, keyword: 'clock' }],
    });
  }
}

/** Whole years from `dateOfBirth` (YYYY-MM-DD) to the date of `on`. */
export function ageOn(dateOfBirth: string, on: Date): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = [on.getUTCFullYear(), on.getUTCMonth() + 1, on.getUTCDate()];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
