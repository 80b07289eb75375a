/** The `saa` adapter: batch file exchange with the Social Assistance Agency over SFTP. */
import { posix } from 'node:path';
import type { Adapter, AdapterFactory, AdapterMeta } from '../types.ts';
import { fileNameFor, mapping } from './mapping.ts';
import { createSftpSession, DIRECTORIES, pollOnce, sftpTarget, writeAtomically } from './transport.ts';

export const meta: AdapterMeta = {
  name: 'saa',
  version: '1.0.0',
  messageTypes: ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'],
  schemaVersions: ['1.0'],
  fields: 'all',
};

interface SaaSettings {
  username: string;
  privateKeyFile: string;
  hostKeySha256: string;
  /** How often the agency's outgoing documents and acknowledgements are read. */
  pollIntervalMs: number;
}

export const saa: AdapterFactory = {
  meta,
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['username', 'privateKeyFile', 'hostKeySha256'],
    properties: {
      username: { type: 'string', minLength: 1 },
      privateKeyFile: { type: 'string', minLength: 1 },
      hostKeySha256: { type: 'string', pattern: '^SHA256:[A-Za-z0-9+/]{43}$' },
      pollIntervalMs: { type: 'integer', minimum: 50, maximum: 3_600_000, default: 5_000 },
    },
  },
  create(context): Adapter {
    const settings = context.settings as unknown as SaaSettings;
    const target = sftpTarget(context.endpoint, settings, context.timeoutMs);
    const sftp = createSftpSession(target, context.logger);
    let prepared: Promise<void> | undefined;
    const prepare = () =>
      (prepared ??= Promise.all(Object.values(DIRECTORIES).map((d) => sftp.ensureDirectory(posix.join(target.root, d)))).then(
        () => undefined,
        (error: unknown) => {
          prepared = undefined;
          throw error;
        },
      ));
    let timer: NodeJS.Timeout | undefined;
    let polling: Promise<unknown> = Promise.resolve();
    let closed = false;

    return {
      meta,
      mapping,
      async deliver(delivery) {
        const document = mapping.toNative(delivery.envelope, delivery);
        await prepare();
        await writeAtomically(sftp, posix.join(target.root, DIRECTORIES.fromGateway), fileNameFor(delivery.envelope.sender, delivery.envelope.messageId), document.body);
        return {};
      },
      async start() {
        const intake = context.intake;
        if (!intake) return;
        const pass = async () => {
          try {
            await prepare();
            const counts = await pollOnce({ sftp, root: target.root, participantId: context.participantId, mapping, intake, logger: context.logger });
            if (counts.taken + counts.refused + counts.receipts > 0 || counts.interrupted) context.logger.info(counts, 'sftp batch read');
          } catch (error) {
            context.logger.warn({ err: { message: (error as Error).message } }, 'sftp batch not read; trying again at the next pass');
          }
          if (!closed) timer = setTimeout(() => (polling = pass()), settings.pollIntervalMs);
        };
        polling = pass();
      },
      async close() {
        closed = true;
        clearTimeout(timer);
        await polling;
        await sftp.close();
      },
    };
  },
};
