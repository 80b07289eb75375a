/**
 * The case projection in the store (migration 022): case metadata per message, referrals
 * and their current state, projected from the audit log in its chained order. One process
 * projects at a time (an advisory lock); the others find nothing to do.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from './database.ts';
import { caseFactsOf, referralTimeline, type CaseFacts, type ReferralState, type StateStep, type ThreadMessage } from '../coordination/referral-state.ts';
import { statisticalFactsOf } from '../statistics/facts.ts';
import { clocksStartedBy, RESPONSE_PENDING_STATES, stops, type AlertKind, type ClockKind, type ClockPolicy, type ClockSpec, type StartingMessage } from '../coordination/clocks.ts';

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

export interface ClockRow {
  id: string;
  kind: ClockKind;
  correlationId: string;
  responsible: string;
  startedBy: string;
  dueAt: Date;
  state: 'pending' | 'fired' | 'stopped';
  firedAt?: Date;
  stoppedAt?: Date;
  stoppedBy?: string;
}

export interface AlertRow {
  id: string;
  clockId?: string;
  kind: AlertKind;
  /** Absent for an alert about no case (a certificate, a peer gateway). */
  correlationId?: string;
  /** Ids of what it is about (deliveryId, serial, consentId, peer). */
  details: Record<string, string>;
  participant: string;
  responsible: string;
  dueAt: Date;
  raisedAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
}

export interface AlertEmailRow {
  alert: AlertRow;
  address: string;
  attempts: number;
}

export interface CoordinationStore {
  /** Projects up to `limit` chained audit entries, starting and stopping clocks; returns how many it read (0: none new, or another process is at it). */
  project(limit: number, clocks: { policy: ClockPolicy; childProtection: string }): Promise<number>;
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
  clocks(correlationId: string): Promise<ClockRow[]>;
  /**
   * Fires up to `limit` clocks due at `now`: each moves to `fired` and raises one alert for
   * its responsible participant and one for each of `coordinators`, with an e-mail row for
   * each address `emails` gives the participant — in one statement, so a clock fires once
   * however many processes run this. Returns the alerts raised.
   */
  fire(now: Date, limit: number, coordinators: string[], emails: Array<{ participant: string; address: string }>): Promise<AlertRow[]>;
  /**
   * Raises the alerts about the machinery that `now` calls for — dead letters, deliveries
   * retrying for longer than `retryingMinutes`, certificates and consents ending within
   * `expiringDays`, peer gateways whose deliveries retry that long — once per condition
   * (its source key), with their e-mail rows. Returns the alerts raised.
   */
  watch(now: Date, settings: WatchSettings, coordinators: string[], emails: Array<{ participant: string; address: string }>): Promise<AlertRow[]>;
  /** Pending clocks already due at `now` (not yet fired). */
  overdue(now: Date): Promise<number>;
  alerts(filter: { participant?: string; open?: boolean; after?: { raisedAt: Date; id: string }; limit: number }): Promise<AlertRow[]>;
  /** `undefined`: no such alert for this participant; `acknowledged: false`: it was acknowledged already. */
  acknowledge(id: string, participant: string, actor: string, now: Date): Promise<{ alert: AlertRow; acknowledged: boolean } | undefined>;
  /** Claims up to `limit` e-mails due at `now` for `leaseMs` (another process skips them meanwhile). */
  claimEmails(now: Date, limit: number, leaseMs: number): Promise<AlertEmailRow[]>;
  emailSent(alertId: string, address: string, at: Date): Promise<void>;
  /** Gives up after `maxAttempts`; otherwise tries again at `retryAt`. */
  emailFailed(alertId: string, address: string, error: string, retryAt: Date, maxAttempts: number): Promise<void>;
}

type ClockSqlRow = {
  id: string; kind: ClockKind; correlation_id: string; responsible: string; started_by: string; due_at: Date | string; state: ClockRow['state'];
  fired_at: Date | string | null; stopped_at: Date | string | null; stopped_by: string | null;
};
const toClock = (r: ClockSqlRow): ClockRow => ({
  id: r.id, kind: r.kind, correlationId: r.correlation_id, responsible: r.responsible, startedBy: r.started_by, dueAt: new Date(r.due_at), state: r.state,
  ...(r.fired_at ? { firedAt: new Date(r.fired_at) } : {}), ...(r.stopped_at ? { stoppedAt: new Date(r.stopped_at) } : {}), ...(r.stopped_by ? { stoppedBy: r.stopped_by } : {}),
});
type AlertSqlRow = {
  id: string; clock_id: string | null; kind: AlertKind; correlation_id: string | null; participant: string; responsible: string; due_at: Date | string; raised_at: Date | string;
  acknowledged_at: Date | string | null; acknowledged_by: string | null; details: Record<string, string> | null;
};
const toAlert = (r: AlertSqlRow): AlertRow => ({
  id: r.id, ...(r.clock_id ? { clockId: r.clock_id } : {}), kind: r.kind, ...(r.correlation_id ? { correlationId: r.correlation_id } : {}), details: r.details ?? {},
  participant: r.participant, responsible: r.responsible,
  dueAt: new Date(r.due_at), raisedAt: new Date(r.raised_at),
  ...(r.acknowledged_at ? { acknowledgedAt: new Date(r.acknowledged_at) } : {}), ...(r.acknowledged_by ? { acknowledgedBy: r.acknowledged_by } : {}),
});
const ALERT_COLUMNS = 'id, clock_id, kind, correlation_id, participant, responsible, due_at, raised_at, acknowledged_at, acknowledged_by, details';

/** What the operational watch looks for (`alerts` in the configuration). */
export interface WatchSettings {
  retryingMinutes: number;
  expiringDays: number;
  /** Participants reached through each peer gateway. */
  peers: ReadonlyArray<{ name: string; participants: readonly string[] }>;
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

/** Each delivery's status changes, oldest first (what a referral's state reads). */
export async function eventsOf(q: Queryable, deliveryIds: string[]) {
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

/** The messages each (thread, sender) pair sent, in acceptance order, keyed `"<correlationId> <sender>"`. */
export async function ownerMessages(q: Queryable, correlationIds: string[], senders: string[]) {
  const { rows } = await q.query<MessageSqlRow & { correlation_id: string }>(
    `SELECT m.correlation_id, m.exchange_id, m.type, m.sender, m.message_id, m.in_reply_to, m.accepted_at, m.facts
       FROM unnest($1::text[], $2::text[]) AS o (correlation_id, sender)
       JOIN case_messages m ON m.correlation_id = o.correlation_id AND m.sender = o.sender
      ORDER BY m.correlation_id, m.sender, m.seq`,
    [correlationIds, senders],
  );
  const byOwner = new Map<string, ThreadMessage[]>();
  for (const r of rows) {
    const key = `${r.correlation_id} ${r.sender}`;
    const list = byOwner.get(key) ?? [];
    list.push(toMessage(r));
    byOwner.set(key, list);
  }
  return byOwner;
}

export function createCoordinationStore(db: Database): CoordinationStore {
  return {
    project: (limit, clocks) =>
      db.transaction(async (tx) => {
        const { rows: [lock] } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PROJECTION_LOCK]);
        if (!lock?.locked) return 0;
        const { rows: [cursor] } = await tx.query<{ position: string }>('SELECT position FROM case_projection WHERE id = 1');
        const { rows: entries } = await tx.query<{ position: string; action: string; exchange_id: string | null; delivery_id: string | null }>(
          `SELECT c.position, a.action, a.exchange_id, a.details ->> 'deliveryId' AS delivery_id FROM audit_chain c JOIN audit_log a ON a.seq = c.seq
            WHERE c.position >= $1 ORDER BY c.position LIMIT $2`,
          [cursor!.position, limit],
        );
        if (entries.length === 0) return 0;
        const relevant = entries.filter((e) => e.exchange_id && (e.action === 'exchange.accepted' || e.action === 'exchange.cancelled' || e.action.startsWith('delivery.')));
        const accepted = [...new Set(relevant.filter((e) => e.action === 'exchange.accepted').map((e) => e.exchange_id!))];
        /** The messages this batch accepted, with their payloads as sent, by thread, in acceptance order. */
        const arrived = new Map<string, Array<StartingMessage & { seq: number }>>();
        if (accepted.length > 0) {
          const { rows: exchanges } = await tx.query<{
            id: string; seq: string; correlation_id: string; type: string; sender: string; accepted_at: Date | string; subject: string | null;
            payload: Record<string, unknown> | null; legal_basis: unknown; recipient_legal_basis: Record<string, unknown> | null;
          }>(
            `SELECT id, seq, correlation_id, type, sender, accepted_at, subject, envelope -> 'payload' AS payload,
                    envelope -> 'legalBasis' AS legal_basis, envelope -> 'recipientLegalBasis' AS recipient_legal_basis
               FROM exchanges WHERE id = ANY($1::uuid[]) ORDER BY seq`, [accepted],
          );
          await tx.query(
            `INSERT INTO case_messages (exchange_id, seq, correlation_id, type, sender, recipients, message_id, in_reply_to, accepted_at, facts)
               SELECT e.id, e.seq, e.correlation_id, e.type, e.sender, e.recipients, e.message_id, e.in_reply_to, e.accepted_at, f.facts
                 FROM unnest($1::uuid[], $2::jsonb[]) AS f (id, facts) JOIN exchanges e ON e.id = f.id
               ON CONFLICT (exchange_id) DO NOTHING`,
            [exchanges.map((e) => e.id), exchanges.map((e) => JSON.stringify(caseFactsOf(e.payload)))],
          );
          // What the national indicators count by (migration 026): read from the payload now, while it is here.
          const counted = exchanges.filter((e) => e.subject && e.payload);
          await tx.query(
            `INSERT INTO statistics_facts (exchange_id, subject, accepted_at, facts)
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::jsonb[]) ON CONFLICT (exchange_id) DO NOTHING`,
            [counted.map((e) => e.id), counted.map((e) => e.subject), counted.map((e) => new Date(e.accepted_at).toISOString()),
              counted.map((e) => JSON.stringify(statisticalFactsOf({
                type: e.type, payload: e.payload, at: new Date(e.accepted_at),
                legalBases: [e.legal_basis, ...Object.values(e.recipient_legal_basis ?? {})],
              })))],
          );
          await tx.query(
            `INSERT INTO referrals (delivery_id, exchange_id, correlation_id, requester, owner, requested_at, urgency, respond_by, state, state_at)
               SELECT d.id, e.id, e.correlation_id, e.sender, d.recipient, e.accepted_at, m.facts ->> 'urgency', (m.facts ->> 'respondBy')::timestamptz, 'requested', e.accepted_at
                 FROM exchanges e JOIN deliveries d ON d.exchange_id = e.id JOIN case_messages m ON m.exchange_id = e.id
                WHERE e.id = ANY($1::uuid[]) AND e.type = 'referral'
               ON CONFLICT (delivery_id) DO NOTHING`,
            [accepted],
          );
          const { rows: deliveries } = await tx.query<{ id: string; exchange_id: string; recipient: string }>(
            'SELECT id, exchange_id, recipient FROM deliveries WHERE exchange_id = ANY($1::uuid[]) ORDER BY recipient', [accepted],
          );
          const started: Array<ClockSpec & { correlationId: string; exchangeId: string; seq: number; deliveryId?: string }> = [];
          for (const e of exchanges) {
            const message = {
              exchangeId: e.id, correlationId: e.correlation_id, type: e.type, sender: e.sender, acceptedAt: new Date(e.accepted_at), seq: Number(e.seq),
              deliveries: deliveries.filter((d) => d.exchange_id === e.id), payload: e.payload,
            };
            arrived.set(e.correlation_id, [...(arrived.get(e.correlation_id) ?? []), message]);
            for (const clock of clocksStartedBy(message, clocks.policy, clocks.childProtection)) {
              const deliveryId = clock.kind === 'response-due' ? clock.key.slice('response-due:'.length) : undefined;
              started.push({ ...clock, correlationId: e.correlation_id, exchangeId: e.id, seq: Number(e.seq), ...(deliveryId ? { deliveryId } : {}) });
            }
          }
          if (started.length > 0) {
            await tx.query(
              `INSERT INTO case_clocks (id, key, kind, correlation_id, responsible, started_by, started_seq, delivery_id, due_at)
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::bigint[], $8::uuid[], $9::timestamptz[])
               ON CONFLICT (key) DO NOTHING`,
              [started.map(() => randomUUID()), started.map((c) => c.key), started.map((c) => c.kind), started.map((c) => c.correlationId), started.map((c) => c.responsible),
                started.map((c) => c.exchangeId), started.map((c) => c.seq), started.map((c) => c.deliveryId ?? null), started.map((c) => c.dueAt.toISOString())],
            );
          }
        }
        if (relevant.length > 0) {
          // Only what this batch can have moved — never a whole thread, however long it is:
          // referrals whose delivery had an event, those of exchanges accepted or cancelled here,
          // and those whose owner sent a message in their thread here.
          const touchedDeliveries = [...new Set(relevant.flatMap((e) => (e.delivery_id ? [e.delivery_id] : [])))];
          const touchedExchanges = [...new Set(relevant.filter((e) => !e.action.startsWith('delivery.')).map((e) => e.exchange_id!))];
          const answers = [...arrived.values()].flat().filter((m) => m.type === 'referral-response' || m.type === 'case-update');
          const { rows } = await tx.query<ReferralSqlRow & { message_id: string }>(
            `SELECT r.delivery_id, r.exchange_id, r.correlation_id, r.requester, r.owner, r.requested_at, r.urgency, r.respond_by, r.state, r.state_at, e.message_id
               FROM (SELECT delivery_id FROM referrals WHERE delivery_id = ANY($1::uuid[])
                     UNION SELECT delivery_id FROM referrals WHERE exchange_id = ANY($2::uuid[])
                     UNION SELECT r.delivery_id FROM unnest($3::text[], $4::text[]) AS o (correlation_id, owner)
                             JOIN referrals r ON r.correlation_id = o.correlation_id AND r.owner = o.owner) touched
               JOIN referrals r ON r.delivery_id = touched.delivery_id JOIN exchanges e ON e.id = r.exchange_id`,
            [touchedDeliveries, touchedExchanges, answers.map((m) => m.correlationId), answers.map((m) => m.sender)],
          );
          // A referral's timeline reads its owner's messages only.
          const owners = [...new Map(rows.map((r) => [`${r.correlation_id} ${r.owner}`, r])).values()];
          const messages = await ownerMessages(tx, owners.map((r) => r.correlation_id), owners.map((r) => r.owner));
          const events = await eventsOf(tx, rows.map((r) => r.delivery_id));
          const changed: Array<{ id: string; state: ReferralState; at: Date }> = [];
          /** Each answered referral's last step: what stops its response-due clock. */
          const answered = new Map<string, StateStep>();
          for (const row of rows) {
            const steps = referralTimeline({
              messageId: row.message_id, owner: row.owner, requestedAt: new Date(row.requested_at),
              deliveryEvents: events.get(row.delivery_id) ?? [], thread: messages.get(`${row.correlation_id} ${row.owner}`) ?? [],
            });
            const last = steps[steps.length - 1]!;
            if (last.state !== row.state) changed.push({ id: row.delivery_id, state: last.state, at: last.at });
            if (!(RESPONSE_PENDING_STATES as readonly string[]).includes(last.state)) answered.set(row.delivery_id, last);
          }
          if (changed.length > 0) {
            await tx.query(
              `UPDATE referrals r SET state = c.state, state_at = c.at FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS c (id, state, at) WHERE r.delivery_id = c.id`,
              [changed.map((c) => c.id), changed.map((c) => c.state), changed.map((c) => c.at.toISOString())],
            );
          }
          // Pending clocks satisfied now: a response-due clock by its referral's answer, the others by a message of their thread accepted here.
          const { rows: pending } = await tx.query<{ id: string; key: string; kind: ClockKind; correlation_id: string; due_at: Date | string; started_seq: string; delivery_id: string | null }>(
            `SELECT id, key, kind, correlation_id, due_at, started_seq, delivery_id FROM case_clocks
              WHERE state = 'pending' AND kind = 'response-due' AND delivery_id = ANY($1::uuid[])
             UNION ALL
             SELECT id, key, kind, correlation_id, due_at, started_seq, delivery_id FROM case_clocks
              WHERE state = 'pending' AND kind <> 'response-due' AND correlation_id = ANY($2::text[])`,
            [[...answered.keys()], [...arrived.keys()]],
          );
          const stopped: Array<{ id: string; at: Date; by: string | null }> = [];
          for (const clock of pending) {
            if (clock.kind === 'response-due') {
              const step = answered.get(clock.delivery_id!)!;
              stopped.push({ id: clock.id, at: step.at, by: step.exchangeId ?? null });
              continue;
            }
            const pendingClock = { key: clock.key, kind: clock.kind, dueAt: new Date(clock.due_at) };
            const by = (arrived.get(clock.correlation_id) ?? []).find((m) => m.seq > Number(clock.started_seq) && stops(pendingClock, m));
            if (by) stopped.push({ id: clock.id, at: by.acceptedAt, by: by.exchangeId });
          }
          if (stopped.length > 0) {
            await tx.query(
              // Only while still pending: a clock the clock job fired meanwhile stays fired, with its alerts.
              `UPDATE case_clocks c SET state = 'stopped', stopped_at = s.at, stopped_by = s.by
                 FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS s (id, at, by) WHERE c.id = s.id AND c.state = 'pending'`,
              [stopped.map((c) => c.id), stopped.map((c) => c.at.toISOString()), stopped.map((c) => c.by)],
            );
          }
        }
        await tx.query('UPDATE case_projection SET position = $1 WHERE id = 1', [Number(entries[entries.length - 1]!.position) + 1]);
        return entries.length;
      }),

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

    async clocks(correlationId) {
      const { rows } = await db.query<ClockSqlRow>(
        'SELECT id, kind, correlation_id, responsible, started_by, due_at, state, fired_at, stopped_at, stopped_by FROM case_clocks WHERE correlation_id = $1 ORDER BY due_at, key',
        [correlationId],
      );
      return rows.map(toClock);
    },

    async fire(now, limit, coordinators, emails) {
      const { rows } = await db.query<AlertSqlRow>(
        `WITH due AS (
           SELECT id FROM case_clocks WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ), fired AS (
           UPDATE case_clocks c SET state = 'fired', fired_at = $1 FROM due WHERE c.id = due.id
           RETURNING c.id, c.kind, c.correlation_id, c.responsible, c.due_at
         ), raised AS (
           INSERT INTO alerts (id, clock_id, kind, correlation_id, participant, responsible, due_at, raised_at)
           SELECT gen_random_uuid(), f.id, f.kind, f.correlation_id, told.participant, f.responsible, f.due_at, $1
             FROM fired f CROSS JOIN LATERAL (SELECT DISTINCT unnest(array_append($3::text[], f.responsible)) AS participant) told
           RETURNING ${ALERT_COLUMNS}
         ), mailed AS (
           INSERT INTO alert_emails (alert_id, address, next_attempt_at)
           SELECT r.id, a.address, $1 FROM raised r JOIN unnest($4::text[], $5::text[]) AS a (participant, address) ON a.participant = r.participant
         )
         SELECT * FROM raised ORDER BY due_at, correlation_id, participant`,
        [now.toISOString(), limit, coordinators, emails.map((e) => e.participant), emails.map((e) => e.address)],
      );
      return rows.map(toAlert);
    },

    async watch(now, settings, coordinators, emails) {
      const peerOf = settings.peers.flatMap((p) => p.participants.map((participant) => ({ participant, peer: p.name })));
      const { rows } = await db.query<AlertSqlRow>(
        `WITH conditions (source_key, kind, correlation_id, responsible, due_at, details, tell) AS (
           -- A dead letter: the sender's message did not arrive (an operator may retry it).
           SELECT 'dead-letter:' || d.id || ':' || (extract(epoch FROM d.status_changed_at) * 1000000)::bigint, 'dead-letter', e.correlation_id, e.sender, d.status_changed_at,
                  jsonb_build_object('deliveryId', d.id, 'recipient', d.recipient), ARRAY[e.sender]
             FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE d.status = 'failed'
           UNION ALL
           -- Retrying for too long: the recipient's system does not take its deliveries.
           SELECT 'retrying:' || d.id, 'delivery-retrying', e.correlation_id, d.recipient, e.accepted_at,
                  jsonb_build_object('deliveryId', d.id, 'sender', e.sender), ARRAY[d.recipient]
             FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
            WHERE d.status = 'retrying' AND e.accepted_at <= $1::timestamptz - make_interval(mins => $2)
              AND NOT d.recipient = ANY($7::text[])
           UNION ALL
           -- A peer gateway abroad that does not take what goes through it: one alert per episode (its oldest waiting delivery).
           SELECT * FROM (
             SELECT DISTINCT ON (p.peer) 'peer-unreachable:' || p.peer || ':' || d.id, 'peer-unreachable', NULL::text, p.peer, e.accepted_at,
                    jsonb_build_object('peer', p.peer, 'deliveryId', d.id), ARRAY[]::text[]
               FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id JOIN unnest($7::text[], $8::text[]) AS p (participant, peer) ON p.participant = d.recipient
              WHERE d.status = 'retrying' AND e.accepted_at <= $1::timestamptz - make_interval(mins => $2)
              ORDER BY p.peer, e.accepted_at, d.id) oldest
           UNION ALL
           -- A participant's certificate ending soon with no successor issued.
           SELECT 'certificate-expiring:' || c.serial, 'certificate-expiring', NULL, c.participant, c.not_after,
                  jsonb_build_object('serial', c.serial), ARRAY[c.participant]
             FROM certificates c
            WHERE c.revoked_at IS NULL AND c.participant IS NOT NULL AND c.subject_kind IN ('participant', 'adapter')
              AND c.not_after > $1 AND c.not_after <= $1::timestamptz + make_interval(days => $3)
              AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.replaces = c.serial AND n.revoked_at IS NULL)
           UNION ALL
           -- A consent ending soon: its recorder may ask the person again.
           SELECT 'consent-expiring:' || k.id, 'consent-expiring', NULL, COALESCE(r.participant, ''), k.valid_until,
                  jsonb_build_object('consentId', k.id), CASE WHEN r.participant IS NULL THEN ARRAY[]::text[] ELSE ARRAY[r.participant] END
             FROM consents k CROSS JOIN LATERAL (SELECT CASE WHEN k.recorded_by LIKE 'participant:%' THEN substr(k.recorded_by, 13)
                                                            WHEN k.recorded_by LIKE 'adapter:%@%' THEN split_part(k.recorded_by, '@', 2) END AS participant) r
            WHERE k.withdrawn_at IS NULL AND k.valid_until > $1 AND k.valid_until <= $1::timestamptz + make_interval(days => $3)
         ), raised AS (
           INSERT INTO alerts (id, source_key, kind, correlation_id, participant, responsible, due_at, raised_at, details)
           SELECT gen_random_uuid(), c.source_key, c.kind, c.correlation_id, told.participant, c.responsible, c.due_at, $1, c.details
             FROM conditions c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.tell || $4::text[]) AS participant) told
            WHERE told.participant <> ''
           ON CONFLICT (source_key, participant) WHERE source_key IS NOT NULL DO NOTHING
           RETURNING ${ALERT_COLUMNS}
         ), mailed AS (
           INSERT INTO alert_emails (alert_id, address, next_attempt_at)
           SELECT r.id, a.address, $1 FROM raised r JOIN unnest($5::text[], $6::text[]) AS a (participant, address) ON a.participant = r.participant
         )
         SELECT * FROM raised ORDER BY kind, participant`,
        [now.toISOString(), settings.retryingMinutes, settings.expiringDays, coordinators, emails.map((e) => e.participant), emails.map((e) => e.address),
          peerOf.map((p) => p.participant), peerOf.map((p) => p.peer)],
      );
      return rows.map(toAlert);
    },

    async overdue(now) {
      const { rows: [row] } = await db.query<{ n: string | number }>("SELECT count(*) AS n FROM case_clocks WHERE state = 'pending' AND due_at <= $1", [now.toISOString()]);
      return Number(row?.n ?? 0);
    },

    async alerts({ participant, open, after, limit }) {
      const { rows } = await db.query<AlertSqlRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts
          WHERE ($1::text IS NULL OR participant = $1) AND (NOT $2::boolean OR acknowledged_at IS NULL)
            AND ($3::timestamptz IS NULL OR (raised_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY raised_at DESC, id DESC LIMIT $5`,
        [participant ?? null, open ?? false, after?.raisedAt.toISOString() ?? null, after?.id ?? null, limit],
      );
      return rows.map(toAlert);
    },

    async acknowledge(id, participant, actor, now) {
      const { rows: [updated] } = await db.query<AlertSqlRow>(
        `UPDATE alerts SET acknowledged_at = $4, acknowledged_by = $3 WHERE id = $1 AND participant = $2 AND acknowledged_at IS NULL RETURNING ${ALERT_COLUMNS}`,
        [id, participant, actor, now.toISOString()],
      );
      if (updated) return { alert: toAlert(updated), acknowledged: true };
      const { rows: [existing] } = await db.query<AlertSqlRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 AND participant = $2`, [id, participant]);
      return existing ? { alert: toAlert(existing), acknowledged: false } : undefined;
    },

    async claimEmails(now, limit, leaseMs) {
      const { rows } = await db.query<AlertSqlRow & { address: string; attempts: number }>(
        `WITH due AS (
           SELECT alert_id, address FROM alert_emails WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE alert_emails m SET attempts = m.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3 / 1000.0)
             FROM due WHERE m.alert_id = due.alert_id AND m.address = due.address
           RETURNING m.alert_id, m.address, m.attempts
         )
         SELECT a.id, a.clock_id, a.kind, a.correlation_id, a.participant, a.responsible, a.due_at, a.raised_at, a.acknowledged_at, a.acknowledged_by, a.details, c.address, c.attempts
           FROM claimed c JOIN alerts a ON a.id = c.alert_id`,
        [now.toISOString(), limit, leaseMs],
      );
      return rows.map((r) => ({ alert: toAlert(r), address: r.address, attempts: r.attempts }));
    },

    async emailSent(alertId, address, at) {
      await db.query("UPDATE alert_emails SET status = 'sent', sent_at = $3, last_error = NULL WHERE alert_id = $1 AND address = $2", [alertId, address, at.toISOString()]);
    },

    async emailFailed(alertId, address, error, retryAt, maxAttempts) {
      await db.query(
        `UPDATE alert_emails SET last_error = $3, next_attempt_at = $4, status = CASE WHEN attempts >= $5 THEN 'failed' ELSE 'pending' END WHERE alert_id = $1 AND address = $2`,
        [alertId, address, error.slice(0, 500), retryAt.toISOString(), maxAttempts],
      );
    },

    async isParty(correlationId, participant) {
      const { rows } = await db.query(
        'SELECT 1 FROM case_messages WHERE correlation_id = $1 AND (sender = $2 OR $2 = ANY(recipients)) LIMIT 1', [correlationId, participant],
      );
      return rows.length > 0;
    },
  };
}
