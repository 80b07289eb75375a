/** `/v1/inbox` and `/v1/receipts`: how recipients take deliveries and confirm them. */
import { type Router } from 'express';
import type { SignedReceipt, Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { Metrics } from '../../metrics.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader, pause, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The receiving routes, relative to `/v1`. */
export function receivingRoutes(deliveries: DeliveryService, validators: Validators, shutdown: AbortSignal, metrics: Pick<Metrics, 'inboxPollWaiting'>): Router {
  const router = strictRouter();
  const inboxQuery = queryReader<{ limit: number; wait: number }>(validators, 'getInbox');
  const receiptBody = bodyReader<SignedReceipt>(validators, 'SignedReceipt');

  router.get('/inbox', async (req, res) => {
    const caller = callerOf(res);
    const { limit, wait } = inboxQuery(req);
    const deadline = Date.now() + wait * 1000;
    const closed = new AbortController();
    req.on('close', () => closed.abort());
    const stop = AbortSignal.any([closed.signal, shutdown]);
    let items = await deliveries.inbox(caller, limit);
    if (items.length === 0 && Date.now() < deadline && !stop.aborted) {
      const done = metrics.inboxPollWaiting(caller.kind === 'participant' ? caller.participantId : 'none');
      try {
        while (items.length === 0 && Date.now() < deadline && !stop.aborted) {
          await pause(Math.min(250, deadline - Date.now()), stop);
          items = await deliveries.inbox(caller, limit);
        }
      } finally {
        done();
      }
    }
    res.json({ items });
  });

  router.post('/inbox/:deliveryId/ack', async (req, res) => {
    res.json(await deliveries.acknowledgeInbox(callerOf(res), req.params.deliveryId, receiptBody(req)));
  });

  router.post('/receipts', async (req, res) => {
    res.json(await deliveries.receipt(callerOf(res), receiptBody(req)));
  });

  return router;
}
