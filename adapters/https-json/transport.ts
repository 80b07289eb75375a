/** `https-json` on the wire: one POST per delivery, the body and its digest, the seal, and ids in headers. */
import { createJsonPoster, type PostAnswer } from '../shared/https.ts';
import type { AdapterContext, OutboundDelivery } from '../types.ts';

/** Headers the recipient reads besides the body. */
export const HEADERS = {
  deliveryId: 'referral-delivery-id',
  envelopeDigest: 'referral-envelope-digest',
  messageId: 'referral-message-id',
  attempt: 'referral-attempt',
  /** The gateway's seal: a detached JWS whose payload is the body. */
  seal: 'referral-seal',
} as const;

export function createHttpsJsonTransport(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>) {
  const poster = createJsonPoster(context.endpoint, context.tls, context.timeoutMs);
  return {
    /** Resolves with the endpoint's 2xx answer. */
    send(delivery: OutboundDelivery, body: string): Promise<PostAnswer> {
      return poster.post({
        body,
        signal: delivery.signal,
        headers: {
          [HEADERS.deliveryId]: delivery.deliveryId,
          [HEADERS.envelopeDigest]: delivery.envelopeDigest,
          [HEADERS.messageId]: delivery.envelope.messageId,
          [HEADERS.attempt]: String(delivery.attempt),
          [HEADERS.seal]: delivery.seal,
        },
      });
    },
    close: () => poster.close(),
  };
}
