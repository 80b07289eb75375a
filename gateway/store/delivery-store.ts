/**
 * Delivery state in PostgreSQL: every status change is a guarded update, so two actors can
 * never both win. The database checks the move and writes its event (migration 010): a
 * statement sets `status` and, to say why, `status_detail`.
 */
import type { Delivery, DeliveryStatus } from '../../schemas/index.ts';
import type { Database, Queryable } from './database.ts';
import { appendAudit, auditRows } from '../audit/audit-writer.ts';
import { DELIVERABLE, NOT_YET_SENT } from '../deliveries/status.ts';

export { DELIVERABLE, NOT_YET_SENT };

/** Why a delivery was withheld when the consent it relied on lapsed or was withdrawn before it went. */
const CONSENT_LAPSED = 'the consent relied on is no longer valid';

/**
 * SQL: withholds the deliveries `d` that `where` picks (joining `from` when given), saying
 * `reason` in their event; returns their ids. The one statement shape every withholding
 * uses: at withdrawal, at a worker's start, at the inbox.
 */
export function withhold(options: { from?: string; where: string; reason: string }): string {
  return `UPDATE deliveries d SET status = 'withheld', status_detail = ${sqlJson({ reason: options.reason })}
           ${options.from ? `FROM ${options.from}` : ''} WHERE ${options.where}
           RETURNING d.id`;
}

/** A constant JSON value as an SQL literal. */
const sqlJson = (value: unknown): string => `'${JSON.stringify(value).replaceAll("'", "''")}'::jsonb`;

/** How a delivery reaches its recipient: pushed by an adapter, or pulled from the inbox. */
export type Channel = 'push' | 'pull';

/** What a worker needs to deliver. */
export interface DeliveryWork {
  envelope: Record<string, unknown>;
  envelopeDigest: string;
  /** The gateway's detached JWS over the canonical envelope. */
  seal: string;
}

/** An error as recorded on an attempt. */
export interface AttemptError {
  code: string;
  message: string;
  permanent?: boolean;
}

/** One recorded attempt. */
export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  outcome: 'delivered' | 'transient-error' | 'permanent-error';
  error?: AttemptError;
  /** The recipient system's own reference for what it took (a registration number), when it gave one. */
  remoteReference?: string;
}

/** A verified receipt the recipient's system returned with a delivery, and who is recorded as acknowledging. */
export interface AnsweredReceipt {
  jws: string;
  actor: string;
}

/** An outbox row the relay hands to the queues. */
export interface OutboxEntry {
  deliveryId: string;
  recipient: string;
}

/** A status change as streamed and sent to webhooks. */
export interface StatusEventRow {
  eventId: string;
  exchangeId: string;
  messageId: string;
  deliveryId: string;
  recipient: string;
  sender: string;
  status: DeliveryStatus;
  at: string;
}

/** A dead letter as operators see it. */
/** The first wait after a receipt to a peer could not go (ms); it doubles each time, up to {@link PEER_RECEIPT_BACKOFF_MAX}. */
export const PEER_RECEIPT_BACKOFF = 5_000;
export const PEER_RECEIPT_BACKOFF_MAX = 3_600_000;
/** A receipt owed to a peer for this long (ms, a week) is set aside and logged as abandoned. */
export const PEER_RECEIPT_GIVE_UP = 7 * 24 * 3_600_000;

export interface PeerReceiptDue {
  deliveryId: string;
  peer: string;
  peerDeliveryId: string;
  envelopeDigest: string;
  acknowledgedAt: string;
  /** Earlier passes that could not send it. */
  attempts: number;
}

export interface DeadLetterRow {
  deliveryId: string;
  exchangeId: string;
  messageId: string;
  sender: string;
  recipient: string;
  failedAt: string;
  attempts: number;
  lastError: AttemptError;
}

/** An inbox entry: the delivery and the envelope to hand over. */
export interface InboxRow {
  deliveryId: string;
  exchangeId: string;
  envelopeDigest: string;
  envelope: Record<string, unknown>;
  seal: string;
}

/** Reads and moves deliveries. */
export interface DeliveryStore {
  /** Deliveries by recipient and status (metrics). */
  statusCounts(): Promise<Array<{ recipient: string; status: string; count: number }>>;
  /**
   * One relay step: claims up to `limit` outbox rows (skipping rows another relay holds)
   * and marks their deliveries `queued`, committed; then lets `enqueue` put the push
   * deliveries on their queues, then deletes the rows. If `enqueue` throws, the claim is
   * released and the rows wait for the next step; a relay that dies mid-step leaves a
   * claim that lapses after a minute.
   */
  relay(limit: number, channels: Readonly<Record<string, Channel>>, enqueue: (entries: OutboxEntry[]) => Promise<void>): Promise<number>;
  /**
   * Moves a deliverable, unexpired delivery to `delivering` and returns what to deliver,
   * in one statement; `undefined` when it is not (cancelled, expired, done, raced).
   */
  startAttempt(deliveryId: string, detail: Record<string, unknown>): Promise<DeliveryWork | undefined>;
  /**
   * Records an attempt and moves the delivery from `delivering` to `to`, in one statement.
   * With the recipient's `receipt` (verified; it came with the answer to the attempt), `to`
   * is `acknowledged`: the hand-over and the acknowledgement are recorded and audited together.
   */
  finishAttempt(deliveryId: string, attempt: AttemptRecord, to: DeliveryStatus, detail?: Record<string, unknown>, receipt?: AnsweredReceipt): Promise<void>;
  /**
   * A receipt: when `recipient` is the delivery's and `envelopeDigest` its envelope's, moves
   * it to `acknowledged` (recording `delivered` first if the worker had not yet) and audits,
   * in one statement. Returns what it found, and whether it moved.
   */
  acknowledge(options: { deliveryId: string; recipient: string; envelopeDigest: string; receipt: string; channel?: Channel; actor: string; via: string }): Promise<
    { found: false } | { found: true; moved: boolean; digestMatches: boolean; channel: Channel | null; delivery: Delivery }
  >;
  /**
   * Expires one delivery a worker could not start because its time-to-live passed. Unlike
   * the sweep, this includes `delivering`: the worker holding the job knows no attempt is
   * in flight. True when it moved.
   */
  expireIfDue(deliveryId: string): Promise<boolean>;
  /**
   * Withholds one delivery a worker could not start because the consent it relies on was
   * withdrawn, has expired or is not valid yet. True when it moved.
   */
  withholdIfNoBasis(deliveryId: string): Promise<boolean>;
  /** Push deliveries that should have a job (deliverable, unchanged for `quietMs`), by id after `afterId`: one page of a full scan. */
  unfinishedPush(quietMs: number, limit: number, afterId?: string): Promise<Array<{ id: string; recipient: string }>>;
  /** Expires every delivery past its time-to-live that was not sent yet; returns their ids. */
  expireDue(): Promise<string[]>;
  /** Cancels what was not sent yet, audited as `actor` when anything was; returns the ids cancelled. */
  cancel(exchangeId: string, actor: string, reason?: string): Promise<string[]>;
  /** Pull-mode deliveries waiting for `recipient`; those fetched for the first time become `delivered`. */
  inbox(recipient: string, limit: number): Promise<InboxRow[]>;
  /** One delivery as the API shows it. */
  get(deliveryId: string): Promise<Delivery | undefined>;
  /** Records which peer delivery a relayed envelope's delivery to `recipient` answers (first one wins). */
  rememberPeerDelivery(exchangeId: string, recipient: string, peer: string, peerDeliveryId: string): Promise<void>;
  /**
   * Acknowledged deliveries of relayed envelopes whose receipt has not gone back to the peer
   * yet and is due now (never tried, or its back-off has passed), longest waiting first.
   */
  peerReceiptsDue(limit: number): Promise<PeerReceiptDue[]>;
  /** The receipt went back to the peer (or the peer refused it for good). */
  peerReceiptSent(deliveryId: string): Promise<void>;
  /**
   * The receipt could not go now: try again after a back-off that doubles from
   * {@link PEER_RECEIPT_BACKOFF} up to an hour, or set it aside for good (`abandoned`) once it
   * has been owed for {@link PEER_RECEIPT_GIVE_UP}.
   */
  peerReceiptDeferred(deliveryId: string): Promise<{ abandoned: boolean; nextAttemptAt?: string }>;
  deadLetters(filter: { recipient?: string; limit: number }): Promise<DeadLetterRow[]>;
  /** `failed` → `queued` with a new outbox row, audited as `actor` when any moved; returns the ids retried. */
  retryDeadLetters(filter: { deliveryId?: string; recipient?: string }, actor: string): Promise<string[]>;
  /** Sets a dead letter aside for good, audited in the same statement; false when there was none. */
  discardDeadLetter(deliveryId: string, reason: string, actor: string): Promise<boolean>;
  /** Status events of an exchange after `afterEventId`, oldest first. */
  events(exchangeId: string, afterEventId: bigint, recipient?: string): Promise<StatusEventRow[]>;
  /**
   * What changed after `afterEventId` across all exchanges, oldest first, for the one status
   * feed of a process: which exchanges, and which recipients' pull deliveries. `latest` is
   * the cursor to pass next time; `full` says the read stopped at `limit`.
   */
  changesAfter(afterEventId: bigint, limit: number): Promise<{ latest: bigint; exchanges: string[]; pullRecipients: string[]; full: boolean }>;
  /** The id of the newest settled status event, where a new feed starts. */
  latestEventId(): Promise<bigint>;
}

/**
 * Events a cursor may pass: those whose transaction is older than every transaction still
 * running. An event with a lower id whose transaction has not committed yet is never skipped.
 */
export const SETTLED_EVENT = 'ev.txid < pg_snapshot_xmin(pg_current_snapshot())';

/** Status events one read of an exchange's events returns at most. */
export const EVENTS_PAGE = 500;

/**
 * SQL: the audit entries of acknowledgements, one per row of `from` (`id`, `exchange_id`,
 * `recipient`, `status_changed_at`, `was_delivering`): first the hand-over, where the receipt
 * came before the worker recorded it (the outcome trigger audits only a move to `delivered`),
 * then the acknowledgement.
 */
const acknowledgementAudit = (from: string, actor: string, via: string): string =>
  auditRows([
    { from: `${from} WHERE was_delivering`, actor: "'gateway'", action: 'delivery.delivered', exchangeId: 'exchange_id', at: 'status_changed_at', details: "jsonb_build_object('deliveryId', id, 'recipient', recipient)" },
    { from, actor, action: 'delivery.acknowledged', exchangeId: 'exchange_id', details: `jsonb_build_object('deliveryId', id, 'via', ${via})` },
  ]);

/**
 * SQL: an attempt recorded, and the delivery moved from `delivering` to `$6` (when it still
 * is). `withReceipt`: with the receipt `$9` that came with the answer, by `$10` — the move is
 * to `acknowledged` with the receipt, audited as delivered and acknowledged (`via` the
 * answer); a receipt sent by the API first left it acknowledged, and this changes nothing.
 */
const finishSql = (withReceipt: boolean): string => {
  const attempt = `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, error, remote_reference)
    SELECT id, attempts, $2, $3, $4, $5::jsonb, $8 FROM updated`;
  return `WITH before AS (SELECT id, status FROM deliveries WHERE id = $1 FOR UPDATE),
  updated AS (
    UPDATE deliveries d SET attempts = d.attempts + 1, last_error = COALESCE($5::jsonb, d.last_error),
      status = CASE WHEN b.status = 'delivering' THEN $6 ELSE d.status END,
      status_detail = CASE WHEN b.status = 'delivering' THEN $7::jsonb END
      ${withReceipt ? ", receipt = CASE WHEN b.status = 'delivering' THEN $9 ELSE d.receipt END" : ''}
    FROM before b WHERE d.id = b.id
    RETURNING d.id, d.attempts, d.exchange_id, d.recipient, d.status_changed_at, b.status = 'delivering' AS was_delivering)
  ${withReceipt
    ? `, attempt AS (${attempt}), acknowledged AS (SELECT * FROM updated WHERE was_delivering) ${acknowledgementAudit('acknowledged', '$10::text', "'answer'")}`
    : attempt}`;
};
const FINISH_SQL = finishSql(false);
const FINISH_ACKNOWLEDGED_SQL = finishSql(true);

const asDate = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The delivery store on `db`. */
export function createDeliveryStore(db: Database): DeliveryStore {
  return {
    async statusCounts() {
      const { rows } = await db.query<{ recipient: string; status: string; count: number }>(
        'SELECT recipient, status, count(*)::int AS count FROM deliveries GROUP BY recipient, status ORDER BY recipient, status',
      );
      return rows;
    },
    async relay(limit, channels, enqueue) {
      // 1. One statement claims rows and records `queued` (committed): a worker that takes
      //    the job a moment later must find the delivery deliverable, not still `accepted`.
      //    A delivery cancelled or expired while in the outbox is dropped with its row.
      const recipients = Object.keys(channels);
      const { rows } = await db.query<{ outbox_id: string; delivery_id: string | null; recipient: string | null; channel: Channel | null }>(
        RELAY_SQL,
        [limit, recipients, recipients.map((r) => channels[r])],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.outbox_id);
      const push = rows.filter((r) => r.delivery_id && r.channel === 'push').map((r) => ({ deliveryId: r.delivery_id!, recipient: r.recipient! }));
      // 2. Enqueue. If Redis refuses, the rows stay in the outbox, free to be claimed again.
      try {
        await enqueue(push);
      } catch (error) {
        await db.query('UPDATE outbox SET claimed_at = NULL WHERE id = ANY($1::bigint[])', [ids]).catch(() => {});
        throw error;
      }
      // 3. Done with the rows.
      await db.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]);
      return rows.length;
    },

    async startAttempt(deliveryId, detail) {
      const { rows } = await db.query<{ envelope: Record<string, unknown>; envelope_digest: string; seal: string }>(
        `WITH moved AS (
           UPDATE deliveries d SET status = 'delivering', status_detail = $3::jsonb
           WHERE id = $1 AND status = ANY($2::text[]) AND (expires_at IS NULL OR expires_at > now()) AND ${BASIS_HOLDS}
           RETURNING id, exchange_id, envelope AS own_envelope, envelope_digest AS own_digest, seal AS own_seal)
         -- The recipient's own copy when categories were withheld from it, else the exchange's.
         SELECT COALESCE(m.own_envelope, e.envelope) AS envelope, COALESCE(m.own_digest, e.envelope_digest) AS envelope_digest,
                COALESCE(m.own_seal, e.seal) AS seal
         FROM moved m JOIN exchanges e ON e.id = m.exchange_id`,
        [deliveryId, DELIVERABLE, JSON.stringify(detail)],
      );
      const row = rows[0];
      return row && { envelope: row.envelope, envelopeDigest: row.envelope_digest, seal: row.seal };
    },

    async finishAttempt(deliveryId, attempt, to, detail = {}, receipt) {
      const values = [deliveryId, attempt.startedAt.toISOString(), Math.round(attempt.durationMs), attempt.outcome,
        attempt.error ? JSON.stringify(attempt.error) : null, to, JSON.stringify(detail), attempt.remoteReference ?? null];
      await db.query(receipt ? FINISH_ACKNOWLEDGED_SQL : FINISH_SQL, receipt ? [...values, receipt.jws, receipt.actor] : values);
    },

    async acknowledge({ deliveryId, recipient, envelopeDigest, receipt, channel, actor, via }) {
      const { rows } = await db.query<{
        found_recipient: string | null; old_status: DeliveryStatus | null; digest: string | null; channel: Channel | null;
        moved: boolean; id: string | null; status: DeliveryStatus | null; status_changed_at: Date | null; receipt: string | null;
      }>(
        `WITH target AS (
           SELECT d.id, d.recipient, d.status, d.channel, COALESCE(d.envelope_digest, e.envelope_digest) AS envelope_digest, e.id AS exchange_id
           FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
           WHERE d.id = $1 AND d.recipient = $2 FOR UPDATE OF d),
         moved AS (
           UPDATE deliveries d SET status = 'acknowledged', status_detail = $5::jsonb, receipt = $8
           FROM target t WHERE d.id = t.id AND t.status IN ('delivering', 'delivered')
             AND t.envelope_digest = $3 AND ($4::text IS NULL OR t.channel = $4)
           RETURNING d.id, d.status, d.status_changed_at, t.exchange_id, d.recipient, t.status = 'delivering' AS was_delivering),
         audit AS (${acknowledgementAudit('moved', '$6::text', '$7::text')})
         SELECT t.recipient AS found_recipient, t.status AS old_status, t.envelope_digest AS digest, t.channel,
                m.id IS NOT NULL AS moved, COALESCE(m.id, t.id) AS id, COALESCE(m.status, t.status) AS status,
                COALESCE(m.status_changed_at, d.status_changed_at) AS status_changed_at, d.receipt
         FROM target t JOIN deliveries d ON d.id = t.id LEFT JOIN moved m ON m.id = t.id`,
        [deliveryId, recipient, envelopeDigest, channel ?? null, JSON.stringify({ via }), actor, via, receipt],
      );
      const row = rows[0];
      if (!row) return { found: false };
      return {
        found: true,
        moved: row.moved,
        digestMatches: row.digest === envelopeDigest,
        channel: row.channel,
        delivery: {
          id: row.id!, recipient, status: row.status!, statusChangedAt: asDate(row.status_changed_at),
          ...(row.moved || row.status === 'acknowledged' ? { receipt: row.moved ? receipt : row.receipt! } : {}),
        },
      };
    },

    async expireIfDue(deliveryId) {
      return (await moveMany(db, [deliveryId], DELIVERABLE, 'expired', { reason: 'time-to-live passed' }, { due: true })).length === 1;
    },

    async withholdIfNoBasis(deliveryId) {
      const { rows } = await db.query<{ id: string }>(
        withhold({ where: `d.id = $1 AND d.status = ANY($2::text[]) AND NOT ${BASIS_HOLDS}`, reason: CONSENT_LAPSED }),
        [deliveryId, DELIVERABLE],
      );
      return rows.length === 1;
    },

    async unfinishedPush(quietMs, limit, afterId) {
      const { rows } = await db.query<{ id: string; recipient: string }>(
        `SELECT id, recipient FROM deliveries
         WHERE channel = 'push' AND status = ANY($1::text[]) AND status_changed_at < now() - ($2::int * interval '1 millisecond')
           AND ($4::uuid IS NULL OR id > $4)
         ORDER BY id LIMIT $3`,
        [DELIVERABLE, quietMs, limit, afterId ?? null],
      );
      return rows;
    },

    async expireDue() {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM deliveries WHERE status = ANY($1::text[]) AND expires_at <= now() LIMIT 1000`,
        [NOT_YET_SENT],
      );
      return moveMany(db, rows.map((r) => r.id), NOT_YET_SENT, 'expired', { reason: 'time-to-live passed' }, { due: true });
    },

    async cancel(exchangeId, actor, reason) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>('SELECT id FROM deliveries WHERE exchange_id = $1', [exchangeId]);
        const cancelled = await moveMany(tx, rows.map((r) => r.id), NOT_YET_SENT, 'cancelled', reason ? { reason } : {});
        if (cancelled.length > 0) await appendAudit(tx, { actor, action: 'exchange.cancelled', exchangeId, details: { cancelled, ...(reason ? { reason } : {}) } });
        return cancelled;
      });
    },

    async inbox(recipient, limit) {
      // One statement decides each waiting delivery, as the worker's start does: handed over
      // now (`delivered`, with its event and attempt) while its legal basis holds, `withheld`
      // when its consent lapsed; those delivered before and not yet acknowledged are offered again.
      const { rows } = await db.query<{ id: string; exchange_id: string; envelope: Record<string, unknown>; envelope_digest: string; seal: string }>(
        `WITH candidates AS (
           SELECT d.id, e.seq FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
           WHERE d.recipient = $1 AND d.channel = 'pull' AND d.status IN ('queued', 'delivered')
             AND (d.status = 'delivered' OR d.expires_at IS NULL OR d.expires_at > now())
           -- What was never handed out comes first: unacknowledged ones cannot crowd it out at the limit.
           ORDER BY d.status = 'delivered', e.seq LIMIT $2),
         held AS (
           ${withhold({ from: 'candidates c', where: `d.id = c.id AND d.status = 'queued' AND NOT ${BASIS_HOLDS}`, reason: CONSENT_LAPSED })}),
         moved AS (
           UPDATE deliveries d SET status = 'delivered', status_detail = '{"via":"inbox"}', attempts = d.attempts + 1
           FROM candidates c WHERE d.id = c.id AND d.status = 'queued' AND ${BASIS_HOLDS}
           RETURNING d.id, d.attempts, d.status_changed_at),
         attempts AS (
           INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome)
           SELECT id, attempts, status_changed_at, 0, 'delivered' FROM moved)
         SELECT d.id, d.exchange_id, COALESCE(d.envelope, e.envelope) AS envelope,
                COALESCE(d.envelope_digest, e.envelope_digest) AS envelope_digest, COALESCE(d.seal, e.seal) AS seal
         FROM candidates c JOIN deliveries d ON d.id = c.id JOIN exchanges e ON e.id = d.exchange_id
         WHERE d.status = 'delivered' OR c.id IN (SELECT id FROM moved)
         ORDER BY c.seq`,
        [recipient, limit],
      );
      return rows.map((r) => ({ deliveryId: r.id, exchangeId: r.exchange_id, envelopeDigest: r.envelope_digest, envelope: r.envelope, seal: r.seal }));
    },

    async get(deliveryId) {
      const { rows } = await db.query<{ id: string; recipient: string; status: DeliveryStatus; status_changed_at: Date }>(
        'SELECT id, recipient, status, status_changed_at FROM deliveries WHERE id = $1',
        [deliveryId],
      );
      const row = rows[0];
      return row && { id: row.id, recipient: row.recipient, status: row.status, statusChangedAt: asDate(row.status_changed_at) };
    },

    async rememberPeerDelivery(exchangeId, recipient, peer, peerDeliveryId) {
      await db.query(
        'UPDATE deliveries SET peer = $3, peer_delivery_id = $4 WHERE exchange_id = $1 AND recipient = $2 AND peer_delivery_id IS NULL',
        [exchangeId, recipient, peer, peerDeliveryId],
      );
    },

    async peerReceiptsDue(limit) {
      const { rows } = await db.query<{ id: string; peer: string; peer_delivery_id: string; envelope_digest: string; status_changed_at: Date; peer_receipt_attempts: number }>(
        `SELECT d.id, d.peer, d.peer_delivery_id, e.envelope_digest, d.status_changed_at, d.peer_receipt_attempts
         FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
         WHERE d.peer_delivery_id IS NOT NULL AND d.peer_receipt_sent_at IS NULL AND d.peer_receipt_abandoned_at IS NULL AND d.status = 'acknowledged'
           AND coalesce(d.peer_receipt_next_at, d.status_changed_at) <= clock_timestamp()
         ORDER BY coalesce(d.peer_receipt_next_at, d.status_changed_at) LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({
        deliveryId: r.id, peer: r.peer, peerDeliveryId: r.peer_delivery_id, envelopeDigest: r.envelope_digest,
        acknowledgedAt: asDate(r.status_changed_at), attempts: r.peer_receipt_attempts,
      }));
    },

    async peerReceiptDeferred(deliveryId) {
      const { rows } = await db.query<{ abandoned: boolean; next_at: Date | null }>(
        `UPDATE deliveries SET peer_receipt_attempts = peer_receipt_attempts + 1,
           peer_receipt_abandoned_at = CASE WHEN status_changed_at + $2 * interval '1 millisecond' <= clock_timestamp() THEN clock_timestamp() END,
           peer_receipt_next_at = clock_timestamp() + least($3 * power(2, least(peer_receipt_attempts, 30)), $4) * interval '1 millisecond'
         WHERE id = $1 AND peer_receipt_sent_at IS NULL AND peer_receipt_abandoned_at IS NULL
         RETURNING peer_receipt_abandoned_at IS NOT NULL AS abandoned, peer_receipt_next_at AS next_at`,
        [deliveryId, PEER_RECEIPT_GIVE_UP, PEER_RECEIPT_BACKOFF, PEER_RECEIPT_BACKOFF_MAX],
      );
      const row = rows[0];
      if (!row) return { abandoned: false };
      return row.abandoned ? { abandoned: true } : { abandoned: false, nextAttemptAt: asDate(row.next_at!) };
    },

    async peerReceiptSent(deliveryId) {
      await db.query('UPDATE deliveries SET peer_receipt_sent_at = clock_timestamp() WHERE id = $1', [deliveryId]);
    },

    async deadLetters({ recipient, limit }) {
      const { rows } = await db.query<{
        id: string; exchange_id: string; message_id: string; sender: string; recipient: string; status_changed_at: Date; attempts: number; last_error: AttemptError | null;
      }>(
        `SELECT d.id, d.exchange_id, e.message_id, e.sender, d.recipient, d.status_changed_at, d.attempts, d.last_error
         FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
         WHERE d.status = 'failed' AND d.discarded_at IS NULL AND ($1::text IS NULL OR d.recipient = $1)
         ORDER BY d.status_changed_at LIMIT $2`,
        [recipient ?? null, limit],
      );
      return rows.map((r) => ({
        deliveryId: r.id, exchangeId: r.exchange_id, messageId: r.message_id, sender: r.sender, recipient: r.recipient,
        failedAt: asDate(r.status_changed_at), attempts: r.attempts, lastError: r.last_error ?? { code: 'UNKNOWN', message: 'no attempt recorded' },
      }));
    },

    async retryDeadLetters({ deliveryId, recipient }, actor) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `SELECT id FROM deliveries WHERE status = 'failed' AND discarded_at IS NULL
             AND ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR recipient = $2) FOR UPDATE`,
          [deliveryId ?? null, recipient ?? null],
        );
        const moved = await moveMany(tx, rows.map((r) => r.id), ['failed'], 'queued', { reason: 'retried by an operator' });
        await tx.query('INSERT INTO outbox (delivery_id) SELECT unnest($1::uuid[])', [moved]);
        if (moved.length > 0) await appendAudit(tx, { actor, action: 'dead-letter.retried', details: { deliveries: moved } });
        return moved;
      });
    },

    async discardDeadLetter(deliveryId, reason, actor) {
      const { rows } = await db.query(
        `WITH discarded AS (
           UPDATE deliveries SET discarded_at = now(), discard_reason = $2 WHERE id = $1 AND status = 'failed' AND discarded_at IS NULL RETURNING id, exchange_id),
         audit AS (${auditRows({ from: 'discarded', actor: '$3', action: 'dead-letter.discarded', exchangeId: 'exchange_id', details: "jsonb_build_object('deliveryId', id, 'reason', $2::text)" })})
         SELECT id FROM discarded`,
        [deliveryId, reason, actor],
      );
      return rows.length === 1;
    },

    async events(exchangeId, afterEventId, recipient) {
      const { rows } = await db.query<{ id: string; delivery_id: string; recipient: string; status: DeliveryStatus; at: Date; message_id: string; sender: string }>(
        `SELECT ev.id::text AS id, ev.delivery_id, d.recipient, ev.status, ev.at, e.message_id, e.sender
         FROM delivery_events ev JOIN deliveries d ON d.id = ev.delivery_id JOIN exchanges e ON e.id = d.exchange_id
         WHERE d.exchange_id = $1 AND ev.id > $2 AND ($3::text IS NULL OR d.recipient = $3) AND ${SETTLED_EVENT}
         ORDER BY ev.id LIMIT ${EVENTS_PAGE}`,
        [exchangeId, afterEventId.toString(), recipient ?? null],
      );
      return rows.map((r) => ({
        eventId: r.id, exchangeId, messageId: r.message_id, deliveryId: r.delivery_id, recipient: r.recipient, sender: r.sender, status: r.status, at: asDate(r.at),
      }));
    },
    async changesAfter(afterEventId, limit) {
      const { rows } = await db.query<{ id: string; exchange_id: string; recipient: string; channel: string | null }>(
        `SELECT ev.id::text AS id, d.exchange_id, d.recipient, d.channel
         FROM delivery_events ev JOIN deliveries d ON d.id = ev.delivery_id
         WHERE ev.id > $1 AND ${SETTLED_EVENT} ORDER BY ev.id LIMIT $2`,
        [afterEventId.toString(), limit],
      );
      return {
        latest: rows.length > 0 ? BigInt(rows.at(-1)!.id) : afterEventId,
        exchanges: [...new Set(rows.map((r) => r.exchange_id))],
        pullRecipients: [...new Set(rows.filter((r) => r.channel === 'pull').map((r) => r.recipient))],
        full: rows.length === limit,
      };
    },
    async latestEventId() {
      const { rows } = await db.query<{ id: string }>(`SELECT COALESCE(max(ev.id), 0)::text AS id FROM delivery_events ev WHERE ${SETTLED_EVENT}`);
      return BigInt(rows[0]!.id);
    },
  };
}

/**
 * The relay's claim: up to $1 unclaimed outbox rows, their deliveries moved from `accepted`
 * to `queued` with the channel of their recipient ($2 recipients, $3 channels; a recipient
 * not listed pulls), and the
 * events, in one statement. Returns every claimed row; rows whose delivery is no longer
 * live come back without a delivery.
 */
/** SQL: the delivery `d` relies on no consent, or on one that is valid now (not withdrawn, within its dates). */
const BASIS_HOLDS = `(d.consent_id IS NULL OR EXISTS (SELECT 1 FROM consents c WHERE c.id = d.consent_id AND c.withdrawn_at IS NULL
  AND c.valid_from <= now() AND (c.valid_until IS NULL OR c.valid_until > now())))`;

const RELAY_SQL = `
WITH claimed AS (
  UPDATE outbox SET claimed_at = now()
  WHERE id IN (SELECT id FROM outbox WHERE claimed_at IS NULL OR claimed_at < now() - interval '1 minute'
               ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING id, delivery_id
), live AS (
  SELECT c.id AS outbox_id, d.id, d.recipient, d.status FROM claimed c JOIN deliveries d ON d.id = c.delivery_id
  WHERE d.status IN ('accepted', 'queued')
), moved AS (
  UPDATE deliveries d SET
    status = 'queued',
    channel = COALESCE(ch.channel, 'pull')
  FROM live l LEFT JOIN unnest($2::text[], $3::text[]) AS ch(recipient, channel) ON ch.recipient = l.recipient
  WHERE d.id = l.id AND d.status IN ('accepted', 'queued')
  RETURNING d.id, d.recipient, d.channel, l.outbox_id
)
SELECT c.id::text AS outbox_id, m.id AS delivery_id, m.recipient, m.channel FROM claimed c LEFT JOIN moved m ON m.outbox_id = c.id`;

/**
 * Moves every delivery in `ids` whose status is in `from` to `to`, with one event each;
 * with `due`, only those past their time-to-live. Returns the ids moved.
 */
async function moveMany(
  db: Queryable, ids: string[], from: readonly DeliveryStatus[], to: DeliveryStatus, detail: Record<string, unknown>, options: { due?: boolean } = {},
): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ delivery_id: string }>(
    `UPDATE deliveries SET status = $3, status_detail = $4::jsonb
     WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) AND (NOT $5 OR expires_at <= now())
     RETURNING id AS delivery_id`,
    [ids, from, to, JSON.stringify(detail), options.due ?? false],
  );
  return rows.map((r) => r.delivery_id);
}
