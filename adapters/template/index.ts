/** An adapter for one agency system: factory and `meta`. Register it in `../registry.ts`. */
import { createIntakeListener, createReceiptSender } from '../shared/intake.ts';
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createClient, startIntake } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'template',
  version: '0.1.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

interface Settings {
  intakeHost: string;
  /** Leave out to only deliver. */
  intakePort?: number;
}

export const template: AdapterFactory = {
  meta,
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      intakeHost: { type: 'string', default: '127.0.0.1' },
      intakePort: { type: 'integer', minimum: 0, maximum: 65535 },
    },
  },
  create(context): Adapter {
    const settings = context.settings as unknown as Settings;
    const client = createClient(context);
    const receipts = createReceiptSender(context);
    const listener = createIntakeListener(context, mapping, { host: settings.intakeHost, port: settings.intakePort, path: '/intake' }, startIntake);
    return {
      meta,
      mapping,
      get intakeUrl() {
        return listener.url;
      },
      async deliver(delivery) {
        const reference = await client.send(mapping.toNative(delivery.envelope, delivery).body, delivery.signal);
        // The agency system confirmed it stored the document: that is the receipt, signed by the adapter's key.
        receipts.send(delivery);
        return reference ? { remoteReference: reference } : {};
      },
      start: () => listener.start(),
      async close() {
        await listener.stop();
        await receipts.settled();
        await client.close();
      },
    };
  },
};
