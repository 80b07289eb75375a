/** Cancel, status events, pull-mode inbox, receipts, webhooks and dead letters, on behalf of an authenticated caller. */
import type { JwsVerifier, VerifiedJws } from '../../certs/index.ts';
import { isUuid, type DeadLetter, type Delivery, type Exchange, type InboxItem, type Receipt, type SignedReceipt, type StatusEvent, type Validators, type Webhook } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { checkWebhookUrl, type WebhookAllowList } from './webhook-address.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import type { DeliveryStore, ExchangeStore, StoredExchange, WebhookStore } from '../store/index.ts';
import type { Peer } from '../federation/peers.ts';
import { verifyParticipantSignature, verifyPeerSignature } from '../trust/signatures.ts';

/** What the delivery routes need. */
export interface DeliveryServiceDeps {
  /** Verifies recipients' signed receipts. */
  verifier: JwsVerifier;
  validators: Validators;
  exchanges: ExchangeStore;
  deliveries: DeliveryStore;
  webhooks: WebhookStore;
  /** Makes the relay look at the outbox now (after a dead-letter retry). */
  nudge?: () => void;
  /** How many webhooks a participant may have, and which non-public destinations an operator allowed. */
  webhookPolicy: { perParticipant: number; allow: WebhookAllowList };
}

/** The delivery-side operations. */
export interface DeliveryService {
  cancel(caller: Caller, exchangeId: string, reason?: string): Promise<Exchange>;
  /** Checks the caller may follow the exchange; returns the recipient filter for its events. */
  followable(caller: Caller, exchangeId: string): Promise<{ recipient?: string }>;
  events(exchangeId: string, afterEventId: bigint, recipient?: string): Promise<StatusEvent[]>;
  inbox(caller: Caller, limit: number): Promise<InboxItem[]>;
  acknowledgeInbox(caller: Caller, deliveryId: string, signed: SignedReceipt): Promise<Delivery>;
  receipt(caller: Caller, signed: SignedReceipt): Promise<Delivery>;
  /**
   * A receipt the recipient's system returned with the delivery itself (the worker passes it
   * on): checked as `POST /v1/receipts` checks one — signed by `recipient`'s certificate
   * (chain, validity, revocation, key usage), its payload a `Receipt` document. Throws a
   * {@link GatewayError} saying why not.
   */
  checkReceipt(recipient: string, jws: string): Receipt;
  /** A peer gateway's receipt for a delivery to a participant reached through it (`POST /v1/peer/receipts`). */
  peerReceipt(peer: Peer, signed: SignedReceipt): Promise<Delivery>;
  listWebhooks(caller: Caller): Promise<Webhook[]>;
  registerWebhook(caller: Caller, url: string): Promise<Webhook>;
  deleteWebhook(caller: Caller, id: string): Promise<void>;
  deadLetters(caller: Caller, filter: { recipient?: string; limit: number }): Promise<DeadLetter[]>;
  retryDeadLetters(caller: Caller, filter: { recipient?: string }): Promise<string[]>;
  retryDeadLetter(caller: Caller, deliveryId: string): Promise<Delivery>;
  discardDeadLetter(caller: Caller, deliveryId: string, reason: string): Promise<Delivery>;
}

/** The delivery service. */
export function createDeliveryService(deps: DeliveryServiceDeps): DeliveryService {
  const { deliveries, exchanges, webhooks } = deps;

  const participantOf = (caller: Caller, what: string): string => {
    if (caller.kind !== 'participant') throw new GatewayError('GW_ROLE_REQUIRED', { detail: `${what} belong to participant systems, not administrators.` });
    return caller.participantId;
  };
  const loadExchange = async (id: string): Promise<StoredExchange | undefined> => (isUuid(id) ? exchanges.get(id) : undefined);
  const current = async (deliveryId: string): Promise<Delivery> => (await deliveries.get(deliveryId))!;
  const checkStatement = deps.validators.schema('Receipt');

  /**
   * A receipt counts only when signed by the recipient's own certificate (chain, validity,
   * revocation, key usage checked), and its payload is a `Receipt` document.
   */
  const readReceipt = (caller: Caller, signed: SignedReceipt): Receipt => {
    if (caller.kind !== 'participant') throw new GatewayError('GW_DELIVERY_NOT_FOUND');
    return verifiedReceipt(caller.participantId, signed.receipt);
  };
  const verifiedReceipt = (participant: string, jws: string): Receipt =>
    statementOf(verifyParticipantSignature(deps.verifier, { jws, participant, pointer: '/receipt' }));
  const statementOf = (verified: VerifiedJws): Receipt => {
    let statement: unknown;
    try {
      statement = JSON.parse(verified.payload.toString('utf8'));
    } catch {
      throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '/receipt', message: 'the signed payload is not JSON', keyword: 'receipt' }] });
    }
    const violations = checkStatement(statement);
    if (violations.length > 0) {
      throw new GatewayError('GW_VALIDATION_FAILED', {
        detail: 'The signed receipt is not a Receipt document.',
        violations: violations.map((v) => ({ ...v, pointer: `/receipt#payload${v.pointer}` })),
      });
    }
    return statement as Receipt;
  };

  /**
   * Acknowledges in one statement; on refusal, finds out why to say so. A receipt that
   * overtakes the worker's own record of the hand-over records `delivered` first.
   */
  const acknowledge = async (
    by: { recipient: string; actor: string; via: string },
    options: { deliveryId: string; envelopeDigest: string; receipt: string; pullOnly: boolean },
  ): Promise<Delivery> => {
    if (!isUuid(options.deliveryId)) throw new GatewayError('GW_DELIVERY_NOT_FOUND');
    const result = await deliveries.acknowledge({
      deliveryId: options.deliveryId, recipient: by.recipient, actor: by.actor, via: by.via,
      envelopeDigest: options.envelopeDigest, receipt: options.receipt,
      ...(options.pullOnly ? { channel: 'pull' as const } : {}),
    });
    if (!result.found) throw new GatewayError('GW_DELIVERY_NOT_FOUND');
    if (options.pullOnly && result.channel !== 'pull') {
      throw new GatewayError('GW_DELIVERY_NOT_PULL', { detail: 'Pushed deliveries are acknowledged with POST /v1/receipts.' });
    }
    if (!result.digestMatches) throw digestMismatch();
    if (result.moved || result.delivery.status === 'acknowledged') return result.delivery;
    throw new GatewayError('GW_DELIVERY_NOT_DELIVERED', { detail: `The delivery is ${result.delivery.status}; only a delivered envelope can be acknowledged.` });
  };
  /** Who acknowledges when a participant does: only its own deliveries. */
  const acknowledger = (caller: Caller, via: string) => {
    if (caller.kind !== 'participant') throw new GatewayError('GW_DELIVERY_NOT_FOUND');
    return { recipient: caller.participantId, actor: callerLabel(caller), via };
  };
  const digestMismatch = () =>
    new GatewayError('GW_RECEIPT_DIGEST_MISMATCH', {
      violations: [{ pointer: '/receipt#payload/envelopeDigest', message: 'is not the digest of the envelope delivered', keyword: 'receipt' }],
    });

  return {
    async cancel(caller, exchangeId, reason) {
      const exchange = await loadExchange(exchangeId);
      const allowed = exchange && (caller.kind === 'participant' ? caller.participantId === exchange.sender : caller.roles.includes('operator'));
      if (!exchange || !allowed) throw new GatewayError('GW_EXCHANGE_NOT_FOUND');
      await deliveries.cancel(exchangeId, callerLabel(caller), reason);
      const { seq: _seq, ...view } = (await exchanges.get(exchangeId))!;
      return view;
    },

    async followable(caller, exchangeId) {
      const exchange = await loadExchange(exchangeId);
      if (!exchange) throw new GatewayError('GW_EXCHANGE_NOT_FOUND');
      if (caller.kind === 'administrator' || caller.participantId === exchange.sender) return {};
      if (exchange.deliveries.some((d) => d.recipient === caller.participantId)) return { recipient: caller.participantId };
      throw new GatewayError('GW_EXCHANGE_NOT_FOUND');
    },

    async events(exchangeId, afterEventId, recipient) {
      return (await deliveries.events(exchangeId, afterEventId, recipient)).map(({ sender: _sender, ...event }) => event);
    },

    async inbox(caller, limit) {
      const rows = await deliveries.inbox(participantOf(caller, 'Inboxes'), limit);
      return rows.map((r) => ({ ...r, envelope: r.envelope as InboxItem['envelope'] }));
    },

    async acknowledgeInbox(caller, deliveryId, signed) {
      const statement = readReceipt(caller, signed);
      if (statement.deliveryId !== deliveryId) {
        throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '/receipt#payload/deliveryId', message: 'is not the delivery being acknowledged', keyword: 'receipt' }] });
      }
      return acknowledge(acknowledger(caller, 'inbox'), { deliveryId, envelopeDigest: statement.envelopeDigest, receipt: signed.receipt, pullOnly: true });
    },

    async receipt(caller, signed) {
      const statement = readReceipt(caller, signed);
      return acknowledge(acknowledger(caller, 'receipt'), { deliveryId: statement.deliveryId, envelopeDigest: statement.envelopeDigest, receipt: signed.receipt, pullOnly: false });
    },

    checkReceipt: verifiedReceipt,

    async peerReceipt(peer, signed) {
      const statement = statementOf(verifyPeerSignature(peer, { jws: signed.receipt, pointer: '/receipt' }));
      const delivery = isUuid(statement.deliveryId) ? await deliveries.get(statement.deliveryId) : undefined;
      if (!delivery) throw new GatewayError('GW_DELIVERY_NOT_FOUND');
      if (!peer.participants.has(delivery.recipient)) {
        throw new GatewayError('GW_PEER_NOT_AUTHORISED', { detail: `The delivery's recipient is not reached through peer ${peer.name}.` });
      }
      return acknowledge({ recipient: delivery.recipient, actor: `peer:${peer.name}`, via: 'peer-receipt' }, {
        deliveryId: statement.deliveryId, envelopeDigest: statement.envelopeDigest, receipt: signed.receipt, pullOnly: false,
      });
    },

    async listWebhooks(caller) {
      return (await webhooks.list(participantOf(caller, 'Webhooks'))).map(({ participant: _p, ...w }) => w);
    },

    async registerWebhook(caller, url) {
      const participant = participantOf(caller, 'Webhooks');
      if ((await webhooks.list(participant)).length >= deps.webhookPolicy.perParticipant) {
        throw new GatewayError('GW_WEBHOOK_LIMIT', { detail: `A participant may have ${deps.webhookPolicy.perParticipant} webhooks; remove one first.` });
      }
      await checkWebhookUrl(url, participant, deps.webhookPolicy.allow);
      const { participant: _participant, ...webhook } = await webhooks.register(participant, url, callerLabel(caller));
      return webhook;
    },

    async deleteWebhook(caller, id) {
      if (!isUuid(id) || !(await webhooks.remove(participantOf(caller, 'Webhooks'), id, callerLabel(caller)))) throw new GatewayError('GW_WEBHOOK_NOT_FOUND');
    },

    async deadLetters(caller, filter) {
      requireRole(caller, 'operator');
      return deliveries.deadLetters(filter);
    },

    async retryDeadLetters(caller, filter) {
      requireRole(caller, 'operator');
      const retried = await deliveries.retryDeadLetters(filter, callerLabel(caller));
      if (retried.length > 0) deps.nudge?.();
      return retried;
    },

    async retryDeadLetter(caller, deliveryId) {
      requireRole(caller, 'operator');
      if (!isUuid(deliveryId) || (await deliveries.retryDeadLetters({ deliveryId }, callerLabel(caller))).length === 0) {
        throw new GatewayError('GW_DELIVERY_NOT_FOUND', { detail: 'No dead letter with this id.' });
      }
      deps.nudge?.();
      return current(deliveryId);
    },

    async discardDeadLetter(caller, deliveryId, reason) {
      requireRole(caller, 'operator');
      if (!isUuid(deliveryId) || !(await deliveries.discardDeadLetter(deliveryId, reason, callerLabel(caller)))) {
        throw new GatewayError('GW_DELIVERY_NOT_FOUND', { detail: 'No dead letter with this id.' });
      }
      return current(deliveryId);
    },
  };
}
