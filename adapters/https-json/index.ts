/** The `https-json` adapter: POSTs the canonical envelope to the participant's endpoint over mutual TLS. */
import type { AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createHttpsJsonTransport } from './transport.ts';

export { HEADERS } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'https-json',
  version: '1.1.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

/**
 * The body is the envelope's canonical JSON, byte for byte, so the recipient can check
 * `referral-envelope-digest` and the seal in `referral-seal`, and name the digest in its
 * receipt. Recipients deduplicate by `messageId` (delivery is at least once), and send
 * their own signed receipts to `POST /v1/receipts`; such systems submit through the
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
        await transport.send(delivery, delivery.canonical);
        return {};
      },
      close: () => transport.close(),
    };
  },
};
