/** Submitting and tracking exchanges: the checks of DESIGN §3 steps 1–3 and the tracking views of step 7. */
import { randomUUID } from 'node:crypto';
import type { JwsSigner, JwsVerifier } from '../../certs/index.ts';
import {
  canonicalize,
  isUuid,
  textDigest,
  type Acceptance,
  type AcceptanceStatement,
  type DeliveryStatus,
  type Exchange,
  type ExchangePage,
  type Envelope,
  type NewExchange,
  type PeerSubmission,
  type CategoryMap,
  type DataCategory,
  projectEnvelope,
  type ParticipantKind,
  type Validators,
} from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { callerLabel, type Caller } from '../access/caller.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { Peer, Peers } from '../federation/peers.ts';
import { verifyParticipantSignature, verifyPeerSignature } from '../trust/signatures.ts';
import type { PseudonymAttributes, Pseudonymizer } from '../consents/pseudonym.ts';
import type { Exemption } from '../config/config.ts';
import type { ConsentRow, ConsentStore, ExchangeStore, StoredAcceptance, StoredExchange } from '../store/index.ts';

/** What the exchange routes need. */
export interface ExchangeServiceDeps {
  /** Computes subjects' pseudonyms. */
  pseudonyms: Pseudonymizer;
  /** Which participant kinds may invoke each exemption. */
  exemptions: Readonly<Record<Exemption, readonly ParticipantKind[]>>;
  /** Counts exemptions of accepted exchanges. */
  onExemption?: (exemption: Exemption, invokedBy: string) => void;
  /** The participant that must receive every case about a child (DESIGN §6), if any. */
  childProtection?: string;
  /** Reads the consents exchanges name as their legal basis. */
  consents: Pick<ConsentStore, 'getMany'>;
  /** The categories an exemption releases to each kind of participant. */
  exemptionCategories: Readonly<Record<ParticipantKind, readonly DataCategory[]>>;
  /** Where each message type's personal data sits (`x-data-category`). */
  categoryMaps: Record<string, CategoryMap>;
  /** Seals accepted envelopes and signs acceptance receipts; verifies senders' signatures. */
  trust: { sealer: JwsSigner; verifier: JwsVerifier };
  store: ExchangeStore;
  registry: ParticipantRegistry;
  validators: Validators;
  /** Base of tracking URLs. */
  publicUrl: string;
  /** Time-to-live of an unsent delivery to `recipient`, in seconds. */
  ttlSeconds(recipient: string): number;
  /** Called after each new acceptance, so an in-process relay can move at once. */
  onAccepted?: () => void;
  /** Gateways abroad, and who is reached through each. */
  peers: Peers;
  /** How far a message's `createdAt` may be ahead of the gateway's clock. */
  clockSkewMs: number;
  /** Records which peer delivery a relayed envelope's local delivery answers (for the receipt back). */
  rememberPeerDelivery(exchangeId: string, recipient: string, peer: string, peerDeliveryId: string): Promise<void>;
  now?: () => Date;
}

/** The answer to a submission. */
export interface SubmitResult {
  acceptance: Acceptance;
  /** True when this repeats the answer to an identical earlier submission. */
  replayed: boolean;
}

/** Query of `GET /v1/exchanges`, already validated against the contract. */
export interface ListQuery {
  correlationId?: string;
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

/** Submit, read and list exchanges on behalf of an authenticated caller. */
export interface ExchangeService {
  /** `signature`: the sender's detached JWS over the canonical JSON of `body`, if it signed. */
  submit(caller: Caller, body: unknown, signature?: string): Promise<SubmitResult>;
  /** An envelope a peer gateway abroad sealed, for recipients here (`POST /v1/peer/exchanges`). */
  relay(peer: Peer, body: unknown): Promise<SubmitResult>;
  get(caller: Caller, id: string): Promise<Exchange>;
  list(caller: Caller, query: ListQuery): Promise<ExchangePage>;
}

/** The exchange service. */
export function createExchangeService(deps: ExchangeServiceDeps): ExchangeService {
  const now = deps.now ?? (() => new Date());
  const { registry, store } = deps;
  const checkEnvelope = deps.validators.schema('Envelope');

  /**
   * The recipient's copy when its basis does not cover every category present: the fields of
   * the others removed (by the contract's marks), with its own digest and seal. A copy the
   * contract would refuse — a required field's category withheld — is refused at submit.
   */
  const minimised = (envelope: { type: string; payload: unknown }, recipient: string, allowed: Set<DataCategory>, signedAt: Date) => {
    const { document, withheld } = projectEnvelope(envelope, deps.categoryMaps, allowed);
    if (withheld.length === 0) return {};
    const violations = checkEnvelope(document);
    if (violations.length > 0) {
      throw new GatewayError('GW_LEGAL_BASIS_INSUFFICIENT', {
        detail: `${recipient}'s legal basis does not cover ${withheld.join(', ')}; a ${envelope.type} cannot go without ${violations.map((v) => v.pointer).join(', ')}.`,
        violations: violations.map((v) => ({ pointer: v.pointer, message: `would be withheld from ${recipient}, but is required`, keyword: 'minimisation' })),
      });
    }
    const canonical = canonicalize(document);
    return { projection: { withheld, envelope: document, envelopeDigest: textDigest(canonical), seal: deps.trust.sealer.signDetached(canonical, { signedAt }) } };
  };

  /**
   * Every recipient must be covered by a legal basis: its own in `recipientLegalBasis`, or
   * `legalBasis`. A consent covers it when it exists, is about this subject, is valid now
   * (not withdrawn, within its dates), and a scope entry names the recipient or its kind
   * with this purpose. Refusals name each uncovered recipient and what is missing. Returns
   * the consent each consent-based recipient relies on.
   */
  const coverage = async (options: {
    message: NewExchange; recipients: string[]; recipientLegalBasis: NewExchange['recipientLegalBasis']; subject: string | undefined; at: Date;
  }): Promise<Map<string, { consentId?: string; allowed: Set<DataCategory> }>> => {
    const { message } = options;
    const bases = options.recipients.map((recipient) => {
      const own = options.recipientLegalBasis?.[recipient];
      return { recipient, basis: own ?? message.legalBasis, pointer: own ? `/recipientLegalBasis/${recipient}` : '/legalBasis' };
    });
    const uncovered = bases.filter((b) => !b.basis);
    if (uncovered.length > 0) {
      throw new GatewayError('GW_LEGAL_BASIS_MISSING', {
        detail: `No legal basis for ${uncovered.map((b) => b.recipient).join(', ')}: give legalBasis, or recipientLegalBasis for each recipient.`,
        violations: uncovered.map((b) => ({ pointer: '/legalBasis', message: `is required: nothing covers ${b.recipient}`, keyword: 'legalBasis' })),
      });
    }
    const byConsent = bases.filter((b): b is typeof b & { basis: { consentId: string } } => 'consentId' in b.basis!);
    const byExemption = bases.filter((b) => !('consentId' in b.basis!));
    const released = new Map<string, { consentId?: string; allowed: Set<DataCategory> }>(
      byExemption.map((b) => [b.recipient, { allowed: new Set(deps.exemptionCategories[registry.get(b.recipient)!.kind]) }]),
    );
    if (byConsent.length === 0) return released;
    const consents = new Map((await deps.consents.getMany([...new Set(byConsent.map((b) => b.basis.consentId))])).map((c) => [c.id, c]));
    const problems = byConsent.flatMap((b) => {
      const problem = coverageProblem(consents.get(b.basis.consentId), b.recipient, registry.get(b.recipient)!.kind, message.purpose, options.subject, options.at);
      return problem ? [{ ...b, problem }] : [];
    });
    if (problems.length > 0) {
      throw new GatewayError('GW_CONSENT_NOT_COVERING', {
        detail: problems.map((p) => `${p.recipient}: ${p.problem}.`).join(' '),
        violations: problems.map((p) => ({ pointer: `${p.pointer}/consentId`, message: `does not cover ${p.recipient}: ${p.problem}`, keyword: 'consent' })),
      });
    }
    // A consent releases the categories its covering scope entries name: the person's explicit choice.
    for (const b of byConsent) {
      const kind = registry.get(b.recipient)!.kind;
      const covering = consents.get(b.basis.consentId)!.scope.filter((s) => (s.recipients?.includes(b.recipient) || s.participantKinds?.includes(kind)) && (s.purposes as string[]).includes(message.purpose));
      released.set(b.recipient, { consentId: b.basis.consentId, allowed: new Set(covering.flatMap((s) => s.categories)) });
    }
    return released;
  };

  /**
   * The gateway computes the subject's pseudonym from the identity (DESIGN §1): added when
   * absent, and a different one given by the sender is refused (it would link the wrong
   * person). A pseudonym alone, or with an identity too thin to compute one, is kept.
   */
  const subjectWithPseudonym = <S extends { pseudonym?: string; identity?: PseudonymAttributes }>(subject: S): S => {
    const computable = subject.identity?.givenName && subject.identity.familyName && subject.identity.dateOfBirth;
    if (!computable) {
      if (subject.pseudonym) return subject;
      deps.pseudonyms.pseudonym(subject.identity ?? {}, '/payload/subject/identity'); // throws, naming what is missing
    }
    const pseudonym = deps.pseudonyms.pseudonym(subject.identity!, '/payload/subject/identity');
    if (subject.pseudonym && subject.pseudonym !== pseudonym) {
      throw new GatewayError('GW_PSEUDONYM_MISMATCH', {
        detail: 'The pseudonym given is not the one the gateway computes from this identity; leave it out and the gateway adds it.',
        violations: [{ pointer: '/payload/subject/pseudonym', message: 'does not match the identity', keyword: 'pseudonym' }],
      });
    }
    return { ...subject, pseudonym };
  };

  /**
   * Signs the acceptance receipt. Not stored: RS256 is deterministic, so the receipt made
   * again for a replay, from the stored answer, is the same bytes (while the seal key is).
   */
  const withReceipt = (acceptance: StoredAcceptance, sender: string): Acceptance => {
    const statement: AcceptanceStatement = {
      statement: 'accepted', exchangeId: acceptance.id, messageId: acceptance.messageId, sender,
      recipients: acceptance.deliveries.map((d) => d.recipient), envelopeDigest: acceptance.envelopeDigest, acceptedAt: acceptance.acceptedAt,
    };
    return { ...acceptance, acceptanceReceipt: deps.trust.sealer.sign(canonicalize(statement), { signedAt: new Date(acceptance.acceptedAt) }) };
  };

  return {
    async submit(caller, body, signature) {
      const violations = deps.validators.newExchange(body);
      if (violations.length > 0) {
        throw new GatewayError('GW_VALIDATION_FAILED', { detail: `${violations.length} violation(s) of the contract.`, violations });
      }
      const message = body as NewExchange;
      const acceptedAt = now();
      authorise(caller, message, registry);
      checkCreatedAt(message.createdAt, acceptedAt, deps.clockSkewMs);
      const senderKind = registry.get(message.sender)!.kind;
      const exemptions = statedExemptions(message, senderKind, deps.exemptions);
      const { recipients, recipientLegalBasis, added } = withChildProtection(message, registry, deps.childProtection, acceptedAt);
      const submitted = canonicalize(message);
      if (signature === undefined && registry.get(message.sender)?.requiresSignedSubmissions) {
        throw new GatewayError('GW_SIGNATURE_REQUIRED', {
          detail: `${message.sender} must sign its submissions: send Referral-Signature, a detached JWS over the RFC 8785 canonical JSON of the body.`,
          violations: [{ pointer: '#/header/Referral-Signature', message: 'is required for this sender', keyword: 'signature' }],
        });
      }
      if (signature !== undefined) {
        verifyParticipantSignature(deps.trust.verifier, { jws: signature, detachedPayload: submitted, participant: message.sender, pointer: '#/header/Referral-Signature' });
      }
      if (message.inReplyTo && !(await store.isKnownMessage(message.sender, message.inReplyTo))) {
        throw new GatewayError('GW_IN_REPLY_TO_UNKNOWN', {
          violations: [{ pointer: '/inReplyTo', message: 'names no message this sender sent or received', keyword: 'reference' }],
        });
      }

      const id = randomUUID();
      const subject = subjectWithPseudonym(message.payload.subject as { pseudonym?: string; identity?: PseudonymAttributes });
      const basisOf = await coverage({ message, recipients, recipientLegalBasis, subject: subject.pseudonym, at: acceptedAt });
      const envelope = { id, ...message, recipients, ...(recipientLegalBasis ? { recipientLegalBasis } : {}), payload: { ...message.payload, subject } };
      const canonical = canonicalize(envelope);
      const envelopeDigest = textDigest(canonical);
      const deliveries = recipients.map((recipient) => ({
        id: randomUUID(),
        recipient,
        expiresAt: new Date(acceptedAt.getTime() + deps.ttlSeconds(recipient) * 1000),
        ...(basisOf.get(recipient)?.consentId ? { consentId: basisOf.get(recipient)!.consentId! } : {}),
        ...minimised(envelope, recipient, basisOf.get(recipient)!.allowed, acceptedAt),
      }));
      const seal = deps.trust.sealer.signDetached(canonical, { signedAt: acceptedAt });
      const acceptance: StoredAcceptance = {
        id,
        messageId: message.messageId,
        status: 'accepted',
        acceptedAt: acceptedAt.toISOString(),
        trackingUrl: `${deps.publicUrl}/v1/exchanges/${id}`,
        envelopeDigest,
        deliveries: deliveries.map((d) => ({ id: d.id, recipient: d.recipient, status: 'accepted', statusChangedAt: acceptedAt.toISOString() })),
      };
      const outcome = await store.accept({
        id,
        sender: message.sender,
        messageId: message.messageId,
        type: message.type,
        schemaVersion: message.schemaVersion,
        correlationId: message.correlationId,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
        createdAt: message.createdAt,
        acceptedAt,
        envelope,
        envelopeDigest,
        seal,
        ...(signature !== undefined ? { senderSignature: signature } : {}),
        ...(message.legalBasis ? { legalBasis: message.legalBasis } : {}),
        requestDigest: textDigest(submitted),
        deliveries,
        response: acceptance,
        actor: callerLabel(caller),
        auditDetails: {
          type: message.type,
          messageId: message.messageId,
          recipients,
          legalBasis: message.legalBasis ? basisLabel(message.legalBasis) : 'none',
          ...(recipientLegalBasis ? { recipientLegalBasis: Object.fromEntries(Object.entries(recipientLegalBasis).map(([r, b]) => [r, basisLabel(b)])) } : {}),
          ...(added.length > 0 ? { addedRecipients: added } : {}),
        },
      });
      if (outcome.outcome === 'conflict') {
        throw new GatewayError('GW_IDEMPOTENCY_CONFLICT', {
          detail: `messageId ${message.messageId} was already accepted with a different body; use a new messageId for a new message.`,
        });
      }
      if (outcome.outcome === 'accepted') {
        for (const exemption of exemptions) deps.onExemption?.(exemption, senderKind);
        if (added.length > 0) deps.onExemption?.('child-protection', 'gateway');
        deps.onAccepted?.();
      }
      return { acceptance: withReceipt(outcome.response, message.sender), replayed: outcome.outcome === 'replayed' };
    },

    async relay(peer, body) {
      const violations = deps.validators.schema('PeerSubmission')(body);
      if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { detail: `${violations.length} violation(s) of the contract.`, violations });
      const submission = body as PeerSubmission;
      const envelope = submission.envelope as Envelope;
      const canonical = canonicalize(envelope);
      verifyPeerSignature(peer, { jws: submission.seal, detachedPayload: canonical, pointer: '/seal' });
      if (!peer.participants.has(envelope.sender)) {
        throw new GatewayError('GW_PEER_NOT_AUTHORISED', { detail: `${envelope.sender} is not reached through peer ${peer.name}.`, violations: [{ pointer: '/envelope/sender', message: `is not reached through ${peer.name}`, keyword: 'peer' }] });
      }
      // The recipients here: those of the envelope that no peer reaches.
      const local = envelope.recipients.filter((r) => registry.get(r) && !deps.peers.reaching(r));
      if (!local.includes(submission.recipient)) {
        throw new GatewayError('GW_UNKNOWN_RECIPIENT', { detail: `${submission.recipient} is not a recipient of this envelope served by this gateway.`, violations: [{ pointer: '/recipient', message: 'is not a local recipient of the envelope', keyword: 'peer' }] });
      }
      const refusing = local.filter((r) => !registry.accepts(r, envelope.type, envelope.schemaVersion));
      if (refusing.length > 0) {
        throw new GatewayError('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE', { detail: `${refusing.join(', ')} does not accept ${envelope.type} ${envelope.schemaVersion}.` });
      }
      // The peer checked the consent or exemption it names, and sealed it: recorded as asserted by the peer.
      const unbased = local.filter((r) => !(envelope.recipientLegalBasis?.[r] ?? envelope.legalBasis));
      if (unbased.length > 0) {
        throw new GatewayError('GW_LEGAL_BASIS_MISSING', { detail: `No legal basis for ${unbased.join(', ')} in the envelope.`, violations: [{ pointer: '/envelope/legalBasis', message: 'is required', keyword: 'legalBasis' }] });
      }
      const acceptedAt = now();
      const deliveries = local.map((recipient) => ({ id: randomUUID(), recipient, expiresAt: new Date(acceptedAt.getTime() + deps.ttlSeconds(recipient) * 1000) }));
      const acceptance: StoredAcceptance = {
        id: envelope.id,
        messageId: envelope.messageId,
        status: 'accepted',
        acceptedAt: acceptedAt.toISOString(),
        trackingUrl: `${deps.publicUrl}/v1/exchanges/${envelope.id}`,
        envelopeDigest: textDigest(canonical),
        deliveries: deliveries.map((d) => ({ id: d.id, recipient: d.recipient, status: 'accepted', statusChangedAt: acceptedAt.toISOString() })),
      };
      const outcome = await store.accept({
        id: envelope.id,
        sender: envelope.sender,
        messageId: envelope.messageId,
        type: envelope.type,
        schemaVersion: envelope.schemaVersion,
        correlationId: envelope.correlationId,
        ...(envelope.inReplyTo ? { inReplyTo: envelope.inReplyTo } : {}),
        createdAt: envelope.createdAt,
        acceptedAt,
        envelope,
        envelopeDigest: acceptance.envelopeDigest,
        seal: deps.trust.sealer.signDetached(canonical, { signedAt: acceptedAt }),
        ...(envelope.legalBasis ? { legalBasis: envelope.legalBasis } : {}),
        requestDigest: textDigest(canonical),
        deliveries,
        response: acceptance,
        actor: `peer:${peer.name}`,
        auditDetails: {
          type: envelope.type, messageId: envelope.messageId, recipients: local, relayedBy: peer.name,
          legalBasis: envelope.legalBasis ? `${basisLabel(envelope.legalBasis)} (asserted by ${peer.name})` : 'per recipient (asserted by peer)',
        },
      });
      if (outcome.outcome === 'conflict') {
        throw new GatewayError('GW_IDEMPOTENCY_CONFLICT', { detail: `messageId ${envelope.messageId} from ${envelope.sender} was already relayed with a different envelope.` });
      }
      await deps.rememberPeerDelivery(outcome.response.id, submission.recipient, peer.name, submission.deliveryId);
      if (outcome.outcome === 'accepted') deps.onAccepted?.();
      return { acceptance: withReceipt(outcome.response, envelope.sender), replayed: outcome.outcome === 'replayed' };
    },

    async get(caller, id) {
      const exchange = isUuid(id) ? await store.get(id) : undefined;
      const visible = exchange && visibleTo(caller, exchange);
      if (!visible) throw new GatewayError('GW_EXCHANGE_NOT_FOUND');
      return visible;
    },

    async list(caller, query) {
      const rows = await store.list({
        viewer: caller.kind === 'participant' ? caller.participantId : null,
        ...(query.correlationId ? { correlationId: query.correlationId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.cursor ? { beforeSeq: decodeCursor(query.cursor) } : {}),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(withoutSeq),
        ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.seq) } : {}),
      };
    },
  };
}

/** The routing rules of the registry; each failure names the offending recipient by pointer. */
function authorise(caller: Caller, message: NewExchange, registry: ParticipantRegistry): void {
  if (caller.kind !== 'participant' || caller.participantId !== message.sender) {
    throw new GatewayError('GW_SENDER_MISMATCH', {
      detail: caller.kind === 'participant'
        ? `The certificate names ${caller.participantId}; sender says ${message.sender}.`
        : 'Administrators cannot send exchanges.',
      violations: [{ pointer: '/sender', message: 'must be the participant named by the client certificate', keyword: 'identity' }],
    });
  }
  if (!registry.maySend(message.sender, message.type)) {
    throw new GatewayError('GW_SENDER_MAY_NOT_SEND_TYPE', { detail: `${message.sender} may not send ${message.type} messages.` });
  }
  const recipients = message.recipients.map((recipient, index) => ({ recipient, pointer: `/recipients/${index}` }));
  const self = recipients.filter((r) => r.recipient === message.sender);
  if (self.length > 0) {
    throw new GatewayError('GW_SENDER_IS_RECIPIENT', { violations: self.map((r) => ({ pointer: r.pointer, message: 'is the sender', keyword: 'routing' })) });
  }
  const unknown = recipients.filter((r) => !registry.get(r.recipient));
  if (unknown.length > 0) {
    throw new GatewayError('GW_UNKNOWN_RECIPIENT', {
      detail: `Not registered: ${unknown.map((r) => r.recipient).join(', ')}.`,
      violations: unknown.map((r) => ({ pointer: r.pointer, message: 'is not a registered participant', keyword: 'routing' })),
    });
  }
  const refusing = recipients.filter((r) => !registry.accepts(r.recipient, message.type, message.schemaVersion));
  if (refusing.length > 0) {
    throw new GatewayError('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE', {
      detail: `${refusing.map((r) => r.recipient).join(', ')} do(es) not accept ${message.type} ${message.schemaVersion}.`,
      violations: refusing.map((r) => ({ pointer: r.pointer, message: `does not accept ${message.type} ${message.schemaVersion}`, keyword: 'routing' })),
    });
  }
}

type Basis = NonNullable<NewExchange['legalBasis']>;

/** Why `consent` does not cover sending to `recipient` (of `kind`) for `purpose` about `subject`, or `undefined` when it does. */
function coverageProblem(consent: ConsentRow | undefined, recipient: string, kind: ParticipantKind, purpose: string, subject: string | undefined, at: Date): string | undefined {
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
const basisLabel = (basis: Basis): string => ('consentId' in basis ? 'consent' : basis.exemption);

/**
 * The exemptions a submission states (for all recipients and for particular ones), each
 * checked against the policy for the sender's kind; `recipientLegalBasis` may only name
 * recipients.
 */
function statedExemptions(message: NewExchange, senderKind: ParticipantKind, policy: ExchangeServiceDeps['exemptions']): Exemption[] {
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

const CHILD_PROTECTION_BASIS = {
  exemption: 'child-protection',
  justification: 'Added by the gateway: the subject is, or may be, a child, and the State Agency for Child Protection takes part in every such case.',
} as const;

/**
 * A subject under 18, or of uncertain age (any `child` information), is a child: the
 * child-protection participant is added as a recipient under `child-protection` when the
 * sender did not address it, and a date of birth making the subject a minor needs the
 * `child` information (the guardian, or that none is appointed yet).
 */
function withChildProtection(message: NewExchange, registry: ParticipantRegistry, childProtection: string | undefined, at: Date): {
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
function checkCreatedAt(createdAt: string, acceptedAt: Date, skewMs: number): void {
  if (new Date(createdAt).getTime() > acceptedAt.getTime() + skewMs) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: `createdAt ${createdAt} is ahead of the gateway's clock (${acceptedAt.toISOString()}) by more than ${skewMs / 1000} s.`,
      violations: [{ pointer: '/createdAt', message: `is ahead of the gateway's clock by more than ${skewMs / 1000} s`, keyword: 'clock' }],
    });
  }
}

/** Whole years from `dateOfBirth` (YYYY-MM-DD) to the date of `on`. */
function ageOn(dateOfBirth: string, on: Date): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = [on.getUTCFullYear(), on.getUTCMonth() + 1, on.getUTCDate()];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * What `caller` may see of an exchange: everything for the sender and administrators, its
 * own delivery for a recipient, nothing (as if it did not exist) for anyone else.
 */
function visibleTo(caller: Caller, exchange: StoredExchange): Exchange | undefined {
  if (caller.kind === 'administrator' || caller.participantId === exchange.sender) return withoutSeq(exchange);
  const own = exchange.deliveries.filter((d) => d.recipient === caller.participantId);
  return own.length > 0 ? { ...withoutSeq(exchange), deliveries: own } : undefined;
}

function withoutSeq({ seq: _seq, ...exchange }: StoredExchange): Exchange {
  return exchange;
}

/** Cursors are opaque to callers: a version tag and the last sequence number seen. */
function encodeCursor(seq: bigint): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const match = /^v1:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new GatewayError('GW_INVALID_CURSOR', { violations: [{ pointer: '#/query/cursor', message: 'is not a cursor this gateway issued', keyword: 'cursor' }] });
  return BigInt(match[1]!);
}
