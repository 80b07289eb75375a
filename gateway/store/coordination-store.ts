/**
 * The case projection in the store (migration 022): case metadata per message, referrals
 * and their current state, projected from the audit log in its chained order. One process
 * projects at a time (an advisory lock); the others find nothing to do.
 */
import type { Database, Queryable } from './database.ts';
import { caseFactsOf, referralTimeline, type CaseFacts, type ReferralState, type ThreadMessage } from '../coordination/referral-state.ts';

const PROJECTION_LOCK = 7_402_120;

export interface ReferralRow {
  deliveryId: string;
  exchangeId: string;
  correlationId: string;
  requester: string;
  owner: string;
  requestedAt: Date;
  urgency?: string;
  respondBy?: Date;
  state: ReferralState;
  stateAt: Date;
}

export interface ReferralFilter {
  /** Referrals this participant sent or was sent. */
  party?: string;
  owner?: string;
  requester?: string;
  state?: ReferralState;
  correlationId?: string;
  /** After this delivery id's referral in the listing's order (requested_at, delivery_id): the next page. */
  after?: { requestedAt: Date; deliveryId: string };
  limit: number;
}

/** Everything a case-thread view is made of. */
export interface ThreadFacts {
  messages: ThreadMessage[];
  /** Per message: its recipients and, for each, the categories withheld from its copy. */
  copies: Map<string, Array<{ recipient: string; withheld: string[] }>>;
  referrals: ReferralRow[];
  deliveryEvents: Map<string, Array<{ status: string; at: Date }>>;
}

export interface CoordinationStore {
  /** Projects up to `limit` chained audit entries; returns how many it read (0: none new, or another process is at it). */
  project(limit: number): Promise<number>;
  /** Chained entries not yet projected. */
  behind(): Promise<number>;
  referrals(filter: ReferralFilter): Promise<ReferralRow[]>;
  /** `undefined`: no such thread projected. */
  thread(correlationId: string): Promise<ThreadFacts | undefined>;
  /** Whether the participant sent or received any message of the thread. */
  isParty(correlationId: string, participant: string): Promise<boolean>;
  /**
   * The payloads of the thread as this participant holds them: what it sent, and the copy
   * it was delivered of what it received (minimised as it was), in acceptance order. None
   * once purged.
   */
  heldPayloads(correlationId: string, participant: string): Promise<Array<{ exchangeId: string; sender: string; acceptedAt: Date; payload: Record<string, unknown> }>>;
}

type ReferralSqlRow = {
  delivery_id: string; exchange_id: string; correlation_id: string; requester: string; owner: string; requested_at: Date | string;
  urgency: string | null; respond_by: Date | string | null; state: ReferralState; state_at: Date | string;
};
const toReferral = (r: ReferralSqlRow): ReferralRow => ({
  deliveryId: r.delivery_id, exchangeId: r.exchange_id, correlationId: r.correlation_id, requester: r.requester, owner: r.owner,
  requestedAt: new Date(r.requested_at), ...(r.urgency ? { urgency: r.urgency } : {}), ...(r.respond_by ? { respondBy: new Date(r.respond_by) } : {}),
  state: r.state, stateAt: new Date(r.state_at),
});
type MessageSqlRow = {
  exchange_id: string; type: string; sender: string; message_id: string; in_reply_to: string | null; accepted_at: Date | string; facts: CaseFacts;
};
const toMessage = (r: MessageSqlRow): ThreadMessage => ({
  exchangeId: r.exchange_id, type: r.type, sender: r.sender, messageId: r.message_id, ...(r.in_reply_to ? { inReplyTo: r.in_reply_to } : {}),
  acceptedAt: new Date(r.accepted_at), facts: r.facts,
});

const REFERRAL_COLUMNS = 'delivery_id, exchange_id, correlation_id, requester, owner, requested_at, urgency, respond_by, state, state_at';

async function eventsOf(q: Queryable, deliveryIds: string[]) {
  const { rows } = await q.query<{ delivery_id: string; status: string; at: Date | string }>(
    'SELECT delivery_id, status, at FROM delivery_events WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, id', [deliveryIds],
  );
  const events = new Map<string, Array<{ status: string; at: Date }>>();
  for (const r of rows) {
    const list = events.get(r.delivery_id) ?? [];
    list.push({ status: r.status, at: new Date(r.at) });
    events.set(r.delivery_id, list);
  }
  return events;
}

async function threadMessages(q: Queryable, correlationIds: string[]) {
  const { rows } = await q.query<MessageSqlRow & { correlation_id: string }>(
    `SELECT correlation_id, exchange_id, type, sender, message_id, in_reply_to, accepted_at, facts FROM case_messages
      WHERE correlation_id = ANY($1::text[]) ORDER BY correlation_id, seq`, [correlationIds],
  );
  const threads = new Map<string, ThreadMessage[]>();
  for (const r of rows) {
    const list = threads.get(r.correlation_id) ?? [];
    list.push(toMessage(r));
    threads.set(r.correlation_id, list);
  }
  return threads;
}

export function createCoordinationStore(db: Database): CoordinationStore {
  return {
    project: (limit) =>
      db.transaction(async (tx) => {
        const { rows: [lock] } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PROJECTION_LOCK]);
        if (!lock?.locked) return 0;
        const { rows: [cursor] } = await tx.query<{ position: string }>('SELECT position FROM case_projection WHERE id = 1');
        const { rows: entries } = await tx.query<{ position: string; action: string; exchange_id: string | null }>(
          `SELECT c.position, a.action, a.exchange_id FROM audit_chain c JOIN audit_log a ON a.seq = c.seq
            WHERE c.position >= $1 ORDER BY c.position LIMIT $2`,
          [cursor!.position, limit],
        );
        if (entries.length === 0) return 0;
        const relevant = entries.filter((e) => e.exchange_id && (e.action === 'exchange.accepted' || e.action === 'exchange.cancelled' || e.action.startsWith('delivery.')));
        const accepted = [...new Set(relevant.filter((e) => e.action === 'exchange.accepted').map((e) => e.exchange_id!))];
        if (accepted.length > 0) {
          const { rows: exchanges } = await tx.query<{ id: string; type: string; payload: Record<string, unknown> | null }>(
            "SELECT id, type, envelope -> 'payload' AS payload FROM exchanges WHERE id = ANY($1::uuid[])", [accepted],
          );
          await tx.query(
            `INSERT INTO case_messages (exchange_id, seq, correlation_id, type, sender, recipients, message_id, in_reply_to, accepted_at, facts)
               SELECT e.id, e.seq, e.correlation_id, e.type, e.sender, e.recipients, e.message_id, e.in_reply_to, e.accepted_at, f.facts
                 FROM unnest($1::uuid[], $2::jsonb[]) AS f (id, facts) JOIN exchanges e ON e.id = f.id
               ON CONFLICT (exchange_id) DO NOTHING`,
            [exchanges.map((e) => e.id), exchanges.map((e) => JSON.stringify(caseFactsOf(e.payload)))],
          );
          await tx.query(
            `INSERT INTO referrals (delivery_id, exchange_id, correlation_id, requester, owner, requested_at, urgency, respond_by, state, state_at)
               SELECT d.id, e.id, e.correlation_id, e.sender, d.recipient, e.accepted_at, m.facts ->> 'urgency', (m.facts ->> 'respondBy')::timestamptz, 'requested', e.accepted_at
                 FROM exchanges e JOIN deliveries d ON d.exchange_id = e.id JOIN case_messages m ON m.exchange_id = e.id
                WHERE e.id = ANY($1::uuid[]) AND e.type = 'referral'
               ON CONFLICT (delivery_id) DO NOTHING`,
            [accepted],
          );
        }
        if (relevant.length > 0) {
          const { rows: threads } = await tx.query<{ correlation_id: string }>(
            'SELECT DISTINCT correlation_id FROM exchanges WHERE id = ANY($1::uuid[])', [[...new Set(relevant.map((e) => e.exchange_id!))]],
          );
          const correlationIds = threads.map((t) => t.correlation_id);
          const { rows } = await tx.query<ReferralSqlRow & { message_id: string }>(
            `SELECT r.delivery_id, r.exchange_id, r.correlation_id, r.requester, r.owner, r.requested_at, r.urgency, r.respond_by, r.state, r.state_at, e.message_id
               FROM referrals r JOIN exchanges e ON e.id = r.exchange_id WHERE r.correlation_id = ANY($1::text[])`,
            [correlationIds],
          );
          const messages = await threadMessages(tx, correlationIds);
          const events = await eventsOf(tx, rows.map((r) => r.delivery_id));
          const changed: Array<{ id: string; state: ReferralState; at: Date }> = [];
          for (const row of rows) {
            const steps = referralTimeline({
              messageId: row.message_id, owner: row.owner, requestedAt: new Date(row.requested_at),
              deliveryEvents: events.get(row.delivery_id) ?? [], thread: messages.get(row.correlation_id) ?? [],
            });
            const last = steps[steps.length - 1]!;
            if (last.state !== row.state) changed.push({ id: row.delivery_id, state: last.state, at: last.at });
          }
          if (changed.length > 0) {
            await tx.query(
              `UPDATE referrals r SET state = c.state, state_at = c.at FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS c (id, state, at) WHERE r.delivery_id = c.id`,
              [changed.map((c) => c.id), changed.map((c) => c.state), changed.map((c) => c.at.toISOString())],
            );
          }
        }
        await tx.query('UPDATE case_projection SET position = $1 WHERE id = 1', [Number(entries[entries.length - 1]!.position) + 1]);
        return entries.length;
      }),

    async behind() {
      const { rows: [row] } = await db.query<{ n: string | number }>(
        'SELECT GREATEST(0, COALESCE((SELECT max(position) + 1 FROM audit_chain), 0) - (SELECT position FROM case_projection WHERE id = 1)) AS n',
      );
      return Number(row?.n ?? 0);
    },

    async referrals(filter) {
      const { rows } = await db.query<ReferralSqlRow>(
        `SELECT ${REFERRAL_COLUMNS} FROM referrals
          WHERE ($1::text IS NULL OR owner = $1 OR requester = $1)
            AND ($2::text IS NULL OR owner = $2) AND ($3::text IS NULL OR requester = $3)
            AND ($4::text IS NULL OR state = $4) AND ($5::text IS NULL OR correlation_id = $5)
            AND ($6::timestamptz IS NULL OR (requested_at, delivery_id) > ($6::timestamptz, $7::uuid))
          ORDER BY requested_at, delivery_id LIMIT $8`,
        [filter.party ?? null, filter.owner ?? null, filter.requester ?? null, filter.state ?? null, filter.correlationId ?? null,
          filter.after?.requestedAt.toISOString() ?? null, filter.after?.deliveryId ?? null, filter.limit],
      );
      return rows.map(toReferral);
    },

    async thread(correlationId) {
      const messages = (await threadMessages(db, [correlationId])).get(correlationId);
      if (!messages) return undefined;
      const { rows: copies } = await db.query<{ exchange_id: string; recipient: string; withheld_categories: string[] }>(
        `SELECT d.exchange_id, d.recipient, d.withheld_categories FROM deliveries d JOIN case_messages m ON m.exchange_id = d.exchange_id
          WHERE m.correlation_id = $1`, [correlationId],
      );
      const byMessage = new Map<string, Array<{ recipient: string; withheld: string[] }>>();
      for (const c of copies) byMessage.set(c.exchange_id, [...(byMessage.get(c.exchange_id) ?? []), { recipient: c.recipient, withheld: c.withheld_categories }]);
      const { rows } = await db.query<ReferralSqlRow>(`SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE correlation_id = $1 ORDER BY requested_at, delivery_id`, [correlationId]);
      const referrals = rows.map(toReferral);
      return { messages, copies: byMessage, referrals, deliveryEvents: await eventsOf(db, referrals.map((r) => r.deliveryId)) };
    },

    async heldPayloads(correlationId, participant) {
      const { rows } = await db.query<{ exchange_id: string; sender: string; accepted_at: Date | string; payload: Record<string, unknown> | null }>(
        `SELECT m.exchange_id, m.sender, m.accepted_at,
                CASE WHEN m.sender = $2 THEN e.envelope -> 'payload' ELSE COALESCE(d.envelope, e.envelope) -> 'payload' END AS payload
           FROM case_messages m JOIN exchanges e ON e.id = m.exchange_id
           LEFT JOIN deliveries d ON d.exchange_id = m.exchange_id AND d.recipient = $2 AND d.status IN ('delivered', 'acknowledged')
          WHERE m.correlation_id = $1 AND (m.sender = $2 OR d.id IS NOT NULL) ORDER BY m.seq`,
        [correlationId, participant],
      );
      return rows.filter((r) => r.payload).map((r) => ({ exchangeId: r.exchange_id, sender: r.sender, acceptedAt: new Date(r.accepted_at), payload: r.payload! }));
    },

    async isParty(correlationId, participant) {
      const { rows } = await db.query(
        'SELECT 1 FROM case_messages WHERE correlation_id = $1 AND (sender = $2 OR $2 = ANY(recipients)) LIMIT 1', [correlationId, participant],
      );
      return rows.length > 0;
    },
  };
}
