/** The administrators' overview: deliveries per status, failures of the last day, each recipient's delivery health, what expires soon. */
import { ADMIN_ROLES } from '../../certs/index.ts';
import { requireRole, type Caller } from '../access/caller.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { Overview } from '../../schemas/index.ts';
import type { OverviewFigures, OverviewStore } from '../store/index.ts';

/** A recipient's delivery health, from what its deliveries did in the last day. */
export type DeliveryHealth = Overview['recipients'][number]['health'];

/**
 * Failing while deliveries to it wait for a retry or lie dead after failing today;
 * recovered when attempts failed today but nothing is stuck; ok otherwise.
 */
export function deliveryHealth(r: OverviewFigures['recipients'][number]): DeliveryHealth {
  if (r.retrying > 0 || (r.deadLetters > 0 && r.failedAttemptsLastDay > 0)) return 'failing';
  return r.failedAttemptsLastDay > 0 ? 'recovered' : 'ok';
}

export interface OverviewService {
  /** Counts only, no case data: any administrator. */
  read(caller: Caller, options: { expiringWithinDays: number }): Promise<Overview>;
}

export function createOverviewService(deps: { store: OverviewStore; registry: ParticipantRegistry; now?: () => Date }): OverviewService {
  const now = deps.now ?? (() => new Date());
  return {
    async read(caller, { expiringWithinDays }) {
      requireRole(caller, ...ADMIN_ROLES);
      const at = now();
      const figures = await deps.store.figures(at, expiringWithinDays);
      const seen = new Map(figures.recipients.map((r) => [r.recipient, r]));
      // Every participant that receives appears, the quiet ones as ok; and any recipient with deliveries (one since removed too).
      const ids = [...new Set([...deps.registry.list().filter((p) => p.accepts.length > 0).map((p) => p.id), ...seen.keys()])].sort();
      return {
        generatedAt: at.toISOString(),
        expiringWithinDays,
        deliveries: { byStatus: figures.byStatus },
        failuresLastDay: { attempts: figures.failedAttemptsByHour.reduce((a, b) => a + b, 0), byHour: figures.failedAttemptsByHour },
        recipients: ids.map((id) => {
          const r = seen.get(id) ?? { recipient: id, waiting: 0, retrying: 0, deadLetters: 0, failedAttemptsLastDay: 0 };
          return {
            participant: id, health: deliveryHealth(r), suspended: deps.registry.isSuspended(id),
            waiting: r.waiting, retrying: r.retrying, deadLetters: r.deadLetters, failedAttemptsLastDay: r.failedAttemptsLastDay,
            ...(r.lastFailureAt ? { lastFailureAt: r.lastFailureAt.toISOString() } : {}),
            ...(r.lastErrorCode ? { lastErrorCode: r.lastErrorCode } : {}),
          };
        }),
        certificatesExpiring: figures.certificatesExpiring,
        consentsExpiring: figures.consentsExpiring,
      };
    },
  };
}
