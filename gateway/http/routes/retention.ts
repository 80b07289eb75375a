/** `/v1/admin/legal-holds`: holds that stop the retention purge of a case thread (auditors place and release them; operators may look). */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { Retention } from '../../retention/retention.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The routes, relative to `/v1`. */
export function retentionRoutes(retention: Retention, validators: Validators): Router {
  const router = strictRouter();
  const listQuery = queryReader<{ active: boolean; correlationId?: string; limit: number }>(validators, 'listLegalHolds');
  const placeBody = bodyReader<{ correlationId: string; reason: string }>(validators, 'LegalHoldRequest');
  const releaseBody = bodyReader<{ reason: string }>(validators, 'LegalHoldRelease');
  router.get('/admin/legal-holds', async (req, res) => {
    res.json({ items: await retention.holds(callerOf(res), listQuery(req)) });
  });
  router.post('/admin/legal-holds', async (req, res) => {
    const { correlationId, reason } = placeBody(req);
    res.status(201).json(await retention.placeHold(callerOf(res), correlationId, reason));
  });
  router.post('/admin/legal-holds/:holdId/release', async (req, res) => {
    res.json(await retention.releaseHold(callerOf(res), req.params.holdId, releaseBody(req).reason));
  });
  return router;
}
