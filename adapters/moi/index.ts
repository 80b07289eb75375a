/** The `moi` adapter: the Ministry of Interior's XML over HTTPS, both ways. */
import { createIntakeListener, createReceiptSender } from '../shared/intake.ts';
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping } from './mapping.ts';
import { createMoiClient, startMoiIntake } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'moi',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

/** Settings: where the intake listens for the ministry's signals (leave out `intakePort` to only deliver). */
interface MoiSettings {
  intakeHost: string;
  intakePort?: number;
}

/**
 * Outbound: one POST of MoI XML per delivery; the ministry's `<Acknowledgement>` becomes the
 * signed receipt (the adapter's certificate signs for the participant). Inbound: signals from
 * police and border police, posted to the intake, become alerts and referrals.
 */
export const moi: AdapterFactory = {
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
    const settings = context.settings as unknown as MoiSettings;
    const client = createMoiClient(context);
    const receipts = createReceiptSender(context);
    const listener = createIntakeListener(context, mapping, { host: settings.intakeHost, port: settings.intakePort, path: '/nrm/signals' }, startMoiIntake);
    return {
      meta,
      mapping,
      get intakeUrl() {
        return listener.url;
      },
      async deliver(delivery) {
        const document = mapping.toNative(delivery.envelope, delivery);
        const registrationNumber = await client.send(document.body, delivery.signal);
        // The ministry registered the document: that is the receipt, signed by the adapter's key.
        receipts.send(delivery);
        return registrationNumber ? { remoteReference: registrationNumber } : {};
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
