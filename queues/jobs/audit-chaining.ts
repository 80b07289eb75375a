/**
 * Audit chaining, every `audit.chainIntervalMs` in the processes that run the relay: new
 * audit entries are put in the tamper-evident tree, and a checkpoint is signed when one is
 * due. Several relays may run it; the store's lock lets one work at a time.
 */
import type { AuditLog } from '../../gateway/index.ts';
import type { PeriodicJob } from './periodic.ts';

export function auditChaining(audit: Pick<AuditLog, 'maintain'>, intervalMs: number): PeriodicJob {
  return { name: 'audit chaining', intervalMs, run: () => audit.maintain() };
}
