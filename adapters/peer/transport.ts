/** To a peer gateway: `POST <peer>/v1/peer/exchanges` over mutual TLS, the gateway's own certificate against the peer's CA. */
import { createJsonPoster } from '../shared/https.ts';
import type { AdapterContext, OutboundDelivery } from '../types.ts';
import { submissionBody } from './mapping.ts';

export function createPeerClient(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>) {
  const poster = createJsonPoster(`${context.endpoint.replace(/\/+$/, '')}/v1/peer/exchanges`, context.tls, context.timeoutMs);
  return {
    /** Resolves with the peer's exchange id once it accepted the envelope (or had already). */
    async relay(delivery: OutboundDelivery): Promise<string | undefined> {
      const answer = await poster.post({ body: submissionBody(delivery.canonical, delivery), signal: delivery.signal, headers: {} });
      try {
        const { id } = JSON.parse(answer.body) as { id?: unknown };
        return typeof id === 'string' ? id : undefined;
      } catch {
        return undefined;
      }
    },
    close: () => poster.close(),
  };
}
