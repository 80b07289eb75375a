/**
 * The review of exemptions whose justification says nothing: auditors and consent officers
 * see what waits, and an auditor closes each one as justified or not, with a note.
 */
import { isUuid, type ExemptionReview } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import type { ReviewStore } from '../store/index.ts';

export interface ExemptionReviewService {
  list(caller: Caller, query: { status: 'open' | 'closed'; sender?: string; limit: number }): Promise<ExemptionReview[]>;
  close(caller: Caller, id: string, verdict: { outcome: 'justified' | 'not-justified'; note: string }): Promise<ExemptionReview>;
}

/** The review service on `store`. */
export function createExemptionReviewService(store: ReviewStore): ExemptionReviewService {
  return {
    async list(caller, query) {
      requireRole(caller, 'auditor', 'consent-officer');
      return (await store.list({ open: query.status === 'open', limit: query.limit, ...(query.sender ? { sender: query.sender } : {}) })) as ExemptionReview[];
    },
    async close(caller, id, verdict) {
      requireRole(caller, 'auditor');
      const closed = isUuid(id) ? await store.close(id, verdict, callerLabel(caller)) : undefined;
      if (closed) return closed as ExemptionReview;
      if (isUuid(id) && (await store.get(id))) throw new GatewayError('GW_REVIEW_CLOSED', { detail: 'Another auditor closed this review first; read it again to see the verdict.' });
      throw new GatewayError('GW_REVIEW_NOT_FOUND');
    },
  };
}
