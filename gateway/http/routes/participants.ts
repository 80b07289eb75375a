/** `/v1/participants`: the registry, readable by every authenticated caller. */
import { type Router } from 'express';
import { GatewayError } from '../../errors.ts';
import type { ParticipantRegistry } from '../../participants/participant-registry.ts';
import { strictRouter } from '../router.ts';

/** The registry routes, relative to `/v1`. */
export function participantRoutes(registry: ParticipantRegistry): Router {
  const router = strictRouter();
  router.get('/participants', (_req, res) => {
    res.json({ items: registry.list() });
  });
  router.get('/participants/:id', (req, res) => {
    const participant = registry.get(req.params.id);
    if (!participant) throw new GatewayError('GW_PARTICIPANT_NOT_FOUND');
    res.json(participant);
  });
  return router;
}
