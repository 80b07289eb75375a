/** `/v1/participants`: the registry, readable by every authenticated caller; `/v1/admin/participants`: operators change it at run time. */
import { type Router } from 'express';
import type { DeliverySettings, Participant, Validators } from '../../../schemas/index.ts';
import { GatewayError } from '../../errors.ts';
import type { ParticipantAdmin } from '../../participants/participant-admin.ts';
import type { ParticipantRegistry } from '../../participants/participant-registry.ts';
import { callerOf } from '../authenticate.ts';
import { bodyReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The registry routes, relative to `/v1`. */
export function participantRoutes(registry: ParticipantRegistry, admin: ParticipantAdmin, validators: Validators): Router {
  const router = strictRouter();
  const definitionBody = bodyReader<Participant>(validators, 'Participant');
  const changeBody = bodyReader<{ reason: string }>(validators, 'ParticipantStatusChange');
  const deliveryBody = bodyReader<DeliverySettings>(validators, 'DeliverySettings');
  router.get('/participants', (_req, res) => {
    res.json({ items: registry.list() });
  });
  router.get('/participants/:id', (req, res) => {
    const participant = registry.get(req.params.id);
    if (!participant) throw new GatewayError('GW_PARTICIPANT_NOT_FOUND');
    res.json(participant);
  });

  router.get('/admin/participants', (_req, res) => {
    res.json({ items: admin.list(callerOf(res)) });
  });
  router.post('/admin/participants', async (req, res) => {
    const added = await admin.add(callerOf(res), definitionBody(req));
    res.status(201).location(`/v1/admin/participants/${added.participant.id}`).json(added);
  });
  router.get('/admin/participants/:id', (req, res) => {
    res.json(admin.get(callerOf(res), req.params.id));
  });
  router.put('/admin/participants/:id', async (req, res) => {
    res.json(await admin.change(callerOf(res), req.params.id, definitionBody(req)));
  });
  router.put('/admin/participants/:id/delivery', async (req, res) => {
    res.json(await admin.setDelivery(callerOf(res), req.params.id, deliveryBody(req)));
  });
  router.post('/admin/participants/:id/suspend', async (req, res) => {
    res.json(await admin.suspend(callerOf(res), req.params.id, changeBody(req).reason));
  });
  router.post('/admin/participants/:id/reinstate', async (req, res) => {
    res.json(await admin.reinstate(callerOf(res), req.params.id, changeBody(req).reason));
  });
  return router;
}
