/** `/v1/pseudonyms` and `/v1/consents`: the subject's pseudonym and the consent registry. */
import { type Router } from 'express';
import type { ConsentRequest, Identity, Validators } from '../../../schemas/index.ts';
import type { ConsentService } from '../../consents/consent-service.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader, queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The consent routes, relative to `/v1`. */
export function consentRoutes(consents: ConsentService, validators: Validators): Router {
  const router = strictRouter();
  const pseudonymBody = bodyReader<{ identity: Identity }>(validators, 'PseudonymRequest');
  const consentBody = bodyReader<ConsentRequest>(validators, 'ConsentRequest');
  const withdrawalBody = bodyReader<{ reason: string }>(validators, 'ConsentWithdrawal');
  const byCodeBody = bodyReader<{ code: string; reason: string }>(validators, 'WithdrawalByCode');
  const listQuery = queryReader<{ subject: string; limit: number }>(validators, 'listConsents');

  router.post('/pseudonyms', async (req, res) => {
    res.json({ pseudonym: await consents.pseudonym(callerOf(res), pseudonymBody(req).identity) });
  });
  router.post('/pseudonyms/:pseudonym/link', async (req, res) => {
    res.json(await consents.link(callerOf(res), req.params.pseudonym, pseudonymBody(req).identity));
  });
  router.post('/consents', async (req, res) => {
    const consent = await consents.record(callerOf(res), consentBody(req));
    res.status(201).location(`/v1/consents/${consent.id}`).json(consent);
  });
  router.get('/consents', async (req, res) => {
    const { subject, limit } = listQuery(req);
    res.json({ items: await consents.bySubject(callerOf(res), subject, limit) });
  });
  router.post('/consents/withdraw-by-code', async (req, res) => {
    const { code, reason } = byCodeBody(req);
    res.json(await consents.withdrawByCode(callerOf(res), code, reason));
  });
  router.get('/consents/:consentId', async (req, res) => {
    res.json(await consents.get(callerOf(res), req.params.consentId));
  });
  router.post('/consents/:consentId/withdraw', async (req, res) => {
    res.json(await consents.withdraw(callerOf(res), req.params.consentId, withdrawalBody(req).reason));
  });
  router.post('/consents/:consentId/withdrawal-code', async (req, res) => {
    res.json(await consents.newWithdrawalCode(callerOf(res), req.params.consentId));
  });
  return router;
}
