/** Webhook registrations and the dispatcher's reading position in the event log. */
import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';
import { SETTLED_EVENT, type StatusEventRow } from './delivery-store.ts';
import { auditRows } from '../audit/audit-writer.ts';

/** A registered webhook. */
export interface WebhookRow {
  id: string;
  participant: string;
  url: string;
  createdAt: string;
  /** Set when its notifications failed for good too often in a row; it gets none until registered again. */
  suspendedAt?: string;
}

/** An alert's webhook notification (the `alertRaised` webhook of the contract). */
export interface AlertNotification {
  alertId: string;
  kind: string;
  correlationId?: string;
  details: Record<string, string>;
  participant: string;
  responsible: string;
  dueAt: string;
  raisedAt: string;
}

/** Notifications failing for good in a row before a webhook is suspended. */
export const WEBHOOK_SUSPEND_AFTER = 20;

/** Webhooks and their dispatch. */
export interface WebhookStore {
  /** Registers `url` for `participant`, audited as `actor` in the same statement. */
  register(participant: string, url: string, actor: string): Promise<WebhookRow>;
  list(participant: string): Promise<WebhookRow[]>;
  /** Soft-deletes; false when `participant` has no such webhook. */
  /** Removes a webhook of `participant`, audited as `actor` when there was one. */
  remove(participant: string, id: string, actor: string): Promise<boolean>;
  get(id: string): Promise<WebhookRow | undefined>;
  /**
   * One dispatch step: reads events after the cursor (locking it, so one dispatcher at a
   * time), lets `enqueue` queue a notification per (event, webhook of the exchange's
   * sender), then advances the cursor. If `enqueue` throws, the cursor stays.
   */
  dispatch(limit: number, enqueue: (jobs: Array<{ event: StatusEventRow; webhookId: string }>) => Promise<void>): Promise<number>;
  /** One event by id, for the notification worker. */
  event(eventId: string): Promise<StatusEventRow | undefined>;
  /**
   * Alerts not yet handed to the webhook queue (locked, so concurrent dispatchers take
   * different ones): `enqueue` queues one notification per (alert, webhook of the alert's
   * participant), then they are marked. If `enqueue` throws, they stay for the next step.
   */
  dispatchAlerts(limit: number, enqueue: (jobs: Array<{ alertId: string; webhookId: string }>) => Promise<void>): Promise<number>;
  /** One alert as its webhook notification says it: ids, times and the link only. */
  alert(alertId: string): Promise<AlertNotification | undefined>;
  /** A notification went through: the count of failures in a row starts again. */
  notified(webhookId: string): Promise<void>;
  /** A notification failed for good (every retry spent, or refused); true when this suspended the webhook. */
  failedForGood(webhookId: string): Promise<boolean>;
}

const EVENT_COLUMNS = `ev.id::text AS event_id, d.exchange_id, e.message_id, ev.delivery_id, d.recipient, e.sender, ev.status, ev.at`;

interface EventRow {
  event_id: string;
  exchange_id: string;
  message_id: string;
  delivery_id: string;
  recipient: string;
  sender: string;
  status: StatusEventRow['status'];
  at: Date;
}

const toEvent = (r: EventRow): StatusEventRow => ({
  eventId: r.event_id, exchangeId: r.exchange_id, messageId: r.message_id, deliveryId: r.delivery_id,
  recipient: r.recipient, sender: r.sender, status: r.status, at: r.at.toISOString(),
});

type Row = { id: string; participant: string; url: string; created_at: Date; suspended_at: Date | null };
const toWebhook = (r: Row): WebhookRow => ({
  id: r.id, participant: r.participant, url: r.url, createdAt: r.created_at.toISOString(),
  ...(r.suspended_at ? { suspendedAt: r.suspended_at.toISOString() } : {}),
});

/** The webhook store on `db`. */
export function createWebhookStore(db: Database): WebhookStore {
  return {
    async register(participant, url, actor) {
      const { rows } = await db.query<Row>(
        `WITH registered AS (INSERT INTO webhooks (id, participant, url) VALUES ($1, $2, $3) RETURNING id, participant, url, created_at, suspended_at),
         audit AS (${auditRows({ from: 'registered', actor: '$4', action: 'webhook.registered', details: "jsonb_build_object('webhookId', id, 'participant', participant)" })})
         SELECT * FROM registered`,
        [randomUUID(), participant, url, actor],
      );
      return toWebhook(rows[0]!);
    },
    async list(participant) {
      const { rows } = await db.query<Row>(
        'SELECT id, participant, url, created_at, suspended_at FROM webhooks WHERE participant = $1 AND deleted_at IS NULL ORDER BY created_at',
        [participant],
      );
      return rows.map(toWebhook);
    },
    async remove(participant, id, actor) {
      const { rows } = await db.query(
        `WITH removed AS (UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND participant = $2 AND deleted_at IS NULL RETURNING id),
         audit AS (${auditRows({ from: 'removed', actor: '$3', action: 'webhook.removed', details: "jsonb_build_object('webhookId', id)" })})
         SELECT id FROM removed`,
        [id, participant, actor],
      );
      return rows.length === 1;
    },
    async get(id) {
      const { rows } = await db.query<Row>(
        'SELECT id, participant, url, created_at, suspended_at FROM webhooks WHERE id = $1 AND deleted_at IS NULL',
        [id],
      );
      return rows[0] && toWebhook(rows[0]);
    },
    async dispatch(limit, enqueue) {
      return db.transaction(async (tx) => {
        const cursor = await tx.query<{ last: string }>('SELECT last_event_id::text AS last FROM webhook_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED');
        if (!cursor.rows[0]) return 0;
        const { rows } = await tx.query<EventRow & { webhook_id: string | null }>(
          `SELECT ${EVENT_COLUMNS}, w.id AS webhook_id FROM delivery_events ev
           JOIN deliveries d ON d.id = ev.delivery_id JOIN exchanges e ON e.id = d.exchange_id
           LEFT JOIN webhooks w ON w.participant = e.sender AND w.deleted_at IS NULL AND w.suspended_at IS NULL
           WHERE ev.id > $1 AND ${SETTLED_EVENT} ORDER BY ev.id LIMIT $2`,
          [cursor.rows[0].last, limit],
        );
        if (rows.length === 0) return 0;
        // Only whole events: a cut between two webhooks of one event would skip the second.
        const lastId = rows[rows.length - 1]!.event_id;
        const complete = rows.length < limit ? rows : rows.filter((r) => r.event_id !== lastId);
        const upTo = complete.length > 0 ? complete[complete.length - 1]!.event_id : lastId;
        const jobs = (complete.length > 0 ? complete : rows).filter((r) => r.webhook_id).map((r) => ({ event: toEvent(r), webhookId: r.webhook_id! }));
        await enqueue(jobs);
        await tx.query('UPDATE webhook_cursor SET last_event_id = $1 WHERE id = 1', [upTo]);
        return jobs.length;
      });
    },
    async dispatchAlerts(limit, enqueue) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string; webhook_id: string | null }>(
          `WITH due AS (SELECT id, participant FROM alerts WHERE NOT webhooks_dispatched ORDER BY raised_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           SELECT due.id, w.id AS webhook_id FROM due
             LEFT JOIN webhooks w ON w.participant = due.participant AND w.deleted_at IS NULL AND w.suspended_at IS NULL`,
          [limit],
        );
        if (rows.length === 0) return 0;
        const jobs = rows.filter((r) => r.webhook_id).map((r) => ({ alertId: r.id, webhookId: r.webhook_id! }));
        await enqueue(jobs);
        await tx.query('UPDATE alerts SET webhooks_dispatched = true WHERE id = ANY($1::uuid[])', [[...new Set(rows.map((r) => r.id))]]);
        return jobs.length;
      });
    },
    async alert(alertId) {
      const { rows: [r] } = await db.query<{ id: string; kind: string; correlation_id: string | null; details: Record<string, string>; participant: string; responsible: string; due_at: Date; raised_at: Date }>(
        'SELECT id, kind, correlation_id, details, participant, responsible, due_at, raised_at FROM alerts WHERE id = $1', [alertId],
      );
      return r && {
        alertId: r.id, kind: r.kind, ...(r.correlation_id ? { correlationId: r.correlation_id } : {}), details: r.details, participant: r.participant, responsible: r.responsible,
        dueAt: new Date(r.due_at).toISOString(), raisedAt: new Date(r.raised_at).toISOString(),
      };
    },
    async notified(webhookId) {
      await db.query('UPDATE webhooks SET failed_in_a_row = 0 WHERE id = $1 AND failed_in_a_row > 0', [webhookId]);
    },
    async failedForGood(webhookId) {
      const { rows } = await db.query<{ suspended: boolean }>(
        `UPDATE webhooks SET failed_in_a_row = failed_in_a_row + 1,
           suspended_at = CASE WHEN failed_in_a_row + 1 >= $2 THEN COALESCE(suspended_at, now()) ELSE suspended_at END
         WHERE id = $1 AND deleted_at IS NULL RETURNING suspended_at IS NOT NULL AND failed_in_a_row = $2 AS suspended`,
        [webhookId, WEBHOOK_SUSPEND_AFTER],
      );
      return rows[0]?.suspended ?? false;
    },
    async event(eventId) {
      const { rows } = await db.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM delivery_events ev JOIN deliveries d ON d.id = ev.delivery_id JOIN exchanges e ON e.id = d.exchange_id WHERE ev.id = $1`,
        [eventId],
      );
      return rows[0] && toEvent(rows[0]);
    },
  };
}
