/** `/v1/admin`: the overview for every administrator, dead letters for operators, exemption reviews for auditors, and the case-related metrics for operators and auditors (administrator certificates). */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { DeliveryService } from '../../deliveries/delivery-service.ts';
import type { ExemptionReviewService } from '../../exchanges/exemption-reviews.ts';
import type { OverviewService } from '../../deliveries/overview.ts';
import type { Registry } from 'prom-client';
import { requireRole } from '../../access/caller.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The admin routes, relative to `/v1`. */
export function adminRoutes(deliveries: DeliveryService, reviews: ExemptionReviewService, overview: OverviewService, validators: Validators, caseMetrics: Registry): Router {
  const router = strictRouter();
  const overviewQuery = queryReader<{ expiringWithinDays: number }>(validators, 'getOverview');
  router.get('/admin/overview', async (req, res) => {
    res.json(await overview.read(callerOf(res), overviewQuery(req)));
  });
  router.get('/admin/metrics', async (_req, res) => {
    requireRole(callerOf(res), 'operator', 'auditor');
    res.type(caseMetrics.contentType).send(await caseMetrics.metrics());
  });
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

  const reviewQuery = queryReader<{ status: 'open' | 'closed'; sender?: string; limit: number }>(validators, 'listExemptionReviews');
  const verdictBody = bodyReader<{ outcome: 'justified' | 'not-justified'; note: string }>(validators, 'ExemptionReviewVerdict');
  router.get('/admin/exemption-reviews', async (req, res) => {
    res.json({ items: await reviews.list(callerOf(res), reviewQuery(req)) });
  });
  router.post('/admin/exemption-reviews/:reviewId/close', async (req, res) => {
    res.json(await reviews.close(callerOf(res), req.params.reviewId, verdictBody(req)));
  });
  return router;
}
