import { runAdapterConformance } from '../conformance/kit.ts';
import { httpsJson } from './index.ts';
import { createRecipientSimulator } from './simulator.ts';

runAdapterConformance({
  async create({ participantId, tls, logger, checkClient }) {
    const system = await createRecipientSimulator({ participantId, server: { caPem: tls.caPem, ...tls.server } });
    const adapter = httpsJson.create({
      participantId, checkClient, endpoint: system.endpoint, settings: {}, timeoutMs: 5_000, logger,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem },
    });
    return { adapter, system };
  },
  skip: [
    { test: 'intake', reason: 'https-json agency systems submit through the public API themselves; the adapter only delivers' },
    { test: 'intake deduplicates', reason: 'no intake: the gateway deduplicates submissions by (sender, messageId)' },
    { test: 'intake refuses unreadable input', reason: 'no intake: the gateway answers malformed submissions with problem+json' },
    { test: 'intake while the gateway is down', reason: 'no intake: the agency system calls the gateway itself and retries on its own' },
    { test: 'intake refuses a revoked certificate', reason: 'no intake: the agency system calls the API, whose certificate check is tested in gateway/trust' },
    { test: 'acknowledges', reason: 'https-json agency systems sign and send their own receipts to POST /v1/receipts' },
  ],
});
