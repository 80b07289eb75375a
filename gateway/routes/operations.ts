/** `/healthz`, `/readyz`, `/openapi.yaml`: answered without a client certificate. */
import express, { type Router } from 'express';
import { GatewayError } from '../errors.ts';

/** What readiness depends on. */
export interface ReadinessProbe {
  /** Resolves when the store answers; rejects otherwise. */
  store(): Promise<void>;
  /** Resolves when the queues' Redis answers, in a process that runs queues. */
  queues?(): Promise<void>;
  /** True once shutdown has begun: load balancers should stop sending. */
  draining(): boolean;
}

/** The operational routes. */
export function operationRoutes(contractText: string, probe: ReadinessProbe): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (probe.draining()) throw new GatewayError('GW_NOT_READY', { detail: 'The gateway is shutting down.' });
    try {
      await probe.store();
    } catch (error) {
      throw error instanceof GatewayError ? error : new GatewayError('GW_STORE_UNAVAILABLE', { cause: error });
    }
    if (probe.queues) {
      try {
        await probe.queues();
      } catch (error) {
        throw new GatewayError('GW_QUEUE_UNAVAILABLE', { cause: error });
      }
    }
    res.json({ status: 'ready', checks: { store: 'ok', ...(probe.queues ? { queues: 'ok' } : {}) } });
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(contractText);
  });
  return router;
}
