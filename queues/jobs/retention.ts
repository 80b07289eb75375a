/**
 * The retention purge, every `retention.purgeIntervalMs` in the processes that run the
 * relay: payloads due under the policy are purged in batches. Several relays may run it;
 * each batch locks the exchanges it takes, so none is purged twice.
 */
import type { Retention } from '../../gateway/index.ts';
import type { PeriodicJob } from './periodic.ts';

export function retentionPurge(retention: Pick<Retention, 'purgeDue'>, intervalMs: number): PeriodicJob {
  return { name: 'retention purge', intervalMs, run: () => retention.purgeDue() };
}
