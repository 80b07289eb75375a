/** The `https-json` adapter: POSTs the canonical envelope to the participant's endpoint over mutual TLS. */
import type { AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createHttpsJsonTransport } from './transport.ts';

export { HEADERS } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'https-json',
  version: '1.2.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

/**
 * The body is the envelope's canonical JSON, byte for byte, so the recipient can check
 * `referral-envelope-digest` and the seal in `referral-seal`, and name the digest in its
 * receipt. Recipients deduplicate by `messageId` (delivery is at least once). A recipient
 * either answers `200` with its signed receipt in the body (`{ "receipt": "<JWS>" }`, the
 * body of `POST /v1/receipts`; eDelivery's synchronous receipt), or answers any other `2xx`
 * and sends its receipt to `POST /v1/receipts` afterwards. Such systems submit through the
 * public API themselves, so this adapter has no intake.
 */
export const httpsJson: AdapterFactory = {
  meta,
  settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create(context) {
    const transport = createHttpsJsonTransport(context);
    return {
      meta,
      mapping,
      async deliver(delivery) {
        // The mapping's native form is the canonical JSON the core already made.
        const answer = await transport.send(delivery, delivery.canonical);
        const receipt = receiptIn(answer);
        if (receipt === null) context.logger.warn({ deliveryId: delivery.deliveryId, status: answer.status }, 'the answer was not a receipt document; the delivery waits for POST /v1/receipts');
        return receipt ? { receipt } : {};
      },
      close: () => transport.close(),
    };
  },
};

/** The receipt a `200` JSON answer carries; `undefined` for an answer that carries none, `null` for one that tried and is not `{ "receipt": "<string>" }`. */
export function receiptIn(answer: { status: number; contentType: string | undefined; body: string }): string | undefined | null {
  if (answer.status !== 200 || !/^application\/json\b/i.test(answer.contentType ?? '') || answer.body.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(answer.body) as unknown;
    const receipt = (parsed as { receipt?: unknown } | null)?.receipt;
    return typeof receipt === 'string' && receipt.length > 0 ? receipt : null;
  } catch {
    return null;
  }
}
