/** Retention in the store (migration 020): purging payloads that are due, and legal holds on case threads. */
import type { Database } from './database.ts';
import { auditRows } from '../audit/audit-writer.ts';

/** A delivery's end, for retention: nothing more will be sent (a dead letter counts once an operator discarded it). */
export const FINISHED = `(d.status IN ('acknowledged', 'delivered', 'withheld', 'expired', 'cancelled') OR (d.status = 'failed' AND d.discarded_at IS NOT NULL))`;

/** The retention policy the purge applies. */
export interface PurgePolicy {
  /** Days after the last delivery finished, per message type; `default` for the others. */
  payloadDays: Record<string, number>;
}

/** A legal hold. */
export interface LegalHoldRow {
  id: string;
  correlationId: string;
  reason: string;
  placedAt: string;
  placedBy: string;
  releasedAt?: string;
  releasedBy?: string;
  releaseReason?: string;
}

export interface RetentionStore {
  /**
   * Purges up to `limit` exchanges whose payload is due at `now`: every delivery finished
   * `payloadDays` ago or longer, no legal hold on the case thread, no exemption waiting for
   * review. The envelope and the minimised copies go; one `retention.purged` entry each.
   * Concurrent runs take different exchanges. Returns the ids purged.
   */
  purge(now: Date, policy: PurgePolicy, limit: number): Promise<string[]>;
  /** `undefined` when the case thread already has a hold in force. */
  placeHold(hold: { id: string; correlationId: string; reason: string; actor: string }): Promise<LegalHoldRow | undefined>;
  /** `released` false when it was released already; `undefined` when there is no such hold. */
  releaseHold(id: string, reason: string, actor: string): Promise<{ hold: LegalHoldRow; released: boolean } | undefined>;
  holds(filter: { active: boolean; correlationId?: string; limit: number }): Promise<LegalHoldRow[]>;
}

interface HoldRow {
  id: string; correlation_id: string; reason: string; placed_at: Date; placed_by: string;
  released_at: Date | null; released_by: string | null; release_reason: string | null;
}
const HOLD_COLUMNS = 'id, correlation_id, reason, placed_at, placed_by, released_at, released_by, release_reason';
const toHold = (r: HoldRow): LegalHoldRow => ({
  id: r.id, correlationId: r.correlation_id, reason: r.reason, placedAt: new Date(r.placed_at).toISOString(), placedBy: r.placed_by,
  ...(r.released_at ? { releasedAt: new Date(r.released_at).toISOString(), releasedBy: r.released_by!, ...(r.release_reason ? { releaseReason: r.release_reason } : {}) } : {}),
});

export function createRetentionStore(db: Database): RetentionStore {
  return {
    async purge(now, policy, limit) {
      const { default: fallback, ...perType } = policy.payloadDays;
      const { rows } = await db.query<{ id: string }>(
        `WITH due AS (
           SELECT e.id, e.type, finished.at AS finished_at, COALESCE(($2::jsonb ->> e.type)::int, $3) AS days
             FROM exchanges e
             CROSS JOIN LATERAL (SELECT max(d.status_changed_at) AS at, bool_and(${FINISHED}) AS all_finished FROM deliveries d WHERE d.exchange_id = e.id) finished
            WHERE e.purged_at IS NULL
              AND finished.all_finished
              AND finished.at <= $1::timestamptz - make_interval(days => COALESCE(($2::jsonb ->> e.type)::int, $3))
              AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.correlation_id = e.correlation_id AND h.released_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM exemption_reviews r WHERE r.exchange_id = e.id AND r.closed_at IS NULL)
            ORDER BY e.seq
            LIMIT $4
            FOR UPDATE OF e SKIP LOCKED
         ), purged AS (
           UPDATE exchanges e SET envelope = NULL, purged_at = $1 FROM due WHERE e.id = due.id
           RETURNING e.id, due.type, due.days, due.finished_at
         ), copies AS (
           UPDATE deliveries d SET envelope = NULL FROM purged WHERE d.exchange_id = purged.id AND d.envelope IS NOT NULL RETURNING d.id
         ), audit AS (
           ${auditRows({ from: 'purged', at: '$1', actor: "'gateway'", action: 'retention.purged', exchangeId: 'id', details: "jsonb_build_object('type', type, 'payloadDays', days, 'finishedAt', finished_at)" })}
         )
         SELECT id FROM purged`,
        [now.toISOString(), JSON.stringify(perType), fallback, limit],
      );
      return rows.map((r) => r.id);
    },

    async placeHold(hold) {
      const { rows } = await db.query<HoldRow>(
        `WITH placed AS (
           INSERT INTO legal_holds (id, correlation_id, reason, placed_at, placed_by) VALUES ($1, $2, $3, now(), $4)
           ON CONFLICT (correlation_id) WHERE released_at IS NULL DO NOTHING
           RETURNING ${HOLD_COLUMNS}
         ), audit AS (
           ${auditRows({ from: 'placed', actor: '$4', action: 'legal-hold.placed', details: "jsonb_build_object('holdId', id, 'correlationId', correlation_id, 'reason', reason)" })}
         )
         SELECT * FROM placed`,
        [hold.id, hold.correlationId, hold.reason, hold.actor],
      );
      return rows[0] && toHold(rows[0]);
    },

    async releaseHold(id, reason, actor) {
      const { rows } = await db.query<HoldRow & { released_now: boolean }>(
        `WITH released AS (
           UPDATE legal_holds SET released_at = now(), released_by = $3, release_reason = $2 WHERE id = $1 AND released_at IS NULL
           RETURNING ${HOLD_COLUMNS}
         ), audit AS (
           ${auditRows({ from: 'released', actor: '$3', action: 'legal-hold.released', details: "jsonb_build_object('holdId', id, 'correlationId', correlation_id, 'reason', release_reason)" })}
         )
         SELECT *, true AS released_now FROM released
         UNION ALL
         SELECT ${HOLD_COLUMNS}, false FROM legal_holds WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM released)`,
        [id, reason, actor],
      );
      return rows[0] && { hold: toHold(rows[0]), released: rows[0].released_now };
    },

    async holds(filter) {
      const { rows } = await db.query<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM legal_holds
          WHERE (released_at IS NULL) = $1 AND ($2::text IS NULL OR correlation_id = $2)
          ORDER BY placed_at DESC, id LIMIT $3`,
        [filter.active, filter.correlationId ?? null, filter.limit],
      );
      return rows.map(toHold);
    },
  };
}
