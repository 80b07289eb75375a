/** The participant registry in the store: seeding, run-time changes (audited in the same statement), and the version that says something changed. */
import type { Participant, DeliverySettings } from '../../schemas/index.ts';
import type { Database } from './database.ts';
import { auditRows } from '../audit/audit-writer.ts';

/** A participant as stored. */
export interface ParticipantRow {
  definition: Participant;
  /** How it receives; none: it pulls from its inbox. */
  delivery?: DeliverySettings;
  origin: 'configuration' | 'administrator';
  suspendedAt?: Date;
  suspendedBy?: string;
  suspensionReason?: string;
  version: bigint;
  changedAt: Date;
  changedBy: string;
}

export interface ParticipantStore {
  /**
   * Adds the configured participants not stored yet, with their delivery settings; a stored
   * one takes the configuration's definition or settings only where the configuration changed
   * since it last said (audited), else keeps what operators made of it. Returns the ids added.
   */
  seed(participants: ReadonlyArray<{ definition: Participant; delivery?: DeliverySettings }>): Promise<string[]>;
  all(): Promise<ParticipantRow[]>;
  /** The newest version of any participant: changes when anything changed. */
  version(): Promise<bigint>;
  /** Adds a participant, audited; undefined when the id exists. */
  add(definition: Participant, actor: string): Promise<ParticipantRow | undefined>;
  /** Replaces a participant's definition, audited; undefined when there is no such participant. */
  change(definition: Participant, actor: string): Promise<ParticipantRow | undefined>;
  /**
   * Suspends or reinstates a participant, with the reason audited when it changed anything;
   * undefined when there is no such participant. A second suspension keeps the first.
   */
  setSuspended(id: string, change: { suspend: boolean; reason: string }, actor: string): Promise<ParticipantRow | undefined>;
  /**
   * Replaces how a participant receives (none: it pulls), audited; its deliveries waiting to
   * be sent follow the new channel. Undefined when there is no such participant.
   */
  setDelivery(id: string, delivery: DeliverySettings | undefined, actor: string): Promise<ParticipantRow | undefined>;
}

interface Row {
  definition: Participant; delivery: DeliverySettings | null; origin: ParticipantRow['origin']; suspended_at: Date | null; suspended_by: string | null;
  suspension_reason: string | null; version: string; changed_at: Date; changed_by: string;
}

const COLUMNS = 'definition, delivery, origin, suspended_at, suspended_by, suspension_reason, version::text AS version, changed_at, changed_by';

const toRow = (r: Row): ParticipantRow => ({
  definition: r.definition, ...(r.delivery ? { delivery: r.delivery } : {}), origin: r.origin, version: BigInt(r.version), changedAt: r.changed_at, changedBy: r.changed_by,
  ...(r.suspended_at ? { suspendedAt: r.suspended_at, suspendedBy: r.suspended_by!, suspensionReason: r.suspension_reason! } : {}),
});

/** The participant store on `db`. */
export function createParticipantStore(db: Database): ParticipantStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await db.query<Row>(sql, params);
    return rows[0] && toRow(rows[0]);
  };
  return {
    async seed(participants) {
      const { rows } = await db.query<{ id: string }>(
        `WITH configured AS (
           SELECT p->'definition'->>'id' AS id, p->'definition' AS definition, NULLIF(p->'delivery', 'null'::jsonb) AS delivery FROM jsonb_array_elements($1::jsonb) AS p
         ), seeded AS (
           INSERT INTO participants AS s (id, definition, delivery, seeded_definition, seeded_delivery, origin, changed_by)
           SELECT id, definition, delivery, definition, delivery, 'configuration', 'configuration' FROM configured
           ON CONFLICT (id) DO UPDATE SET
             definition = CASE WHEN s.seeded_definition IS DISTINCT FROM EXCLUDED.seeded_definition THEN EXCLUDED.definition ELSE s.definition END,
             delivery = CASE WHEN s.seeded_delivery IS DISTINCT FROM EXCLUDED.seeded_delivery THEN EXCLUDED.delivery ELSE s.delivery END,
             seeded_definition = EXCLUDED.seeded_definition, seeded_delivery = EXCLUDED.seeded_delivery,
             version = nextval('participant_versions'), changed_at = now(), changed_by = 'configuration'
           WHERE s.seeded_definition IS DISTINCT FROM EXCLUDED.seeded_definition OR s.seeded_delivery IS DISTINCT FROM EXCLUDED.seeded_delivery
           RETURNING s.id, (xmax = 0) AS inserted
         ), audit AS (${auditRows({
           from: 'seeded WHERE NOT inserted', actor: "'configuration'", action: 'participant.changed',
           details: "jsonb_build_object('participant', id, 'by', 'configuration file')",
         })})
         SELECT id FROM seeded WHERE inserted`,
        [JSON.stringify(participants.map((p) => ({ definition: p.definition, delivery: p.delivery ?? null })))],
      );
      return rows.map((r) => r.id);
    },
    async all() {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM participants ORDER BY id`);
      return rows.map(toRow);
    },
    async version() {
      const { rows } = await db.query<{ v: string }>('SELECT COALESCE(max(version), 0)::text AS v FROM participants');
      return BigInt(rows[0]!.v);
    },
    add(definition, actor) {
      return one(
        `WITH added AS (
           INSERT INTO participants (id, definition, origin, changed_by) VALUES ($1, $2::jsonb, 'administrator', $3)
           ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}
         ), audit AS (${auditRows({ from: 'added', actor: '$3', action: 'participant.added', details: "jsonb_build_object('participant', $1::text)" })})
         SELECT * FROM added`,
        [definition.id, JSON.stringify(definition), actor],
      );
    },
    change(definition, actor) {
      return one(
        `WITH changed AS (
           UPDATE participants SET definition = $2::jsonb, version = nextval('participant_versions'), changed_at = now(), changed_by = $3
           WHERE id = $1 RETURNING ${COLUMNS}
         ), audit AS (${auditRows({ from: 'changed', actor: '$3', action: 'participant.changed', details: "jsonb_build_object('participant', $1::text)" })})
         SELECT * FROM changed`,
        [definition.id, JSON.stringify(definition), actor],
      );
    },
    setDelivery(id, delivery, actor) {
      return one(
        `WITH changed AS (
           UPDATE participants SET delivery = $2::jsonb, version = nextval('participant_versions'), changed_at = now(), changed_by = $3
           WHERE id = $1 RETURNING ${COLUMNS}
         ), rechannelled AS (
           -- What waits to be sent goes the new way: to the inbox, or (picked up by the
           -- reconciler, which queues push deliveries without a job) to the adapter.
           UPDATE deliveries SET channel = CASE WHEN $2::jsonb->>'mode' = 'push' THEN 'push' ELSE 'pull' END
           WHERE recipient = $1 AND status IN ('queued', 'retrying') AND EXISTS (SELECT 1 FROM changed)
             AND channel IS DISTINCT FROM CASE WHEN $2::jsonb->>'mode' = 'push' THEN 'push' ELSE 'pull' END
         ), audit AS (${auditRows({
           from: 'changed', actor: '$3', action: 'participant.delivery-changed',
           details: "jsonb_build_object('participant', $1::text, 'mode', COALESCE($2::jsonb->>'mode', 'pull'), 'adapter', $2::jsonb->>'adapter')",
         })})
         SELECT * FROM changed`,
        [id, delivery ? JSON.stringify(delivery) : null, actor],
      );
    },
    async setSuspended(id, { suspend, reason }, actor) {
      // Only a change moves the row (and is audited): suspending twice keeps the first reason.
      const row = await one(
        `WITH moved AS (
           UPDATE participants SET suspended_at = CASE WHEN $4 THEN now() END, suspended_by = CASE WHEN $4 THEN $3 END,
                  suspension_reason = CASE WHEN $4 THEN $2 END, version = nextval('participant_versions'), changed_at = now(), changed_by = $3
           WHERE id = $1 AND (suspended_at IS NULL) = $4 RETURNING ${COLUMNS}
         ), audit AS (${auditRows({
           from: 'moved', actor: '$3', action: suspend ? 'participant.suspended' : 'participant.reinstated',
           details: "jsonb_build_object('participant', $1::text, 'reason', $2::text)",
         })})
         SELECT * FROM moved`,
        [id, reason, actor, suspend],
      );
      return row ?? one(`SELECT ${COLUMNS} FROM participants WHERE id = $1`, [id]);
    },
  };
}
