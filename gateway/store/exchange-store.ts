/** Persisting accepted exchanges and reading them back for tracking. */
import type { Acceptance, Delivery, DeliveryStatus, Exchange } from '../../schemas/index.ts';
import type { Database, Queryable } from './database.ts';
import { auditRows } from '../audit/audit-writer.ts';
import type { ReferralState } from '../coordination/referral-state.ts';

/** Everything written when an exchange is accepted, atomically. */
export interface ExchangeRecord {
  id: string;
  sender: string;
  messageId: string;
  type: string;
  schemaVersion: string;
  correlationId: string;
  inReplyTo?: string;
  createdAt: string;
  acceptedAt: Date;
  /** The full envelope, payload included. */
  envelope: object;
  envelopeDigest: string;
  /** The gateway's detached JWS over the canonical envelope. */
  seal: string;
  /** The sender's detached JWS over the canonical submission, when it signed. */
  senderSignature?: string;
  legalBasis?: object;
  /** Digest of the submitted body; a replay must match it. */
  requestDigest: string;
  /** One per recipient; `expiresAt` is when an unsent delivery expires (its time-to-live). */
  deliveries: Array<{
    id: string; recipient: string; expiresAt: Date | null;
    /** The consent this delivery relies on, if any. */
    consentId?: string;
    /** When categories are withheld from this recipient: its copy, with digest and seal. */
    projection?: { withheld: string[]; envelope: object; envelopeDigest: string; seal: string };
  }>;
  /** The answer given now, and to every identical replay (the acceptance receipt is signed afresh). */
  response: StoredAcceptance;
  /** A pseudonym the gateway issued for the subject, recorded with the acceptance. */
  issuedPseudonym?: string;
  /** Exemptions whose justification needs a person's look: flagged with the acceptance. */
  doubtfulExemptions?: Array<{ exemption: string; justification: string; concerns: string[] }>;
  /** Audit actor, e.g. `participant:BG-MOI`. */
  actor: string;
  /** Audit details: ids, types and codes only. */
  auditDetails: Record<string, unknown>;
}

/** The answer to a submission as stored for replays. */
export type StoredAcceptance = Omit<Acceptance, 'acceptanceReceipt'>;

/** The outcome of {@link ExchangeStore.accept}. */
export type AcceptOutcome =
  | { outcome: 'accepted'; response: StoredAcceptance }
  | { outcome: 'replayed'; response: StoredAcceptance }
  | { outcome: 'conflict' };

/** Filters for {@link ExchangeStore.list}. */
export interface ListFilter {
  /** The participant looking; `null` for an administrator (sees everything). */
  viewer: string | null;
  correlationId?: string;
  status?: DeliveryStatus;
  /** Only exchanges accepted before this sequence number (the cursor). */
  beforeSeq?: bigint;
  limit: number;
}

/** An exchange as stored, with its acceptance order. */
export type StoredExchange = Exchange & { seq: bigint };

/** The store the gateway's exchange routes use. */
export interface ExchangeStore {
  accept(record: ExchangeRecord): Promise<AcceptOutcome>;
  /** One exchange with every delivery and its history, or `undefined`. */
  get(id: string): Promise<StoredExchange | undefined>;
  /** Newest first; deliveries limited to what `viewer` may see, without history. */
  list(filter: ListFilter): Promise<StoredExchange[]>;
  /** Whether `messageId` names an exchange `participant` sent or received. */
  isKnownMessage(participant: string, messageId: string): Promise<boolean>;
}

interface ExchangeRow {
  id: string;
  seq: string;
  sender: string;
  message_id: string;
  type: Exchange['type'];
  schema_version: Exchange['schemaVersion'];
  correlation_id: string;
  in_reply_to: string | null;
  recipients: string[];
  created_at: Date;
  accepted_at: Date;
  envelope_digest: string;
  seal: string | null;
  sender_signature: string | null;
  purged_at: Date | null;
}

interface DeliveryRow {
  id: string;
  exchange_id: string;
  recipient: string;
  status: DeliveryStatus;
  status_changed_at: Date;
  receipt: string | null;
  withheld_categories: string[];
  referral_state?: ReferralState | null;
}

const LIST_COLUMNS = `id, seq::text AS seq, sender, message_id, type, schema_version, correlation_id, in_reply_to,
  recipients, created_at, accepted_at, envelope_digest, purged_at`;
/** One exchange also shows its seal and the sender's signature (a few kB each, so not in lists). */
const EXCHANGE_COLUMNS = `${LIST_COLUMNS}, seal, sender_signature`;

/** Below this many deliveries in a status, a participant's listing by that status starts from them (see {@link listQuery}). */
const RARE_STATUS_ROWS = 20_000;

/** An exchange store on `db` (PostgreSQL or PGlite). */
export function createExchangeStore(db: Database, options: { rareStatusRows?: number } = {}): ExchangeStore {
  const rareStatusRows = options.rareStatusRows ?? RARE_STATUS_ROWS;
  return {
    async accept(record) {
      const { rows } = await db.query<{ claimed: number }>(ACCEPT_SQL, acceptParameters(record));
      if (rows[0]?.claimed === 1) return { outcome: 'accepted', response: record.response };
      return replayOrConflict(db, record);
    },

    async get(id) {
      const { rows } = await db.query<ExchangeRow>(`SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE id = $1`, [id]);
      if (!rows[0]) return undefined;
      const deliveries = await db.query<DeliveryRow>(
        `SELECT d.id, d.exchange_id, d.recipient, d.status, d.status_changed_at, d.receipt, d.withheld_categories, r.state AS referral_state
           FROM deliveries d LEFT JOIN referrals r ON r.delivery_id = d.id WHERE d.exchange_id = $1 ORDER BY d.recipient`,
        [id],
      );
      const events = await db.query<{ delivery_id: string; status: DeliveryStatus; at: Date }>(
        `SELECT e.delivery_id, e.status, e.at FROM delivery_events e JOIN deliveries d ON d.id = e.delivery_id
         WHERE d.exchange_id = $1 ORDER BY e.id`,
        [id],
      );
      const attempts = await db.query<AttemptRow>(
        `SELECT a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.error, a.remote_reference FROM delivery_attempts a
         JOIN deliveries d ON d.id = a.delivery_id WHERE d.exchange_id = $1 ORDER BY a.id`,
        [id],
      );
      return toExchange(
        rows[0],
        deliveries.rows.map((d) => ({
          ...toDelivery(d),
          history: events.rows.filter((e) => e.delivery_id === d.id).map((e) => ({ status: e.status, at: e.at.toISOString() })),
          attempts: attempts.rows.filter((a) => a.delivery_id === d.id).map(toAttempt),
        })),
      );
    },

    async list(filter) {
      const query = await listStatement(db, filter, rareStatusRows);
      const { rows } = await db.query<ExchangeRow>(query.sql, query.params);
      if (rows.length === 0) return [];
      const deliveries = await db.query<DeliveryRow>(
        `SELECT d.id, d.exchange_id, d.recipient, d.status, d.status_changed_at, NULL AS receipt, d.withheld_categories FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id
         WHERE d.exchange_id = ANY($1::uuid[]) AND ($2::text IS NULL OR e.sender = $2 OR d.recipient = $2)
         ORDER BY d.recipient`,
        [rows.map((r) => r.id), filter.viewer],
      );
      return rows.map((row) => toExchange(row, deliveries.rows.filter((d) => d.exchange_id === row.id).map(toDelivery)));
    },

    async isKnownMessage(participant, messageId) {
      const { rows } = await db.query(
        `SELECT 1 FROM exchanges e WHERE e.message_id = $2
           AND (e.sender = $1 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.exchange_id = e.id AND d.recipient = $1))
         LIMIT 1`,
        [participant, messageId],
      );
      return rows.length > 0;
    },
  };
}

/** The listing's statement for `filter`, having asked (a bounded count on deliveries_status) whether its status is rare. */
export async function listStatement(q: Queryable, filter: ListFilter, rareStatusRows = RARE_STATUS_ROWS): Promise<{ sql: string; params: unknown[] }> {
  const rare = filter.status !== undefined && filter.viewer !== null && filter.correlationId === undefined
    && (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM deliveries WHERE status = $1 LIMIT $2) x', [filter.status, rareStatusRows])).rows[0]!.n < rareStatusRows;
  return listQuery(filter, rare);
}

/**
 * The listing's statement for one combination of filters — each its own fixed text, so each
 * is prepared with a plan of its own (no `$1 IS NULL OR …` the planner cannot see through):
 *
 * - everything (an administrator), or one case thread: a walk of `seq` (or of the thread's
 *   index), newest first;
 * - a participant's: the exchanges it sent (`exchanges_sender`) and those delivered to it
 *   (`deliveries_recipient`, in its exchanges' order), each an index walk newest first up to
 *   the page's length, merged. With a status filter: when that status is `rare` (fewer than
 *   `rareStatusRows` deliveries in it: failed, retrying…), the deliveries in it are read first
 *   from the status index alone (it carries their exchange's seq and recipient; materialised
 *   so the planner cannot walk the participant's rows instead) and the participant's taken
 *   from them; when it is common (acknowledged), the participant's rows are walked and
 *   tested, most of them matching.
 */
export function listQuery(filter: ListFilter, rare = false): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const limit = param(filter.limit);
  const before = filter.beforeSeq === undefined ? undefined : param(filter.beforeSeq.toString());
  const status = filter.status === undefined ? undefined : param(filter.status);
  const columns = `${LIST_COLUMNS}, NULL AS seal, NULL AS sender_signature`;
  if (filter.viewer === null || filter.correlationId !== undefined) {
    const viewer = filter.viewer === null ? undefined : param(filter.viewer);
    const where = [
      ...(filter.correlationId !== undefined ? [`e.correlation_id = ${param(filter.correlationId)}`] : []),
      ...(before ? [`e.seq < ${before}::bigint`] : []),
      ...(viewer ? [`(e.sender = ${viewer} OR EXISTS (SELECT 1 FROM deliveries v WHERE v.exchange_id = e.id AND v.recipient = ${viewer}))`] : []),
      ...(status ? [`EXISTS (SELECT 1 FROM deliveries s WHERE s.exchange_id = e.id AND s.status = ${status}${viewer ? ` AND (e.sender = ${viewer} OR s.recipient = ${viewer})` : ''})`] : []),
    ];
    return { sql: `SELECT ${columns} FROM exchanges e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.seq DESC LIMIT ${limit}`, params };
  }
  const viewer = param(filter.viewer);
  if (status && rare) {
    return {
      sql: `WITH rare AS MATERIALIZED (
  SELECT exchange_seq, recipient FROM deliveries WHERE status = ${status}${before ? ` AND exchange_seq < ${before}::bigint` : ''}
), page (page_seq) AS (
  (SELECT DISTINCT r.exchange_seq FROM rare r WHERE EXISTS (SELECT 1 FROM exchanges e WHERE e.seq = r.exchange_seq AND e.sender = ${viewer}) ORDER BY r.exchange_seq DESC LIMIT ${limit})
  UNION ALL
  (SELECT r.exchange_seq FROM rare r WHERE r.recipient = ${viewer} ORDER BY r.exchange_seq DESC LIMIT ${limit})
)
SELECT ${columns} FROM page JOIN exchanges e ON e.seq = page.page_seq ORDER BY e.seq DESC LIMIT ${limit}`,
      params,
    };
  }
  const sent = [`e.sender = ${viewer}`, ...(before ? [`e.seq < ${before}::bigint`] : []), ...(status ? [`EXISTS (SELECT 1 FROM deliveries s WHERE s.exchange_id = e.id AND s.status = ${status})`] : [])];
  const received = [`d.recipient = ${viewer}`, ...(before ? [`d.exchange_seq < ${before}::bigint`] : []), ...(status ? [`d.status = ${status}`] : [])];
  return {
    sql: `WITH page (page_seq) AS (
  (SELECT e.seq FROM exchanges e WHERE ${sent.join(' AND ')} ORDER BY e.seq DESC LIMIT ${limit})
  UNION ALL
  (SELECT d.exchange_seq FROM deliveries d WHERE ${received.join(' AND ')} ORDER BY d.exchange_seq DESC LIMIT ${limit})
)
SELECT ${columns} FROM page JOIN exchanges e ON e.seq = page.page_seq ORDER BY e.seq DESC LIMIT ${limit}`,
    params,
  };
}

async function replayOrConflict(db: Queryable, record: ExchangeRecord): Promise<AcceptOutcome> {
  const { rows } = await db.query<{ request_digest: string; response: StoredAcceptance }>(
    'SELECT request_digest, response FROM idempotency_keys WHERE sender = $1 AND message_id = $2',
    [record.sender, record.messageId],
  );
  const first = rows[0];
  if (first && first.request_digest === record.requestDigest) return { outcome: 'replayed', response: first.response };
  return { outcome: 'conflict' };
}

/**
 * One statement writes everything: PostgreSQL runs it atomically, so an exchange is never
 * half-written, and it costs one round trip instead of eight. Every insert reads from
 * `claim`, so when the idempotency key already exists nothing else is written.
 */
const ACCEPT_SQL = `
WITH claim AS (
  INSERT INTO idempotency_keys (sender, message_id, request_digest, exchange_id, response)
  VALUES ($2, $3, $15, $1, $16::jsonb) ON CONFLICT DO NOTHING RETURNING exchange_id
), exchange AS (
  INSERT INTO exchanges (id, sender, message_id, type, schema_version, correlation_id, in_reply_to, recipients,
                         created_at, accepted_at, envelope, envelope_digest, legal_basis, seal, sender_signature, subject)
  SELECT exchange_id, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11::jsonb, $12, $13::jsonb, $20, $21, $11::jsonb #>> '{payload,subject,pseudonym}' FROM claim
  RETURNING id, seq
), delivery AS (
  INSERT INTO deliveries (id, exchange_id, exchange_seq, recipient, status, status_changed_at, expires_at, consent_id,
                          withheld_categories, envelope, envelope_digest, seal)
  SELECT d.id, x.id, x.seq, d.recipient, 'accepted', $10, d.expires_at, d.consent_id,
         COALESCE(ARRAY(SELECT jsonb_array_elements_text(d.projection->'withheld')), '{}'), d.projection->'envelope',
         d.projection->>'envelopeDigest', d.projection->>'seal'
  FROM exchange x, unnest($14::uuid[], $8::text[], $19::timestamptz[], $22::uuid[], $23::jsonb[]) AS d(id, recipient, expires_at, consent_id, projection)
  RETURNING id
), issued AS (
  INSERT INTO issued_pseudonyms (pseudonym, issued_to, issued_at, exchange_id) SELECT $24, $2, $10, id FROM exchange WHERE $24::text IS NOT NULL
), flagged AS (
  INSERT INTO exemption_reviews (id, exchange_id, sender, exemption, justification, concerns, flagged_at)
  SELECT gen_random_uuid(), x.id, $2, r.exemption, r.justification, r.concerns, $10
  FROM exchange x, jsonb_to_recordset($25::jsonb) AS r(exemption text, justification text, concerns jsonb)
), queued AS (
  INSERT INTO outbox (delivery_id) SELECT id FROM delivery
), audit AS (
  ${auditRows({ from: 'exchange', at: '$10', actor: '$17', action: 'exchange.accepted', exchangeId: 'id', details: '$18::jsonb' })}
)
SELECT count(*)::int AS claimed FROM claim`;

function acceptParameters(record: ExchangeRecord): unknown[] {
  const recipients = record.deliveries.map((d) => d.recipient);
  return [
    record.id, record.sender, record.messageId, record.type, record.schemaVersion, record.correlationId,
    record.inReplyTo ?? null, recipients, record.createdAt, record.acceptedAt.toISOString(), JSON.stringify(record.envelope),
    record.envelopeDigest, record.legalBasis ? JSON.stringify(record.legalBasis) : null, record.deliveries.map((d) => d.id),
    record.requestDigest, JSON.stringify(record.response), record.actor, JSON.stringify(record.auditDetails),
    record.deliveries.map((d) => d.expiresAt?.toISOString() ?? null), record.seal, record.senderSignature ?? null,
    record.deliveries.map((d) => d.consentId ?? null),
    record.deliveries.map((d) => (d.projection ? JSON.stringify(d.projection) : null)),
    record.issuedPseudonym ?? null,
    JSON.stringify(record.doubtfulExemptions ?? []),
  ];
}

function toExchange(row: ExchangeRow, deliveries: Delivery[]): StoredExchange {
  return {
    seq: BigInt(row.seq),
    id: row.id,
    messageId: row.message_id,
    type: row.type,
    schemaVersion: row.schema_version,
    sender: row.sender,
    recipients: row.recipients,
    correlationId: row.correlation_id,
    ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
    createdAt: row.created_at.toISOString(),
    acceptedAt: row.accepted_at.toISOString(),
    envelopeDigest: row.envelope_digest,
    ...(row.seal ? { seal: row.seal } : {}),
    ...(row.sender_signature ? { senderSignature: row.sender_signature } : {}),
    ...(row.purged_at ? { purgedAt: new Date(row.purged_at).toISOString() } : {}),
    deliveries,
  };
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  outcome: 'delivered' | 'transient-error' | 'permanent-error';
  error: { code: string; message: string; permanent?: boolean } | null;
  remote_reference: string | null;
}

function toAttempt(row: AttemptRow): NonNullable<Delivery['attempts']>[number] {
  return {
    attempt: row.attempt,
    startedAt: row.started_at.toISOString(),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    ...(row.error ? { error: row.error } : {}),
    ...(row.remote_reference ? { remoteReference: row.remote_reference } : {}),
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id, recipient: row.recipient, status: row.status, statusChangedAt: row.status_changed_at.toISOString(),
    ...(row.receipt ? { receipt: row.receipt } : {}),
    ...(row.withheld_categories?.length ? { withheldCategories: row.withheld_categories as NonNullable<Delivery['withheldCategories']> } : {}),
    ...(row.referral_state ? { referralState: row.referral_state } : {}),
  };
}
