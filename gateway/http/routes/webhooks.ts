/** `/v1/webhooks`: a participant's status notifications for what it sent. */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The webhook routes, relative to `/v1`. */
export function webhookRoutes(deliveries: DeliveryService, validators: Validators): Router {
  const router = strictRouter();
  const registration = bodyReader<{ url: string }>(validators, 'WebhookRegistration');
  router.get('/webhooks', async (_req, res) => {
    res.json({ items: await deliveries.listWebhooks(callerOf(res)) });
  });
  router.post('/webhooks', async (req, res) => {
    res.status(201).json(await deliveries.registerWebhook(callerOf(res), registration(req).url));
  });
  router.delete('/webhooks/:webhookId', async (req, res) => {
    await deliveries.deleteWebhook(callerOf(res), req.params.webhookId);
    res.status(204).end();
  });
  return router;
}
