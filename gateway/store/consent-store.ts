/** Consent records in the store: recorded and withdrawn with their audit entry in one statement each. */
import type { ConsentEvidence, ConsentGiver, ConsentScope } from '../../schemas/index.ts';
import type { Database } from './database.ts';
import { appendAudit, auditRows } from '../audit/audit-writer.ts';
import { NOT_YET_SENT } from '../deliveries/status.ts';
import { withhold } from './delivery-store.ts';

/** A consent as recorded. */
export interface ConsentRecord {
  id: string;
  /** The subject's pseudonym. */
  subject: string;
  givenBy: ConsentGiver;
  recordedBy: string;
  recordedAt: Date;
  scope: ConsentScope[];
  validFrom: Date;
  validUntil?: Date;
  evidence: ConsentEvidence;
  /** The gateway's signature over the consent receipt given to the person. */
  receiptSignature: string;
  /** SHA-256 (hex) of the withdrawal code printed on the receipt; the code itself is never stored. */
  withdrawalCodeHash: string;
}

/** A recorded consent with its withdrawal, if any. */
export interface ConsentRow extends ConsentRecord {
  withdrawnAt?: Date;
  withdrawalReason?: string;
  withdrawnBy?: string;
}

/** Consents in the store. */
export interface ConsentStore {
  record(consent: ConsentRecord): Promise<void>;
  get(id: string): Promise<ConsentRow | undefined>;
  /** The consents with these ids that exist. */
  getMany(ids: readonly string[]): Promise<ConsentRow[]>;
  /** A subject's consents, newest first. */
  bySubject(subject: string, limit: number): Promise<ConsentRow[]>;
  /**
   * Withdraws, audits, and withholds every delivery relying on the consent that was not sent
   * yet, in one statement; a second withdrawal keeps the first. `undefined` when there is no such consent.
   */
  withdraw(options: { id: string; reason: string; actor: string; via?: 'withdrawal-code' }): Promise<ConsentRow | undefined>;
  /** The id of the consent whose receipt carries the code with this hash. */
  byWithdrawalCode(codeHash: string): Promise<string | undefined>;
  /**
   * Replaces the withdrawal code of a consent not withdrawn (a receipt printed again), audited
   * as `actor` in the same statement; false when there is no such consent, or it is withdrawn.
   */
  replaceWithdrawalCode(options: { id: string; codeHash: string; actor: string }): Promise<boolean>;
  /** Audits that `actor` had a pseudonym computed (who asked; never about whom). */
  pseudonymComputed(actor: string): Promise<void>;
  /** Every pseudonym naming the same subject as `pseudonym` through links, itself included. */
  sameSubject(pseudonym: string): Promise<string[]>;
  /**
   * Links the gateway-issued `issued` to `computed`, audited as `actor` in the same
   * statement. `not-issued` when the gateway issued no such pseudonym; `linked-elsewhere`
   * when it is linked to another already; `linked` when this link holds (new or repeated).
   */
  link(options: { issued: string; computed: string; actor: string }): Promise<{ outcome: 'linked'; linkedAt: Date; linkedBy: string } | { outcome: 'not-issued' | 'linked-elsewhere' }>;
}

/** SQL: the pseudonyms naming the subject $1 names, through links (itself included). */
const SAME_SUBJECT = `WITH root AS (SELECT COALESCE((SELECT computed FROM pseudonym_links WHERE issued = $1), $1) AS p)
  SELECT p FROM root UNION SELECT l.issued FROM pseudonym_links l, root WHERE l.computed = root.p`;

interface Row {
  id: string;
  subject: string;
  given_by: ConsentGiver;
  recorded_by: string;
  recorded_at: Date;
  scope: ConsentScope[];
  valid_from: Date;
  valid_until: Date | null;
  evidence: ConsentEvidence;
  receipt_signature: string;
  withdrawal_code_hash: string | null;
  withdrawn_at: Date | null;
  withdrawal_reason: string | null;
  withdrawn_by: string | null;
}

const COLUMNS = `id, subject, given_by, recorded_by, recorded_at, scope, valid_from, valid_until, evidence, receipt_signature, withdrawal_code_hash,
  withdrawn_at, withdrawal_reason, withdrawn_by`;

/** A consent store on `db`. */
export function createConsentStore(db: Database): ConsentStore {
  return {
    async record(c) {
      // Audit details: ids and codes only; the scope holds participant ids, kinds, purposes and categories.
      await db.query(
        `WITH recorded AS (
           INSERT INTO consents (id, subject, given_by, recorded_by, recorded_at, scope, valid_from, valid_until, evidence, receipt_signature, withdrawal_code_hash)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10, $11) RETURNING id
         )
         ${auditRows({ from: 'recorded', actor: '$4', action: 'consent.recorded', details: "jsonb_build_object('consentId', id, 'givenBy', $3::jsonb->>'kind', 'scope', $6::jsonb)" })}`,
        [c.id, c.subject, JSON.stringify(c.givenBy), c.recordedBy, c.recordedAt, JSON.stringify(c.scope), c.validFrom, c.validUntil ?? null,
          JSON.stringify(c.evidence), c.receiptSignature, c.withdrawalCodeHash],
      );
    },

    async byWithdrawalCode(codeHash) {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM consents WHERE withdrawal_code_hash = $1', [codeHash]);
      return rows[0]?.id;
    },

    async replaceWithdrawalCode({ id, codeHash, actor }) {
      const { rows } = await db.query(
        `WITH replaced AS (
           UPDATE consents SET withdrawal_code_hash = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING id
         ), audit AS (
           ${auditRows({ from: 'replaced', actor: '$3', action: 'consent.withdrawal-code-issued', details: "jsonb_build_object('consentId', id)" })}
         )
         SELECT id FROM replaced`,
        [id, codeHash, actor],
      );
      return rows.length > 0;
    },

    async get(id) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM consents WHERE id = $1`, [id]);
      return rows[0] ? toConsent(rows[0]) : undefined;
    },

    async getMany(ids) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM consents WHERE id = ANY($1::uuid[])`, [ids]);
      return rows.map(toConsent);
    },

    async bySubject(subject, limit) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM consents WHERE subject IN (${SAME_SUBJECT}) ORDER BY recorded_at DESC, id LIMIT $2`, [subject, limit]);
      return rows.map(toConsent);
    },

    async sameSubject(pseudonym) {
      const { rows } = await db.query<{ p: string }>(SAME_SUBJECT, [pseudonym]);
      return rows.map((r) => r.p);
    },

    async link({ issued, computed, actor }) {
      const { rows } = await db.query<{ issued: boolean; computed: string | null; linked_at: Date | null; linked_by: string | null }>(
        `WITH added AS (
           INSERT INTO pseudonym_links (issued, computed, linked_by, linked_at)
           SELECT pseudonym, $2, $3, now() FROM issued_pseudonyms WHERE pseudonym = $1
           ON CONFLICT (issued) DO NOTHING RETURNING issued, computed, linked_by, linked_at
         ), audit AS (
           ${auditRows({ from: 'added', actor: '$3', action: 'pseudonym.linked', details: "jsonb_build_object('issued', issued, 'computed', computed)" })}
         )
         SELECT EXISTS (SELECT 1 FROM issued_pseudonyms WHERE pseudonym = $1) AS issued,
                COALESCE((SELECT computed FROM added), l.computed) AS computed,
                COALESCE((SELECT linked_at FROM added), l.linked_at) AS linked_at,
                COALESCE((SELECT linked_by FROM added), l.linked_by) AS linked_by
         FROM (SELECT 1) one LEFT JOIN pseudonym_links l ON l.issued = $1`,
        [issued, computed, actor],
      );
      const row = rows[0]!;
      if (!row.issued) return { outcome: 'not-issued' };
      if (row.computed !== computed) return { outcome: 'linked-elsewhere' };
      return { outcome: 'linked', linkedAt: row.linked_at!, linkedBy: row.linked_by! };
    },

    async pseudonymComputed(actor) {
      await appendAudit(db, { actor, action: 'pseudonym.computed' });
    },

    async withdraw({ id, reason, actor, via }) {
      const { rows } = await db.query<Row>(
        `WITH withdrawn AS (
           UPDATE consents SET withdrawn_at = now(), withdrawal_reason = $2, withdrawn_by = $3
           WHERE id = $1 AND withdrawn_at IS NULL RETURNING ${COLUMNS}
         ), audit AS (
           ${auditRows({ from: 'withdrawn', actor: '$3', action: 'consent.withdrawn', details: "jsonb_build_object('consentId', id, 'reason', $2::text) || CASE WHEN $5::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('via', $5::text) END" })}
         ), held AS (
           ${withhold({ from: 'withdrawn w', where: 'd.consent_id = w.id AND d.status = ANY($4::text[])', reason: 'consent withdrawn' })}
         )
         SELECT ${COLUMNS} FROM withdrawn
         UNION ALL
         SELECT ${COLUMNS} FROM consents WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM withdrawn)`,
        [id, reason, actor, NOT_YET_SENT, via ?? null],
      );
      return rows[0] ? toConsent(rows[0]) : undefined;
    },
  };
}

function toConsent(row: Row): ConsentRow {
  return {
    id: row.id,
    subject: row.subject,
    givenBy: row.given_by,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    scope: row.scope,
    validFrom: row.valid_from,
    ...(row.valid_until ? { validUntil: row.valid_until } : {}),
    evidence: row.evidence,
    receiptSignature: row.receipt_signature,
    withdrawalCodeHash: row.withdrawal_code_hash ?? '',
    ...(row.withdrawn_at ? { withdrawnAt: row.withdrawn_at, withdrawalReason: row.withdrawal_reason!, withdrawnBy: row.withdrawn_by! } : {}),
  };
}
