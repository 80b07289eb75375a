/**
 * The case projection, every `audit.chainIntervalMs` in the processes that run the relay:
 * what the audit log chained since the last run becomes case metadata and referral states.
 * Several relays may run it; the store's lock lets one work at a time.
 */
import type { Coordination } from '../../gateway/index.ts';
import type { PeriodicJob } from './periodic.ts';

export function caseProjection(coordination: Pick<Coordination, 'project'>, intervalMs: number): PeriodicJob {
  return { name: 'case projection', intervalMs, run: () => coordination.project() };
}
