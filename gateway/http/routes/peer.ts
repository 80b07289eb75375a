/** `/v1/peer/…`: what peer gateways abroad call — relayed envelopes in, receipts back. */
import { type Router } from 'express';
import type { SignedReceipt, Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { ExchangeService } from '../../exchanges/exchange-service.ts';
import { peerOf } from '../authenticate.ts';
import { bodyReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The peer routes, relative to `/v1`. */
export function peerRoutes(exchanges: ExchangeService, deliveries: DeliveryService, validators: Validators): Router {
  const router = strictRouter();
  const receiptBody = bodyReader<SignedReceipt>(validators, 'SignedReceipt');

  router.post('/peer/exchanges', async (req, res) => {
    const { acceptance, replayed } = await exchanges.relay(peerOf(res), req.body);
    res.status(replayed ? 200 : 202).location(acceptance.trackingUrl).json(acceptance);
  });

  router.post('/peer/receipts', async (req, res) => {
    res.json(await deliveries.peerReceipt(peerOf(res), receiptBody(req)));
  });

  return router;
}
