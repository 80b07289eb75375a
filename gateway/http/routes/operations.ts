/** `/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`: answered without a client certificate. */
import { type Router } from 'express';
import type { Registry } from 'prom-client';
import { GatewayError } from '../../errors.ts';
import { strictRouter } from '../router.ts';

/** What readiness depends on. */
export interface ReadinessProbe {
  /** Resolves when the store answers; rejects otherwise. */
  store(): Promise<void>;
  /** Resolves when the queues' Redis answers, in a process that runs queues. Reported, not required. */
  queues?(): Promise<void>;
  /** True once shutdown has begun: load balancers should stop sending. */
  draining(): boolean;
  /** False until the process has started everything it runs (queues, adapters, the demo's partner). */
  started(): boolean;
}

/** The operational routes. */
export function operationRoutes(contractText: string, probe: ReadinessProbe, metrics: Registry): Router {
  const router = strictRouter();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (probe.draining()) throw new GatewayError('GW_NOT_READY', { detail: 'The gateway is shutting down.' });
    if (!probe.started()) throw new GatewayError('GW_NOT_READY', { detail: 'The gateway is still starting.' });
    try {
      await probe.store();
    } catch (error) {
      throw error instanceof GatewayError ? error : new GatewayError('GW_STORE_UNAVAILABLE', { cause: error });
    }
    // Accepting needs only the store (the outbox holds deliveries while Redis is away), so a
    // Redis outage is reported here but does not take the API out of the load balancer.
    const queues = probe.queues ? await probe.queues().then(() => 'ok' as const, () => 'failing' as const) : undefined;
    res.json({ status: 'ready', checks: { store: 'ok', ...(queues ? { queues } : {}) } });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(contractText);
  });
  return router;
}
