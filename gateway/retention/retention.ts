/**
 * Retention: payloads are purged `retention.payloadDays` after an exchange's last delivery
 * finished, in batches, by the periodic job; a legal hold on a case thread (auditors) stops
 * it. What stays — ids, digests, seals, receipts, statuses, the legal basis, the audit
 * chain — is enough for the exchange's history, its proofs and its evidence bundle.
 */
import { randomUUID } from 'node:crypto';
import { isUuid } from '../../schemas/index.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import { localMonth, monthStart } from '../statistics/calendar.ts';
import type { LegalHoldRow, PurgePolicy, RetentionStore } from '../store/retention-store.ts';

export interface RetentionDeps {
  store: RetentionStore;
  policy: PurgePolicy;
  /** The data categories a document carries (the contract's category maps). */
  categoriesOf(document: { type: string }): string[];
  /** Exchanges purged per transaction. */
  batchSize?: number;
  /** The national indicators' facts: deleted `years` full calendar years after their own (docs/statistics.md#retention). */
  statisticsFacts?: { years: number; purge(before: Date): Promise<number> };
}

export interface Retention {
  /** Purges everything due at `now` (default: the clock), batch after batch; returns how many exchanges. */
  purgeDue(now?: Date): Promise<{ purged: number }>;
  /** Auditors: stop purging a case thread. */
  placeHold(caller: Caller, correlationId: string, reason: string): Promise<LegalHoldRow>;
  releaseHold(caller: Caller, holdId: string, reason: string): Promise<LegalHoldRow>;
  /** Auditors and operators. */
  holds(caller: Caller, filter: { active: boolean; correlationId?: string; limit: number }): Promise<LegalHoldRow[]>;
}

const DEFAULT_BATCH = 200;

export function createRetention(deps: RetentionDeps): Retention {
  const batch = deps.batchSize ?? DEFAULT_BATCH;
  return {
    async purgeDue(now = new Date()) {
      let purged = 0;
      // One pass in acceptance order: each batch goes on after the last exchange the one before purged.
      for (let after: bigint | undefined = 0n; after !== undefined;) {
        const { ids, lastSeq } = await deps.store.purge(now, deps.policy, batch, deps.categoriesOf, after);
        purged += ids.length;
        after = lastSeq;
      }
      // Whole years of the statistics' calendar (Sofia time), as their releases count them.
      if (deps.statisticsFacts) await deps.statisticsFacts.purge(monthStart(localMonth(now).year - deps.statisticsFacts.years, 0));
      return { purged };
    },
    async placeHold(caller, correlationId, reason) {
      requireRole(caller, 'auditor');
      const hold = await deps.store.placeHold({ id: randomUUID(), correlationId, reason, actor: callerLabel(caller) });
      if (!hold) throw new GatewayError('GW_LEGAL_HOLD_EXISTS', { detail: `Case thread ${correlationId} is on hold already; GET /v1/admin/legal-holds?correlationId= shows the hold.` });
      return hold;
    },
    async releaseHold(caller, holdId, reason) {
      requireRole(caller, 'auditor');
      const outcome = isUuid(holdId) ? await deps.store.releaseHold(holdId, reason, callerLabel(caller)) : undefined;
      if (!outcome) throw new GatewayError('GW_LEGAL_HOLD_NOT_FOUND', { detail: `No legal hold ${holdId}.` });
      if (!outcome.released) throw new GatewayError('GW_LEGAL_HOLD_RELEASED', { detail: `The hold was released ${outcome.hold.releasedAt} by ${outcome.hold.releasedBy}.` });
      return outcome.hold;
    },
    async holds(caller, filter) {
      requireRole(caller, 'auditor', 'operator');
      return deps.store.holds(filter);
    },
  };
}
