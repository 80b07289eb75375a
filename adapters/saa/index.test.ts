import { runAdapterConformance } from '../conformance.ts';
import { saa } from './index.ts';
import { createSaaSimulator } from './simulator.ts';

runAdapterConformance({
  participantId: 'BG-SAA',
  async create({ participantId, tls, logger, intake }) {
    const system = await createSaaSimulator();
    const adapter = saa.create({
      participantId, endpoint: system.endpoint, settings: { ...system.settings, pollIntervalMs: 50 }, timeoutMs: 5_000, logger, intake,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem },
    });
    return { adapter, system };
  },
  skip: [
    {
      test: 'permanent failure',
      reason: 'over SFTP the agency cannot refuse one document at hand-over: every SFTP failure (down, full disk, permissions) may pass, and the agency rejects documents in its own acknowledgement files',
    },
  ],
});
