/** The `https-json` adapter: POSTs the canonical envelope to the participant's endpoint over mutual TLS. */
import type { Adapter, AdapterMeta } from '../types.ts';
import { createJsonPoster, type ClientTls } from './transport.ts';

/** Headers the recipient reads besides the body. */
export const HEADERS = {
  deliveryId: 'referral-delivery-id',
  envelopeDigest: 'referral-envelope-digest',
  messageId: 'referral-message-id',
  attempt: 'referral-attempt',
  /** The gateway's seal: a detached JWS whose payload is the body. */
  seal: 'referral-seal',
} as const;

export const meta: AdapterMeta = {
  name: 'https-json',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
};

/** Options for {@link createHttpsJsonAdapter}. */
export interface HttpsJsonOptions {
  endpoint: string;
  tls: ClientTls;
  timeoutMs: number;
}

/**
 * The body is the envelope's canonical JSON, byte for byte, so the recipient can check
 * `referral-envelope-digest` and the seal in `referral-seal`, and name the digest in its receipt. Recipients deduplicate by
 * `messageId`: delivery is at least once.
 */
export function createHttpsJsonAdapter(options: HttpsJsonOptions): Adapter {
  const poster = createJsonPoster(options.endpoint, options.tls, options.timeoutMs);
  return {
    meta,
    async deliver(delivery) {
      await poster.post({
        body: delivery.canonical,
        signal: delivery.signal,
        headers: {
          [HEADERS.deliveryId]: delivery.deliveryId,
          [HEADERS.envelopeDigest]: delivery.envelopeDigest,
          [HEADERS.messageId]: delivery.envelope.messageId,
          [HEADERS.attempt]: String(delivery.attempt),
          [HEADERS.seal]: delivery.seal,
        },
      });
      return {};
    },
    close: () => poster.close(),
  };
}
