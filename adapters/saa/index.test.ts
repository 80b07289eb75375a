import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../schemas/index.ts';
import { runAdapterConformance } from '../conformance/kit.ts';
import type { Intake } from '../types.ts';
import { mapping } from './mapping.ts';
import { createSftpSession, DIRECTORIES, pollOnce, sftpTarget } from './transport.ts';
import { saa } from './index.ts';
import { createSaaSimulator } from './simulator.ts';

runAdapterConformance({
  participantId: 'BG-SAA',
  async create({ participantId, tls, logger, intake, checkClient }) {
    const system = await createSaaSimulator();
    const adapter = saa.create({
      participantId, checkClient, endpoint: system.endpoint, settings: { ...system.settings, pollIntervalMs: 50 }, timeoutMs: 5_000, logger, intake,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem },
    });
    return { adapter, system };
  },
  skip: [
    {
      test: 'permanent failure',
      reason: 'over SFTP the agency cannot refuse one document at hand-over: every SFTP failure (down, full disk, permissions) may pass, and the agency rejects documents in its own acknowledgement files',
    },
    {
      test: 'intake refuses a revoked certificate',
      reason: 'the adapter listens for nothing: it polls the agency\'s SFTP server with the gateway\'s SSH key, pinning the server\'s host key; no client certificate is presented to it',
    },
  ],
});

describe('saa intake when the gateway stops mid-batch', () => {
  it('loses nothing and accepts nothing twice, whether the gateway was unreachable or its answer was lost', async () => {
    const system = await createSaaSimulator();
    const session = createSftpSession(sftpTarget(system.endpoint, system.settings, 5_000), pino({ level: 'silent' }));
    try {
      const documents = Array.from({ length: 10 }, (_, i) => {
        const examples = loadContract().document.components.examples as Record<string, { value: any }>;
        const update = structuredClone(examples.CaseUpdate!.value);
        update.messageId = `asp-batch-${i}-${process.pid}`;
        return mapping.toNative({ ...update, id: 'x' }, { deliveryId: 'none', envelopeDigest: 'none' });
      });
      const names = system.drop(documents);
      const acceptedTimes = new Map<string, number>();
      let submits = 0;
      /** The gateway: accepts each messageId once; `trouble` decides what goes wrong on the n-th submission. */
      const gateway = (trouble: (n: number) => 'unreachable' | 'answer-lost' | undefined): Intake => ({
        async submit(message) {
          const n = ++submits;
          if (trouble(n) === 'unreachable') throw new Error('ECONNREFUSED');
          const first = !acceptedTimes.has(message.messageId);
          if (first) acceptedTimes.set(message.messageId, 1);
          if (trouble(n) === 'answer-lost') throw new Error('ECONNRESET');
          return { ok: true, status: first ? 202 : 200, replayed: !first };
        },
        acknowledge: async () => ({ ok: true, status: 200, replayed: false }),
      });
      const pass = (intake: Intake) => pollOnce({ sftp: session, root: '/exchange', participantId: 'BG-SAA', mapping, intake, logger: pino({ level: 'silent' }) });

      // The fourth document reaches the gateway but its answer is lost: the batch stops there.
      expect(await pass(gateway((n) => (n === 4 ? 'answer-lost' : undefined)))).toMatchObject({ taken: 3, interrupted: true });
      expect(readdirSync(join(system.directory, DIRECTORIES.toGateway)).filter((n) => !n.startsWith('.'))).toEqual(names.slice(3).sort());
      // Then the gateway is unreachable for the next try.
      submits = 0;
      expect(await pass(gateway((n) => (n === 3 ? 'unreachable' : undefined)))).toMatchObject({ taken: 2, interrupted: true });
      // Back to normal: the rest is read, the one already accepted answered as a replay.
      expect(await pass(gateway(() => undefined))).toMatchObject({ taken: 5, interrupted: false });

      expect([...acceptedTimes.keys()].sort()).toEqual(documents.map((_, i) => `asp-batch-${i}-${process.pid}`).sort());
      expect([...acceptedTimes.values()].every((times) => times === 1)).toBe(true);
      expect(readdirSync(join(system.directory, DIRECTORIES.toGateway)).filter((n) => !n.startsWith('.'))).toEqual([]);
      expect(readdirSync(join(system.directory, DIRECTORIES.processed)).sort()).toEqual([...names].sort());
      for (const name of names) {
        expect(JSON.parse(readFileSync(join(system.directory, DIRECTORIES.toGatewayAck, `${name}.ack.json`), 'utf8'))).toMatchObject({ status: 'ACCEPTED' });
      }
    } finally {
      await session.close();
      await system.close();
    }
  });
});
