import { runAdapterConformance } from '../conformance/kit.ts';
import { moi } from './index.ts';
import { createMoiSimulator } from './simulator.ts';

runAdapterConformance({
  participantId: 'BG-MOI',
  async create({ participantId, tls, logger, intake, checkClient }) {
    const server = { caPem: tls.caPem, ...tls.server };
    const system = await createMoiSimulator({ server, client: { caPem: tls.caPem, ...tls.agency } });
    const adapter = moi.create({
      participantId, checkClient, endpoint: system.endpoint, settings: { intakeHost: '127.0.0.1', intakePort: 0 }, timeoutMs: 5_000, logger, intake,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem }, serverTls: server,
    });
    system.intakeAt(() => adapter.intakeUrl);
    return { adapter, system };
  },
});
