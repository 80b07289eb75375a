/** `/v1/me`: who the presented certificate says the caller is, and what its roles allow; the console builds its navigation from it. */
import type { TLSSocket } from 'node:tls';
import { type Router } from 'express';
import type { ParticipantRegistry } from '../../participants/participant-registry.ts';
import { callerOf, presentedSerial } from '../authenticate.ts';
import { strictRouter } from '../router.ts';

/** The route, relative to `/v1`. */
export function meRoutes(registry: ParticipantRegistry): Router {
  const router = strictRouter();
  router.get('/me', (req, res) => {
    const caller = callerOf(res);
    const validUntil = new Date((req.socket as TLSSocket).getPeerX509Certificate()!.validTo).toISOString();
    const certificate = { serial: presentedSerial(res), validUntil };
    if (caller.kind === 'administrator') {
      res.json({ kind: 'administrator', name: caller.name, roles: caller.roles, certificate });
      return;
    }
    const participant = registry.get(caller.participantId)!;
    res.json({
      kind: 'participant', roles: [], certificate,
      participant: { id: participant.id, name: participant.name, kind: participant.kind },
      ...(caller.adapter ? { adapter: caller.adapter } : {}),
    });
  });
  return router;
}
