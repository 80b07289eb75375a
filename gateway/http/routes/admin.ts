/** `/v1/admin`: dead letters for operators (administrator certificate with the operator role). */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The admin routes, relative to `/v1`. */
export function adminRoutes(deliveries: DeliveryService, validators: Validators): Router {
  const router = strictRouter();
  const listQuery = queryReader<{ recipient?: string; limit: number }>(validators, 'listDeadLetters');
  const retryAllBody = bodyReader<{ recipient?: string }>(validators, 'RetryAllRequest');
  const discardBody = bodyReader<{ reason: string }>(validators, 'DiscardRequest');

  router.get('/admin/dead-letters', async (req, res) => {
    res.json({ items: await deliveries.deadLetters(callerOf(res), listQuery(req)) });
  });
  router.post('/admin/dead-letters/retry', async (req, res) => {
    req.body ??= {};
    const { recipient } = retryAllBody(req);
    res.json({ retried: (await deliveries.retryDeadLetters(callerOf(res), recipient ? { recipient } : {})).length });
  });
  router.post('/admin/dead-letters/:deliveryId/retry', async (req, res) => {
    res.json(await deliveries.retryDeadLetter(callerOf(res), req.params.deliveryId));
  });
  router.post('/admin/dead-letters/:deliveryId/discard', async (req, res) => {
    res.json(await deliveries.discardDeadLetter(callerOf(res), req.params.deliveryId, discardBody(req).reason));
  });
  return router;
}
