/**
 * The `peer` adapter: delivery to a Referral Gateway in a partner country (TRM). The sealed
 * envelope goes to the peer's `/v1/peer/exchanges`; the peer delivers it to its own
 * recipient and, once that recipient acknowledged, posts a receipt it signs back to this
 * gateway (`/v1/peer/receipts`), which the core verifies against the peer's CA.
 */
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createPeerClient } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'peer',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

export const peer: AdapterFactory = {
  meta,
  settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create(context): Adapter {
    const client = createPeerClient(context);
    return {
      meta,
      mapping,
      async deliver(delivery) {
        const reference = await client.relay(delivery);
        return reference ? { remoteReference: reference } : {};
      },
      close: () => client.close(),
    };
  },
};
