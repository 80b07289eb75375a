/** The `ngo` adapter: signed webhooks to an NGO's case system, and an intake for what the NGO sends. NGOs without a server pull from the inbox instead (`mode: pull`). */
import { readFileSync } from 'node:fs';
import { createIntakeListener, createReceiptSender } from '../shared/intake.ts';
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { mapping, webhookBody } from './mapping.ts';
import { createWebhookClient, startNgoIntake } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'ngo',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

interface NgoSettings {
  /** A file holding the secret shared with the NGO (32 bytes or more). */
  secretFile: string;
  /** The NGO's webhook has a publicly trusted certificate (no gateway client certificate then). */
  publicCertificate: boolean;
  intakeHost: string;
  /** Leave out when the NGO sends through the public API itself. */
  intakePort?: number;
}

export const ngo: AdapterFactory = {
  meta,
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['secretFile'],
    properties: {
      secretFile: { type: 'string', minLength: 1 },
      publicCertificate: { type: 'boolean', default: false },
      intakeHost: { type: 'string', default: '127.0.0.1' },
      intakePort: { type: 'integer', minimum: 0, maximum: 65535 },
    },
  },
  create(context): Adapter {
    const settings = context.settings as unknown as NgoSettings;
    const secret = readFileSync(settings.secretFile);
    if (secret.length < 32) throw new RangeError(`ngo: ${settings.secretFile} must hold at least 32 bytes`);
    const client = createWebhookClient(context, secret, settings.publicCertificate);
    const receipts = createReceiptSender(context);
    const listener = createIntakeListener(context, mapping, { host: settings.intakeHost, port: settings.intakePort, path: '/ngo/messages' }, (options) => startNgoIntake({ ...options, secret }));
    return {
      meta,
      mapping,
      get intakeUrl() {
        return listener.url;
      },
      async deliver(delivery) {
        // The mapping's native form, from the canonical JSON the core already made; with the seal, which the NGO can check.
        await client.send(webhookBody(delivery.canonical, delivery), delivery.signal, delivery.deliveryId);
        // The NGO's 2xx says its system stored the message: the receipt, signed by the adapter's key.
        receipts.send(delivery);
        return {};
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
