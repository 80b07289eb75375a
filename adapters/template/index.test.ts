import { runAdapterConformance } from '../conformance/kit.ts';
import { template } from './index.ts';
import { createSimulator } from './simulator.ts';

runAdapterConformance({
  async create({ participantId, tls, logger, intake, checkClient }) {
    const server = { caPem: tls.caPem, ...tls.server };
    const system = await createSimulator({ server, client: { caPem: tls.caPem, ...tls.agency } });
    const adapter = template.create({
      participantId, checkClient, endpoint: system.endpoint, settings: { intakeHost: '127.0.0.1', intakePort: 0 }, timeoutMs: 5_000, logger, intake,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem }, serverTls: server,
    });
    system.intakeAt(() => adapter.intakeUrl);
    return { adapter, system };
  },
});
