/** `/v1/exchanges`: submit, track one, list. */
import express, { type Router } from 'express';
import type { Validators } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { callerOf } from '../http/caller.ts';
import type { ExchangeService, ListQuery } from '../exchange-service.ts';

/** The exchange routes, relative to `/v1`. */
export function exchangeRoutes(service: ExchangeService, validators: Validators): Router {
  const router = express.Router();
  const checkListQuery = validators.query('listExchanges');

  router.post('/exchanges', async (req, res) => {
    const { acceptance, replayed } = await service.submit(callerOf(res), req.body);
    res.locals.exchangeId = acceptance.id;
    if (replayed) res.setHeader('Idempotent-Replay', 'true');
    res.status(202).location(acceptance.trackingUrl).json(acceptance);
  });

  router.get('/exchanges', async (req, res) => {
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    const violations = checkListQuery(query); // coerces and applies defaults in place
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    res.json(await service.list(callerOf(res), query as unknown as ListQuery));
  });

  router.get('/exchanges/:id', async (req, res) => {
    res.json(await service.get(callerOf(res), req.params.id));
  });

  return router;
}
