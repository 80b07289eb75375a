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
   * review. The envelope and the minimised copies go (each delivery keeps the categories
   * its copy carried, from `categoriesOf`); one `retention.purged` entry each.
   * Concurrent runs take different exchanges (`FOR NO KEY UPDATE … SKIP LOCKED`: the purge
   * changes no key, so it does not wait for, or skip, rows another statement merely
   * references). Looks at exchanges after `afterSeq` in
   * acceptance order; returns the ids purged and the last one's seq (where to go on).
   */
  purge(now: Date, policy: PurgePolicy, limit: number, categoriesOf: (document: { type: string }) => string[], afterSeq?: bigint): Promise<{ ids: string[]; lastSeq?: bigint }>;
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
    purge: (now, policy, limit, categoriesOf, afterSeq = 0n) =>
      db.transaction(async (tx) => {
        const { default: fallback, ...perType } = policy.payloadDays;
        const { rows: due } = await tx.query<{ id: string; seq: string; type: string; envelope: { type: string } | null; days: number; finished_at: Date }>(
          `SELECT e.id, e.seq::text AS seq, e.type, e.envelope, finished.at AS finished_at, COALESCE(($2::jsonb ->> e.type)::int, $3) AS days
             FROM exchanges e
             CROSS JOIN LATERAL (SELECT max(d.status_changed_at) AS at, bool_and(${FINISHED}) AS all_finished FROM deliveries d WHERE d.exchange_id = e.id) finished
            WHERE e.seq > $5 AND e.purged_at IS NULL
              AND finished.all_finished
              AND finished.at <= $1::timestamptz - make_interval(days => COALESCE(($2::jsonb ->> e.type)::int, $3))
              AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.correlation_id = e.correlation_id AND h.released_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM exemption_reviews r WHERE r.exchange_id = e.id AND r.closed_at IS NULL)
            ORDER BY e.seq
            LIMIT $4
            FOR NO KEY UPDATE OF e SKIP LOCKED`,
          [now.toISOString(), JSON.stringify(perType), fallback, limit, afterSeq.toString()],
        );
        if (due.length === 0) return { ids: [] };
        const ids = due.map((e) => e.id);
        const envelopes = new Map(due.map((e) => [e.id, e.envelope]));
        const { rows: copies } = await tx.query<{ id: string; exchange_id: string; envelope: { type: string } | null }>(
          'SELECT id, exchange_id, envelope FROM deliveries WHERE exchange_id = ANY($1::uuid[])', [ids],
        );
        // What each recipient's copy carried stays known when the copy is gone.
        const disclosed = copies.map((d) => {
          const document = d.envelope ?? envelopes.get(d.exchange_id);
          return document ? categoriesOf(document).join(',') : null;
        });
        await tx.query(
          `UPDATE deliveries d SET envelope = NULL, disclosed_categories = COALESCE(string_to_array(c.categories, ','), d.disclosed_categories)
             FROM unnest($1::uuid[], $2::text[]) AS c (id, categories) WHERE d.id = c.id`,
          [copies.map((d) => d.id), disclosed],
        );
        await tx.query(
          `WITH purged AS (
             UPDATE exchanges e SET envelope = NULL, purged_at = $1
               FROM unnest($2::uuid[], $3::text[], $4::int[], $5::timestamptz[]) AS p (id, type, days, finished_at)
              WHERE e.id = p.id
             RETURNING e.id, p.type, p.days, p.finished_at
           )
           ${auditRows({ from: 'purged', at: '$1', actor: "'gateway'", action: 'retention.purged', exchangeId: 'id', details: "jsonb_build_object('type', type, 'payloadDays', days, 'finishedAt', finished_at)" })}`,
          [now.toISOString(), ids, due.map((e) => e.type), due.map((e) => e.days), due.map((e) => new Date(e.finished_at).toISOString())],
        );
        return { ids, lastSeq: BigInt(due[due.length - 1]!.seq) };
      }),

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
