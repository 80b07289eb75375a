/** `/v1/referrals`, `/v1/cases/{correlationId}` and `/v1/alerts`: referrals with their business state, the case-thread view (parties and the coordinator), and the alerts its clocks raise. */
import { type Router } from 'express';
import { isUuid, type Validators } from '../../../schemas/index.ts';
import type { Coordination } from '../../coordination/cases.ts';
import type { ReferralState } from '../../coordination/referral-state.ts';
import { GatewayError } from '../../errors.ts';
import { callerOf } from '../authenticate.ts';
import { queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The contract's CorrelationId pattern. */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/** The routes, relative to `/v1`. */
export function coordinationRoutes(coordination: Coordination, validators: Validators): Router {
  const router = strictRouter();
  const referralsQuery = queryReader<{ state?: ReferralState; owner?: string; requester?: string; correlationId?: string; after?: string; limit: number }>(validators, 'listReferrals');
  router.get('/referrals', async (req, res) => {
    res.json(await coordination.referrals(callerOf(res), referralsQuery(req)));
  });
  const alertsQuery = queryReader<{ open: boolean; after?: string; limit: number }>(validators, 'listAlerts');
  router.get('/alerts', async (req, res) => {
    res.json(await coordination.alerts(callerOf(res), alertsQuery(req)));
  });
  router.post('/alerts/:alertId/acknowledge', async (req, res) => {
    if (!isUuid(req.params.alertId)) throw new GatewayError('GW_ALERT_NOT_FOUND', { detail: `No alert ${req.params.alertId}: alert ids are UUIDs.` });
    res.json(await coordination.acknowledge(callerOf(res), req.params.alertId));
  });
  router.get('/cases/:correlationId', async (req, res) => {
    const { correlationId } = req.params;
    if (!CORRELATION_ID.test(correlationId)) {
      throw new GatewayError('GW_VALIDATION_FAILED', { detail: 'correlationId does not match the contract\'s CorrelationId.', violations: [{ pointer: '/correlationId', keyword: 'pattern', message: `must match pattern "${CORRELATION_ID.source}"` }] });
    }
    res.json(await coordination.thread(callerOf(res), correlationId));
  });
  return router;
}
