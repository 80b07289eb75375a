/**
 * The record of an acceptance, alike for a participant's submission and a peer's relay:
 * what the store keeps in one statement and the answer the sender gets (now and on every
 * identical replay), and the signed acceptance receipt on it.
 */
import type { JwsSigner } from '../../certs/index.ts';
import { canonicalize, type Acceptance, type AcceptanceStatement } from '../../schemas/index.ts';
import type { ExchangeRecord, StoredAcceptance } from '../store/index.ts';
import type { DoubtfulExemption } from './justification.ts';

/** What an acceptance is made of; the answer is derived from it. */
export interface AcceptanceInput {
  /** The accepted envelope (the gateway's id in it). */
  envelope: {
    id: string; sender: string; messageId: string; type: string; schemaVersion: string; correlationId: string;
    inReplyTo?: string; createdAt: string; legalBasis?: object;
  };
  envelopeDigest: string;
  seal: string;
  senderSignature?: string;
  requestDigest: string;
  acceptedAt: Date;
  deliveries: ExchangeRecord['deliveries'];
  actor: string;
  auditDetails: Record<string, unknown>;
  /** The subject's pseudonym when the gateway issued it (no identity to compute one): recorded, and told to the sender. */
  issuedPseudonym?: string;
  /** Exemptions whose justification needs a person's look. */
  doubtfulExemptions?: DoubtfulExemption[];
  /** Base of the tracking URL. */
  publicUrl: string;
}

/** The store's record of an acceptance, with the answer to give. */
export function acceptanceRecord(input: AcceptanceInput): ExchangeRecord {
  const { envelope, acceptedAt } = input;
  const at = acceptedAt.toISOString();
  const response: StoredAcceptance = {
    id: envelope.id,
    messageId: envelope.messageId,
    status: 'accepted',
    acceptedAt: at,
    trackingUrl: `${input.publicUrl}/v1/exchanges/${envelope.id}`,
    envelopeDigest: input.envelopeDigest,
    deliveries: input.deliveries.map((d) => ({ id: d.id, recipient: d.recipient, status: 'accepted', statusChangedAt: at })),
    ...(input.issuedPseudonym ? { subjectPseudonym: input.issuedPseudonym } : {}),
  };
  return {
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
    envelopeDigest: input.envelopeDigest,
    seal: input.seal,
    ...(input.senderSignature !== undefined ? { senderSignature: input.senderSignature } : {}),
    ...(envelope.legalBasis ? { legalBasis: envelope.legalBasis } : {}),
    requestDigest: input.requestDigest,
    deliveries: input.deliveries,
    response,
    actor: input.actor,
    auditDetails: input.doubtfulExemptions?.length
      ? { ...input.auditDetails, flaggedExemptions: input.doubtfulExemptions.map((d) => d.exemption) }
      : input.auditDetails,
    ...(input.issuedPseudonym ? { issuedPseudonym: input.issuedPseudonym } : {}),
    ...(input.doubtfulExemptions?.length ? { doubtfulExemptions: input.doubtfulExemptions } : {}),
  };
}

/**
 * Signs the acceptance receipt. Not stored: the seal key's signatures are deterministic
 * (Ed25519, as RS256 with an earlier RSA seal key), so the receipt made again for a replay,
 * from the stored answer, is the same bytes (while the seal key is).
 */
export function withReceipt(sealer: JwsSigner, acceptance: StoredAcceptance, sender: string): Acceptance {
  const statement: AcceptanceStatement = {
    statement: 'accepted', exchangeId: acceptance.id, messageId: acceptance.messageId, sender,
    recipients: acceptance.deliveries.map((d) => d.recipient), envelopeDigest: acceptance.envelopeDigest, acceptedAt: acceptance.acceptedAt,
  };
  return { ...acceptance, acceptanceReceipt: sealer.sign(canonicalize(statement), { signedAt: new Date(acceptance.acceptedAt) }) };
}
