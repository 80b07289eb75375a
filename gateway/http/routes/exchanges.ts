/** `/v1/exchanges`: submit, track one, list, cancel, stream status events. */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { StatusFeed } from '../../deliveries/status-feed.ts';
import { GatewayError } from '../../errors.ts';
import { callerOf, presentedSerial } from '../authenticate.ts';
import type { Holds } from '../holds.ts';
import { queryReader } from '../query.ts';
import { EVENTS_PAGE } from '../../store/index.ts';
import type { ExchangeService, ListQuery } from '../../exchanges/exchange-service.ts';
import { strictRouter } from '../router.ts';

/** Options for {@link exchangeRoutes}. */
export interface ExchangeRouteOptions {
  exchanges: ExchangeService;
  deliveries: DeliveryService;
  validators: Validators;
  /** Aborted when the gateway shuts down: open event streams end. */
  shutdown: AbortSignal;
  /** Wakes an open event stream when its exchange has news. */
  feed: StatusFeed;
  /** Places for long-held requests, per certificate. */
  holds: Holds;
  /** Whether a certificate was revoked since: its open streams end. */
  isRevoked(serial: string): boolean;
}

/** Quiet seconds between a stream's own looks at the store, and between keep-alive comments. */
const LOOK_ANYWAY_EVERY = 30;
const KEEP_ALIVE_EVERY = 15;

/** The exchange routes, relative to `/v1`. */
export function exchangeRoutes(options: ExchangeRouteOptions): Router {
  const { exchanges, deliveries, validators, shutdown } = options;
  const router = strictRouter();
  const listQuery = queryReader<ListQuery>(validators, 'listExchanges');
  const cancelBody = (body: unknown) => {
    const violations = validators.schema('CancelRequest')(body ?? {});
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    return (body ?? {}) as { reason?: string };
  };

  router.post('/exchanges', async (req, res) => {
    const { acceptance, replayed } = await exchanges.submit(callerOf(res), req.body, req.get('referral-signature'));
    res.locals.exchangeId = acceptance.id;
    if (replayed) res.setHeader('Idempotent-Replay', 'true');
    res.status(202).location(acceptance.trackingUrl).json(acceptance);
  });

  router.get('/exchanges', async (req, res) => {
    res.json(await exchanges.list(callerOf(res), listQuery(req)));
  });

  router.get('/exchanges/:id', async (req, res) => {
    res.json(await exchanges.get(callerOf(res), req.params.id));
  });

  router.post('/exchanges/:id/cancel', async (req, res) => {
    const { reason } = cancelBody(req.body);
    res.json(await deliveries.cancel(callerOf(res), req.params.id, reason));
  });

  router.get('/exchanges/:id/events', async (req, res) => {
    const caller = callerOf(res);
    const { recipient } = await deliveries.followable(caller, req.params.id);
    const serial = presentedSerial(res);
    const release = options.holds.take(serial);
    res.on('close', release);
    const lastEventId = req.get('last-event-id');
    let after = lastEventId && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : 0n;
    res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const closed = new AbortController();
    req.on('close', () => closed.abort());
    const stop = AbortSignal.any([closed.signal, shutdown]);
    const watch = options.feed.watch({ exchange: req.params.id });
    try {
      let look = true;
      let quiet = 0;
      // A revoked certificate's stream ends within a second, as its next request would be refused.
      while (!stop.aborted && !options.isRevoked(serial)) {
        if (look) {
          const events = await deliveries.events(req.params.id, after, recipient);
          for (const event of events) {
            res.write(`id: ${event.eventId}\nevent: status\ndata: ${JSON.stringify(event)}\n\n`);
            after = BigInt(event.eventId);
          }
          if (events.length === EVENTS_PAGE) continue;
        }
        const news = await watch.next(stop, 1000);
        quiet = news ? 0 : quiet + 1;
        // Without news the stream still looks now and then (cheap insurance against a
        // missed wake) and sends a comment that keeps proxies from closing it.
        look = news || quiet % LOOK_ANYWAY_EVERY === 0;
        if (quiet > 0 && quiet % KEEP_ALIVE_EVERY === 0) res.write(': keep-alive\n\n');
      }
    } finally {
      watch.close();
    }
    res.end();
  });

  return router;
}
