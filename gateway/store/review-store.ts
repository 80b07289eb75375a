/** Exemptions flagged for review (written with the acceptance), and their reviewers' verdicts. */
import type { Database } from './database.ts';
import { auditRows } from '../audit/audit-writer.ts';

/** One flagged exemption. */
export interface ExemptionReviewRow {
  id: string;
  exchangeId: string;
  sender: string;
  exemption: string;
  justification: string;
  concerns: string[];
  flaggedAt: string;
  closedAt?: string;
  closedBy?: string;
  outcome?: 'justified' | 'not-justified';
  note?: string;
}

export interface ReviewStore {
  /** Open reviews oldest first (the longest waiting on top), closed ones newest first. */
  list(filter: { open: boolean; sender?: string; limit: number }): Promise<ExemptionReviewRow[]>;
  get(id: string): Promise<ExemptionReviewRow | undefined>;
  /** Closes an open review with the verdict, audited as `actor` in the same statement; undefined when it was not open. */
  close(id: string, verdict: { outcome: 'justified' | 'not-justified'; note: string }, actor: string): Promise<ExemptionReviewRow | undefined>;
}

interface Row {
  id: string; exchange_id: string; sender: string; exemption: string; justification: string; concerns: string[];
  flagged_at: Date; closed_at: Date | null; closed_by: string | null; outcome: 'justified' | 'not-justified' | null; note: string | null;
}

const COLUMNS = 'id, exchange_id, sender, exemption, justification, concerns, flagged_at, closed_at, closed_by, outcome, note';

const toReview = (r: Row): ExemptionReviewRow => ({
  id: r.id, exchangeId: r.exchange_id, sender: r.sender, exemption: r.exemption, justification: r.justification,
  concerns: r.concerns, flaggedAt: r.flagged_at.toISOString(),
  ...(r.closed_at ? { closedAt: r.closed_at.toISOString(), closedBy: r.closed_by!, outcome: r.outcome!, note: r.note ?? '' } : {}),
});

/** The review store on `db`. */
export function createReviewStore(db: Database): ReviewStore {
  return {
    async list(filter) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM exemption_reviews
         WHERE (closed_at IS NULL) = $1 AND ($2::text IS NULL OR sender = $2)
         ORDER BY ${filter.open ? 'flagged_at, id' : 'closed_at DESC, id'} LIMIT $3`,
        [filter.open, filter.sender ?? null, filter.limit],
      );
      return rows.map(toReview);
    },
    async get(id) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM exemption_reviews WHERE id = $1`, [id]);
      return rows[0] && toReview(rows[0]);
    },
    async close(id, verdict, actor) {
      const { rows } = await db.query<Row>(
        `WITH closed AS (
           UPDATE exemption_reviews SET closed_at = now(), closed_by = $4, outcome = $2, note = $3
           WHERE id = $1 AND closed_at IS NULL RETURNING ${COLUMNS}),
         audit AS (${auditRows({
           from: 'closed', actor: '$4', action: 'exemption.reviewed', exchangeId: 'exchange_id',
           details: "jsonb_build_object('reviewId', id, 'exemption', exemption, 'outcome', outcome, 'note', note)",
         })})
         SELECT * FROM closed`,
        [id, verdict.outcome, verdict.note, actor],
      );
      return rows[0] && toReview(rows[0]);
    },
  };
}
