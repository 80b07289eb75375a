/** `/v1/inbox` and `/v1/receipts`: how recipients take deliveries and confirm them. */
import { type Router } from 'express';
import type { SignedReceipt, Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { Metrics } from '../../metrics.ts';
import { callerOf, presentedSerial } from '../authenticate.ts';
import type { Holds } from '../holds.ts';
import { bodyReader, pause, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The receiving routes, relative to `/v1`. */
export function receivingRoutes(
  deliveries: DeliveryService, validators: Validators, shutdown: AbortSignal, metrics: Pick<Metrics, 'inboxPollWaiting'>,
  holds: Holds, isRevoked: (serial: string) => boolean,
): Router {
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
      const serial = presentedSerial(res);
      const release = holds.take(serial);
      const done = metrics.inboxPollWaiting(caller.kind === 'participant' ? caller.participantId : 'none');
      try {
        while (items.length === 0 && Date.now() < deadline && !stop.aborted && !isRevoked(serial)) {
          await pause(Math.min(250, deadline - Date.now()), stop);
          items = await deliveries.inbox(caller, limit);
        }
      } finally {
        done();
        release();
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
