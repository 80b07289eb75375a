import { runAdapterConformance } from '../conformance/kit.ts';
import { sacp } from './index.ts';
import { createSacpSimulator } from './simulator.ts';

runAdapterConformance({
  participantId: 'BG-SACP',
  async create({ participantId, tls, logger, intake, checkClient }) {
    const server = { caPem: tls.caPem, ...tls.server };
    const system = await createSacpSimulator({ server, client: { caPem: tls.caPem, ...tls.agency } });
    const adapter = sacp.create({
      participantId, checkClient, endpoint: system.endpoint, settings: { listenHost: '127.0.0.1', listenPort: 0 }, timeoutMs: 5_000, logger, intake,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem }, serverTls: server,
    });
    system.intakeAt(() => adapter.intakeUrl);
    return { adapter, system };
  },
});
