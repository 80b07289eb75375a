/**
 * The indicators' facts and releases in the store (migration 026). The facts are written by
 * the case projector (coordination-store.ts), in the transaction that projects their
 * exchange; this module reads them, keeps releases and purges facts past their retention.
 */
import { appendAudit } from '../audit/audit-writer.ts';
import type { CaseFacts, ThreadMessage } from '../coordination/referral-state.ts';
import { eventsOf, ownerMessages } from './coordination-store.ts';
import type { StatisticalFacts } from '../statistics/facts.ts';
import type { Database } from './database.ts';

export interface FactRow {
  exchangeId: string;
  /** The subject's pseudonym, a gateway-issued one resolved through its link: one value per person. */
  person: string;
  type: string;
  sender: string;
  recipients: string[];
  correlationId: string;
  acceptedAt: Date;
  caseFacts: CaseFacts;
  facts: StatisticalFacts;
}

export interface ReferralFactRow {
  deliveryId: string;
  exchangeId: string;
  correlationId: string;
  owner: string;
  messageId: string;
  requestedAt: Date;
  /** Its delivery's status changes before the instant asked for, oldest first. */
  events: Array<{ status: string; at: Date }>;
}

export interface StoredRelease {
  year: number;
  asOf: Date;
  k: number;
  body: unknown;
  digest: string;
  releasedAt: Date;
  releasedBy: string;
}

export interface StatisticsStore {
  /** Every message with facts accepted before `asOf`. */
  facts(asOf: Date): Promise<FactRow[]>;
  /** Referrals requested in [from, asOf), with their delivery events before `asOf`. */
  referrals(from: Date, asOf: Date): Promise<ReferralFactRow[]>;
  /** The messages each (thread, sender) pair sent before `asOf`, keyed `"<correlationId> <sender>"`: what a referral's state reads. */
  ownerMessages(pairs: Array<{ correlationId: string; sender: string }>, asOf: Date): Promise<Map<string, ThreadMessage[]>>;
  /** Whether the case projection has read everything the audit log holds from before `asOf`. */
  projectedPast(asOf: Date): Promise<boolean>;
  release(year: number, asOf: Date, k: number): Promise<StoredRelease | undefined>;
  /** Stores a release once (a concurrent first one wins), audited as `statistics.released`; returns the stored one. */
  putRelease(release: Omit<StoredRelease, 'releasedAt'>, cells: number): Promise<StoredRelease>;
  /** Audits that `actor` was given (a part of) a release. */
  exported(actor: string, details: Record<string, unknown>): Promise<void>;
  /** Deletes facts accepted before `before`; returns how many. */
  purgeFacts(before: Date): Promise<number>;
}

type FactSqlRow = {
  exchange_id: string; person: string; type: string; sender: string; recipients: string[]; correlation_id: string;
  accepted_at: Date | string; case_facts: CaseFacts; facts: StatisticalFacts;
};
const toFact = (r: FactSqlRow): FactRow => ({
  exchangeId: r.exchange_id, person: r.person, type: r.type, sender: r.sender, recipients: r.recipients, correlationId: r.correlation_id,
  acceptedAt: new Date(r.accepted_at), caseFacts: r.case_facts, facts: r.facts,
});

type ReleaseSqlRow = { year: number; as_of: Date | string; k: number; body: unknown; digest: string; released_at: Date | string; released_by: string };
const toRelease = (r: ReleaseSqlRow): StoredRelease => ({
  year: r.year, asOf: new Date(r.as_of), k: r.k, body: r.body, digest: r.digest, releasedAt: new Date(r.released_at), releasedBy: r.released_by,
});

export function createStatisticsStore(db: Database): StatisticsStore {
  const readRelease = async (year: number, asOf: Date, k: number) => {
    const { rows: [row] } = await db.query<ReleaseSqlRow>('SELECT * FROM statistics_releases WHERE year = $1 AND as_of = $2 AND k = $3', [year, asOf.toISOString(), k]);
    return row ? toRelease(row) : undefined;
  };
  return {
    async facts(asOf) {
      const { rows } = await db.query<FactSqlRow>(
        `SELECT m.exchange_id, COALESCE(l.computed, f.subject) AS person, m.type, m.sender, m.recipients, m.correlation_id, m.accepted_at, m.facts AS case_facts, f.facts
           FROM statistics_facts f JOIN case_messages m ON m.exchange_id = f.exchange_id
           LEFT JOIN pseudonym_links l ON l.issued = f.subject
          WHERE f.accepted_at < $1 ORDER BY m.accepted_at, m.exchange_id`, [asOf.toISOString()],
      );
      return rows.map(toFact);
    },
    async referrals(from, asOf) {
      const { rows } = await db.query<{ delivery_id: string; exchange_id: string; correlation_id: string; owner: string; message_id: string; requested_at: Date | string }>(
        `SELECT r.delivery_id, r.exchange_id, r.correlation_id, r.owner, m.message_id, r.requested_at
           FROM referrals r JOIN case_messages m ON m.exchange_id = r.exchange_id
          WHERE r.requested_at >= $1 AND r.requested_at < $2 ORDER BY r.requested_at, r.delivery_id`, [from.toISOString(), asOf.toISOString()],
      );
      const events = await eventsOf(db, rows.map((r) => r.delivery_id));
      return rows.map((r) => ({
        deliveryId: r.delivery_id, exchangeId: r.exchange_id, correlationId: r.correlation_id, owner: r.owner, messageId: r.message_id,
        requestedAt: new Date(r.requested_at), events: (events.get(r.delivery_id) ?? []).filter((e) => e.at < asOf),
      }));
    },
    async ownerMessages(pairs, asOf) {
      const unique = [...new Map(pairs.map((p) => [`${p.correlationId} ${p.sender}`, p])).values()];
      const byOwner = await ownerMessages(db, unique.map((p) => p.correlationId), unique.map((p) => p.sender));
      return new Map([...byOwner].map(([key, messages]) => [key, messages.filter((m) => m.acceptedAt < asOf)]));
    },
    async projectedPast(asOf) {
      // Whatever the projection has not read comes after its last entry in the chain's (txid, seq) order.
      const { rows: [row] } = await db.query<{ behind: boolean }>(
        `WITH last AS (SELECT c.txid, c.seq FROM case_projection p JOIN audit_chain c ON c.position = p.position - 1)
         SELECT EXISTS (
           SELECT 1 FROM audit_log a
            WHERE a.at < $1 AND (NOT EXISTS (SELECT 1 FROM last) OR (a.txid, a.seq) > (SELECT txid, seq FROM last))
         ) AS behind`, [asOf.toISOString()],
      );
      return !row!.behind;
    },
    release: readRelease,
    async putRelease(release, cells) {
      await db.transaction(async (tx) => {
        const { rows: inserted } = await tx.query(
          `INSERT INTO statistics_releases (year, as_of, k, body, digest, released_by) VALUES ($1, $2, $3, $4::jsonb, $5, $6)
           ON CONFLICT (year, as_of, k) DO NOTHING RETURNING year`,
          [release.year, release.asOf.toISOString(), release.k, JSON.stringify(release.body), release.digest, release.releasedBy],
        );
        if (inserted.length === 1) {
          await appendAudit(tx, { actor: release.releasedBy, action: 'statistics.released', details: { year: release.year, asOf: release.asOf.toISOString(), k: release.k, digest: release.digest, cells } });
        }
      });
      return (await readRelease(release.year, release.asOf, release.k))!;
    },
    exported: (actor, details) => appendAudit(db, { actor, action: 'statistics.exported', details }),
    async purgeFacts(before) {
      const { rows } = await db.query<{ n: number }>('WITH gone AS (DELETE FROM statistics_facts WHERE accepted_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone', [before.toISOString()]);
      return rows[0]!.n;
    },
  };
}
