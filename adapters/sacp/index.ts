/** The `sacp` adapter: the State Agency for Child Protection's REST API; receipts come back by callback. */
import type { HttpsHost } from '../https.ts';
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
    let host: HttpsHost | undefined;
    return {
      meta,
      mapping,
      get intakeUrl() {
        return host ? `${host.url}/sacp` : undefined;
      },
      async deliver(delivery) {
        const trackingId = await client.send(mapping.toNative(delivery.envelope, delivery).body, delivery.signal);
        return trackingId ? { remoteReference: trackingId } : {};
      },
      async start() {
        if (!context.intake || settings.listenPort === undefined) return;
        if (!context.serverTls) throw new RangeError('sacp: the callback and notification server needs the gateway server certificate');
        host = await startSacpServer({
          participantId: context.participantId, mapping, intake: context.intake, logger: context.logger,
          tls: context.serverTls, host: settings.listenHost, port: settings.listenPort,
        });
      },
      async close() {
        await host?.stop();
        await client.close();
      },
    };
  },
};
