/** The `sacp` adapter: the State Agency for Child Protection's REST API; receipts come back by callback. */
import { createIntakeListener } from '../shared/intake.ts';
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createSacpClient, startSacpServer } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'sacp',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

interface SacpSettings {
  listenHost: string;
  /** Where the agency's notifications and callbacks arrive; leave out to only deliver (no receipts then). */
  listenPort?: number;
}

export const sacp: AdapterFactory = {
  meta,
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { listenHost: { type: 'string', default: '127.0.0.1' }, listenPort: { type: 'integer', minimum: 0, maximum: 65535 } },
  },
  create(context): Adapter {
    const settings = context.settings as unknown as SacpSettings;
    const client = createSacpClient(context);
    const listener = createIntakeListener(context, mapping, { host: settings.listenHost, port: settings.listenPort, path: '/sacp' }, startSacpServer);
    return {
      meta,
      mapping,
      get intakeUrl() {
        return listener.url;
      },
      async deliver(delivery) {
        const trackingId = await client.send(mapping.toNative(delivery.envelope, delivery).body, delivery.signal);
        return trackingId ? { remoteReference: trackingId } : {};
      },
      start: () => listener.start(),
      async close() {
        await listener.stop();
        await client.close();
      },
    };
  },
};
