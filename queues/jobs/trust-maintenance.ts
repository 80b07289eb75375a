/**
 * Trust maintenance, hourly, in the processes that run the relay: certificates superseded
 * by a renewal are retired and those about to expire are logged (and counted in `/metrics`).
 * Each process also does it once as it starts (the trust service's `start`).
 */
import type { TrustService } from '../../gateway/index.ts';
import type { PeriodicJob } from './periodic.ts';

export const TRUST_MAINTENANCE_INTERVAL_MS = 3_600_000;

export function trustMaintenance(trust: Pick<TrustService, 'maintain'>, intervalMs = TRUST_MAINTENANCE_INTERVAL_MS): PeriodicJob {
  return { name: 'trust maintenance', intervalMs, run: () => trust.maintain() };
}
