/**
 * Deadline clocks, every `coordination.clockIntervalMs` in the processes that run the relay:
 * the clocks due fire (each once, however many relays run this) and raise their alerts, the
 * machinery is watched (dead letters, long retries, expiring certificates and consents,
 * peer gateways), then the alert e-mails due are sent.
 */
import type { Coordination } from '../../gateway/index.ts';
import type { PeriodicJob } from './periodic.ts';

export function caseClocks(coordination: Pick<Coordination, 'fireDue' | 'watch' | 'sendEmails'>, intervalMs: number): PeriodicJob {
  return {
    name: 'case clocks', intervalMs,
    run: async () => {
      await coordination.fireDue();
      await coordination.watch();
      await coordination.sendEmails();
    },
  };
}
