/** Submitting and tracking exchanges: the checks of DESIGN §3 steps 1–3 and the tracking views of step 7. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { JwsSigner, JwsVerifier } from '../../certs/index.ts';
import {
  canonicalize, isUuid, projectEnvelope, textDigest,
  type Acceptance, type CategoryMap, type DataCategory, type DeliveryStatus, type Envelope, type Exchange, type ExchangePage,
  type NewExchange, type ParticipantKind, type PeerSubmission, type Validators,
} from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { callerLabel, type Caller } from '../access/caller.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { Peer, Peers } from '../federation/peers.ts';
import { verifyParticipantSignature, verifyPeerSignature } from '../trust/signatures.ts';
import type { PseudonymAttributes, Pseudonymizer } from '../consents/pseudonym.ts';
import type { Exemption } from '../config/config.ts';
import type { ConsentStore, ExchangeStore } from '../store/index.ts';
import { acceptanceRecord, withReceipt } from './acceptance.ts';
import {
  basesOf, basisLabel, checkCreatedAt, coverageProblem, releasedByConsent, statedExemptions, withChildProtection,
  type ExemptionPolicy, type RecipientBasis,
} from './legal-basis.ts';
import { doubtfulExemptions } from './justification.ts';
import { checkPastDates } from './plausibility.ts';
import { authorise } from './routing.ts';
import { decodeCursor, encodeCursor, visibleTo, withoutSeq } from './views.ts';

/** What the exchange routes need. */
export interface ExchangeServiceDeps {
  /** Computes subjects' pseudonyms. */
  pseudonyms: Pseudonymizer;
  /** Which participant kinds may invoke each exemption. */
  exemptions: ExemptionPolicy;
  /** Counts exemptions of accepted exchanges. */
  onExemption?: (exemption: Exemption, invokedBy: string) => void;
  /** Counts exemptions flagged for review (their justification says nothing). */
  onDoubtfulExemption?: (exemption: Exemption) => void;
  /** The participant that must receive every case about a child (DESIGN §6), if any. */
  childProtection?: string;
  /** Reads the consents exchanges name as their legal basis. */
  consents: Pick<ConsentStore, 'getMany' | 'sameSubject'>;
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
  /** Whether a recipient's copy and view list the other recipients (default no: each sees itself). */
  showOtherRecipients?: boolean;
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
   * The recipient's own copy, with its own digest and seal, when the envelope says more than
   * this recipient may see: the fields of categories its basis does not cover (removed by the
   * contract's marks), the other recipients (unless `showOtherRecipients`), and every legal
   * basis but its own. A copy the contract would refuse — a required field's category
   * withheld — is refused at submit.
   */
  const recipientCopy = (
    envelope: { type: string; payload: unknown; recipients: string[]; legalBasis?: unknown; recipientLegalBasis?: Record<string, unknown> },
    recipient: string, allowed: Set<DataCategory>, signedAt: Date,
  ) => {
    const { document: projected, withheld } = projectEnvelope(envelope, deps.categoryMaps, allowed);
    const own = envelope.recipientLegalBasis?.[recipient];
    const othersListed = envelope.recipients.length > 1 && !deps.showOtherRecipients;
    const otherBases = Object.keys(envelope.recipientLegalBasis ?? {}).some((r) => r !== recipient) || (own !== undefined && envelope.legalBasis !== undefined);
    if (withheld.length === 0 && !othersListed && !otherBases) return {};
    const { legalBasis: _shared, recipientLegalBasis: _each, ...rest } = projected as typeof envelope;
    const document = {
      ...rest,
      ...(othersListed ? { recipients: [recipient] } : {}),
      ...(own !== undefined ? { recipientLegalBasis: { [recipient]: own } } : envelope.legalBasis !== undefined ? { legalBasis: envelope.legalBasis } : {}),
    };
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
    const bases = basesOf(message, options.recipients, options.recipientLegalBasis);
    const byConsent = bases.filter((b): b is RecipientBasis & { basis: { consentId: string } } => 'consentId' in b.basis);
    const byExemption = bases.filter((b) => !('consentId' in b.basis));
    const kindOf = (recipient: string) => registry.get(recipient)!.kind;
    const released = new Map<string, { consentId?: string; allowed: Set<DataCategory> }>(
      byExemption.map((b) => [b.recipient, { allowed: new Set(deps.exemptionCategories[kindOf(b.recipient)]) }]),
    );
    if (byConsent.length === 0) return released;
    const consents = new Map((await deps.consents.getMany([...new Set(byConsent.map((b) => b.basis.consentId))])).map((c) => [c.id, c]));
    // A consent recorded under a pseudonym linked to the subject's (an issued one, linked by a
    // consent officer once the identity was established) is about the same person.
    const { subject } = options;
    const elsewhere = subject !== undefined && [...consents.values()].some((c) => c.subject !== subject);
    const linked = elsewhere ? new Set(await deps.consents.sameSubject(subject)) : undefined;
    const subjectFor = (consent: { subject: string } | undefined) => (consent && linked?.has(consent.subject) ? consent.subject : subject);
    const problems = byConsent.flatMap((b) => {
      const consent = consents.get(b.basis.consentId);
      const problem = coverageProblem(consent, b.recipient, kindOf(b.recipient), message.purpose, subjectFor(consent), options.at);
      return problem ? [{ ...b, problem }] : [];
    });
    if (problems.length > 0) {
      throw new GatewayError('GW_CONSENT_NOT_COVERING', {
        detail: problems.map((p) => `${p.recipient}: ${p.problem}.`).join(' '),
        violations: problems.map((p) => ({ pointer: `${p.pointer}/consentId`, message: `does not cover ${p.recipient}: ${p.problem}`, keyword: 'consent' })),
      });
    }
    for (const b of byConsent) {
      released.set(b.recipient, { consentId: b.basis.consentId, allowed: releasedByConsent(consents.get(b.basis.consentId)!, b.recipient, kindOf(b.recipient), message.purpose) });
    }
    return released;
  };

  /**
   * The gateway computes the subject's pseudonym from the identity (DESIGN §1): added when
   * absent, and a different one given by the sender is refused (it would link the wrong
   * person). A pseudonym alone, or with an identity too thin to compute one, is kept.
   */
  const subjectWithPseudonym = <S extends { pseudonym?: string; identity?: PseudonymAttributes }>(subject: S): { subject: S; issued?: string } => {
    const computable = subject.identity?.givenName && subject.identity.familyName && subject.identity.dateOfBirth;
    if (!computable) {
      if (subject.pseudonym) return { subject };
      // No documents, no date of birth: the gateway issues a random pseudonym for the case
      // thread (recorded with the acceptance), rather than let the sender invent one.
      const issued = `psn_${randomBytes(32).toString('base64url')}`;
      return { subject: { ...subject, pseudonym: issued }, issued };
    }
    const pseudonym = deps.pseudonyms.pseudonym(subject.identity!, '/payload/subject/identity');
    if (subject.pseudonym && subject.pseudonym !== pseudonym) {
      throw new GatewayError('GW_PSEUDONYM_MISMATCH', {
        detail: 'The pseudonym given is not the one the gateway computes from this identity; leave it out and the gateway adds it.',
        violations: [{ pointer: '/payload/subject/pseudonym', message: 'does not match the identity', keyword: 'pseudonym' }],
      });
    }
    return { subject: { ...subject, pseudonym } };
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
      checkPastDates(message.payload, acceptedAt, deps.clockSkewMs);
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

      const doubtful = doubtfulExemptions([message.legalBasis, ...Object.values(message.recipientLegalBasis ?? {})]);
      const id = randomUUID();
      const { subject, issued } = subjectWithPseudonym(message.payload.subject as { pseudonym?: string; identity?: PseudonymAttributes });
      const basisOf = await coverage({ message, recipients, recipientLegalBasis, subject: subject.pseudonym, at: acceptedAt });
      const envelope = { id, ...message, recipients, ...(recipientLegalBasis ? { recipientLegalBasis } : {}), payload: { ...message.payload, subject } };
      const canonical = canonicalize(envelope);
      const envelopeDigest = textDigest(canonical);
      const deliveries = recipients.map((recipient) => ({
        id: randomUUID(),
        recipient,
        expiresAt: new Date(acceptedAt.getTime() + deps.ttlSeconds(recipient) * 1000),
        ...(basisOf.get(recipient)?.consentId ? { consentId: basisOf.get(recipient)!.consentId! } : {}),
        ...recipientCopy(envelope, recipient, basisOf.get(recipient)!.allowed, acceptedAt),
      }));
      const outcome = await store.accept(acceptanceRecord({
        envelope, envelopeDigest, seal: deps.trust.sealer.signDetached(canonical, { signedAt: acceptedAt }),
        ...(signature !== undefined ? { senderSignature: signature } : {}),
        requestDigest: textDigest(submitted), acceptedAt, deliveries, publicUrl: deps.publicUrl, actor: callerLabel(caller),
        ...(issued ? { issuedPseudonym: issued } : {}),
        doubtfulExemptions: doubtful,
        auditDetails: {
          type: message.type,
          messageId: message.messageId,
          recipients,
          legalBasis: message.legalBasis ? basisLabel(message.legalBasis) : 'none',
          ...(recipientLegalBasis ? { recipientLegalBasis: Object.fromEntries(Object.entries(recipientLegalBasis).map(([r, b]) => [r, basisLabel(b)])) } : {}),
          ...(added.length > 0 ? { addedRecipients: added } : {}),
        },
      }));
      if (outcome.outcome === 'conflict') {
        throw new GatewayError('GW_IDEMPOTENCY_CONFLICT', {
          detail: `messageId ${message.messageId} was already accepted with a different body; use a new messageId for a new message.`,
        });
      }
      if (outcome.outcome === 'accepted') {
        for (const exemption of exemptions) deps.onExemption?.(exemption, senderKind);
        if (added.length > 0) deps.onExemption?.('child-protection', 'gateway');
        for (const { exemption } of doubtful) deps.onDoubtfulExemption?.(exemption);
        deps.onAccepted?.();
      }
      return { acceptance: withReceipt(deps.trust.sealer, outcome.response, message.sender), replayed: outcome.outcome === 'replayed' };
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
      if (registry.isSuspended(submission.recipient)) {
        throw new GatewayError('GW_RECIPIENT_SUSPENDED', { detail: `${submission.recipient} is suspended by an operator here.`, violations: [{ pointer: '/recipient', message: 'is suspended', keyword: 'peer' }] });
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
      // The local exemption policy holds for relayed envelopes too, judged by the sender's kind
      // here and only for the bases the recipients here rely on; and they are counted alike.
      const senderKind = registry.get(envelope.sender)?.kind ?? 'foreign-partner';
      const own = Object.fromEntries(Object.entries(envelope.recipientLegalBasis ?? {}).filter(([r]) => local.includes(r)));
      const exemptions = statedExemptions({
        recipients: local,
        ...(envelope.legalBasis && local.some((r) => !own[r]) ? { legalBasis: envelope.legalBasis } : {}),
        ...(Object.keys(own).length > 0 ? { recipientLegalBasis: own } : {}),
      } as NewExchange, senderKind, deps.exemptions);
      const acceptedAt = now();
      checkPastDates(envelope.payload, acceptedAt, deps.clockSkewMs, '/envelope/payload');
      const doubtful = doubtfulExemptions([...(local.some((r) => !own[r]) ? [envelope.legalBasis] : []), ...Object.values(own)]);
      const deliveries = local.map((recipient) => ({ id: randomUUID(), recipient, expiresAt: new Date(acceptedAt.getTime() + deps.ttlSeconds(recipient) * 1000) }));
      const outcome = await store.accept(acceptanceRecord({
        envelope, envelopeDigest: textDigest(canonical), seal: deps.trust.sealer.signDetached(canonical, { signedAt: acceptedAt }),
        requestDigest: textDigest(canonical), acceptedAt, deliveries, publicUrl: deps.publicUrl, actor: `peer:${peer.name}`,
        doubtfulExemptions: doubtful,
        auditDetails: {
          type: envelope.type, messageId: envelope.messageId, recipients: local, relayedBy: peer.name,
          legalBasis: envelope.legalBasis ? `${basisLabel(envelope.legalBasis)} (asserted by ${peer.name})` : 'per recipient (asserted by peer)',
        },
      }));
      if (outcome.outcome === 'conflict') {
        throw new GatewayError('GW_IDEMPOTENCY_CONFLICT', { detail: `messageId ${envelope.messageId} from ${envelope.sender} was already relayed with a different envelope.` });
      }
      await deps.rememberPeerDelivery(outcome.response.id, submission.recipient, peer.name, submission.deliveryId);
      if (outcome.outcome === 'accepted') {
        for (const exemption of exemptions) deps.onExemption?.(exemption, senderKind);
        for (const { exemption } of doubtful) deps.onDoubtfulExemption?.(exemption);
        deps.onAccepted?.();
      }
      return { acceptance: withReceipt(deps.trust.sealer, outcome.response, envelope.sender), replayed: outcome.outcome === 'replayed' };
    },

    async get(caller, id) {
      const exchange = isUuid(id) ? await store.get(id) : undefined;
      const visible = exchange && visibleTo(caller, exchange, deps.showOtherRecipients);
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
        // The store kept only the viewer's own deliveries; the view is as `get` gives it.
        items: page.map((e) => visibleTo(caller, e, deps.showOtherRecipients) ?? withoutSeq(e)),
        ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.seq) } : {}),
      };
    },
  };
}

