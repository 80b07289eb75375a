import { runAdapterConformance } from '../conformance/kit.ts';
import { peer } from './index.ts';
import { createPeerSimulator } from './simulator.ts';

runAdapterConformance({
  participantId: 'HU-NBI',
  async create({ participantId, tls, logger, checkClient }) {
    const system = await createPeerSimulator({ server: { caPem: tls.caPem, ...tls.server } });
    const adapter = peer.create({
      participantId, checkClient, endpoint: system.endpoint, settings: {}, timeoutMs: 5_000, logger,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem },
    });
    return { adapter, system };
  },
  skip: [
    { test: 'intake', reason: 'a peer gateway submits to this gateway\'s /v1/peer/exchanges route in the core; there is no adapter intake' },
    { test: 'intake deduplicates', reason: 'the core deduplicates relayed envelopes by (sender, messageId), tested with two gateways in index.int.test.ts' },
    { test: 'intake refuses unreadable input', reason: 'the core route answers a malformed relay with problem+json, tested in index.int.test.ts' },
    { test: 'intake while the gateway is down', reason: 'no intake: the peer gateway\'s own delivery retries until this gateway answers' },
    { test: 'intake refuses a revoked certificate', reason: 'no intake: the peer calls the core\'s /v1/peer routes, which check its gateway certificate (index.int.test.ts)' },
    { test: 'acknowledges', reason: 'the peer\'s receipt comes back through the core (/v1/peer/receipts), tested with two gateways in index.int.test.ts' },
  ],
});
