/** `/v1/inbox` and `/v1/receipts`: how recipients take deliveries and confirm them. */
import { type Router } from 'express';
import type { SignedReceipt, Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { StatusFeed } from '../../deliveries/status-feed.ts';
import type { Metrics } from '../../metrics.ts';
import { callerOf, presentedSerial } from '../authenticate.ts';
import type { Holds } from '../holds.ts';
import { bodyReader, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** Quiet seconds between a long poll's own looks at the inbox. */
const LOOK_ANYWAY_EVERY = 5;

/** The receiving routes, relative to `/v1`. */
export function receivingRoutes(
  deliveries: DeliveryService, validators: Validators, shutdown: AbortSignal, metrics: Pick<Metrics, 'inboxPollWaiting'>,
  holds: Holds, isRevoked: (serial: string) => boolean, feed: StatusFeed,
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
      const participant = caller.kind === 'participant' ? caller.participantId : 'none';
      const done = metrics.inboxPollWaiting(participant);
      const watch = feed.watch({ inbox: participant });
      try {
        // Woken by the feed when a pull delivery of this recipient moves; without news it
        // still looks every few seconds, for a lease that ran out or a consent that began.
        let quiet = 0;
        while (items.length === 0 && Date.now() < deadline && !stop.aborted && !isRevoked(serial)) {
          const news = await watch.next(stop, Math.max(0, Math.min(1000, deadline - Date.now())));
          quiet = news ? 0 : quiet + 1;
          if (news || quiet % LOOK_ANYWAY_EVERY === 0 || Date.now() >= deadline) items = await deliveries.inbox(caller, limit);
        }
      } finally {
        watch.close();
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
