/** Issued certificates and their revocations, in the store. */
import type { Database } from './database.ts';
import { auditRows } from '../audit/audit-writer.ts';

/** Who a certificate names, as recorded. */
export type CertificateSubjectKind = 'participant' | 'adapter' | 'administrator' | 'gateway' | 'endpoint';

/** A certificate as recorded at issuance. */
export interface CertificateRecord {
  serial: string;
  subjectKind: CertificateSubjectKind;
  /** The participant a participant's or adapter's certificate names. */
  participant?: string;
  /** The adapter's, administrator's or gateway's name. */
  name?: string;
  roles: string[];
  /** `sha256:<hex>` of the DER certificate. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
  issuedBy: string;
  replaces?: string;
}

/** A recorded certificate with its revocation, if any. */
export interface CertificateRow extends CertificateRecord {
  issuedAt: Date;
  revokedAt?: Date;
  revocationReason?: string;
  revokedBy?: string;
}

/** Filters for {@link CertificateStore.list}. */
export interface CertificateFilter {
  participant?: string;
  /** Only certificates neither revoked nor expired whose validity ends before this time. */
  expiringBefore?: Date;
  limit: number;
}

/** The outcome of a revocation. */
export type RevokeOutcome =
  | { outcome: 'revoked' | 'already-revoked'; certificate: CertificateRow; /** Renewals revoked with it (key compromise). */ cascaded: string[] }
  | { outcome: 'not-found' };

/** Certificates in the store. */
export interface CertificateStore {
  /** Records an issued certificate; `false` when its serial was already recorded. */
  record(certificate: CertificateRecord): Promise<boolean>;
  get(serial: string): Promise<CertificateRow | undefined>;
  /** The unrevoked certificates issued to replace `serial`. */
  successors(serial: string): Promise<CertificateRow[]>;
  /** Newest first. */
  list(filter: CertificateFilter): Promise<CertificateRow[]>;
  /**
   * Revokes and writes the audit entry in one statement; revoking twice keeps the first
   * reason and time. For `keyCompromise`, the renewals the participant issued itself from
   * this certificate (following `replaces`) are revoked with it: whoever held the key may
   * have made them.
   */
  revoke(options: { serial: string; reason: string; actor: string }): Promise<RevokeOutcome>;
  /** Revokes (`superseded`) each certificate whose successor was issued before `issuedBefore`; returns their serials. */
  retireSuperseded(options: { issuedBefore: Date; actor: string }): Promise<string[]>;
  /** Every revoked serial with when and why: the revocation list. */
  revocations(): Promise<Array<{ serial: string; revokedAt: Date; reason: string }>>;
  /** The next CRL number. */
  nextCrlNumber(): Promise<number>;
}

interface Row {
  serial: string;
  subject_kind: CertificateSubjectKind;
  participant: string | null;
  name: string | null;
  roles: string[];
  fingerprint: string;
  not_before: Date;
  not_after: Date;
  certificate: string;
  issued_at: Date;
  issued_by: string;
  replaces: string | null;
  revoked_at: Date | null;
  revocation_reason: string | null;
  revoked_by: string | null;
}

const COLUMNS = `serial, subject_kind, participant, name, roles, fingerprint, not_before, not_after, certificate,
  issued_at, issued_by, replaces, revoked_at, revocation_reason, revoked_by`;

/** A certificate store on `db`. */
export function createCertificateStore(db: Database): CertificateStore {
  return {
    async record(c) {
      const { rows } = await db.query(
        `WITH issued AS (
           INSERT INTO certificates (serial, subject_kind, participant, name, roles, fingerprint, not_before, not_after, certificate, issued_by, replaces)
           VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING serial
         ), audit AS (
           ${auditRows({ from: 'issued', actor: '$10', action: 'certificate.issued', details: "jsonb_build_object('serial', serial, 'subjectKind', $2::text, 'participant', $3::text, 'name', $4::text, 'roles', $5::text[], 'replaces', $11::text)" })}
         )
         SELECT serial FROM issued`,
        [c.serial, c.subjectKind, c.participant ?? null, c.name ?? null, c.roles, c.fingerprint, c.notBefore, c.notAfter, c.certificatePem, c.issuedBy, c.replaces ?? null],
      );
      return rows.length > 0;
    },

    async get(serial) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM certificates WHERE serial = $1`, [serial]);
      return rows[0] ? toCertificate(rows[0]) : undefined;
    },

    async successors(serial) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM certificates WHERE replaces = $1 AND revoked_at IS NULL ORDER BY issued_at`, [serial]);
      return rows.map(toCertificate);
    },

    async list(filter) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM certificates
         WHERE ($1::text IS NULL OR participant = $1)
           AND ($2::timestamptz IS NULL OR (revoked_at IS NULL AND not_after > now() AND not_after < $2))
         ORDER BY issued_at DESC, serial LIMIT $3`,
        [filter.participant ?? null, filter.expiringBefore ?? null, filter.limit],
      );
      return rows.map(toCertificate);
    },

    async revoke({ serial, reason, actor }) {
      const { rows } = await db.query<Row & { moved: boolean; cascaded: string[] }>(
        `WITH RECURSIVE renewals AS (
           SELECT c.serial, c.issued_by FROM certificates c
           WHERE $2 = 'keyCompromise' AND c.replaces = $1 AND c.issued_by = 'participant:' || c.participant
           UNION
           SELECT c.serial, c.issued_by FROM certificates c JOIN renewals r ON c.replaces = r.serial WHERE c.issued_by = r.issued_by
         ), revoked AS (
           UPDATE certificates SET revoked_at = now(), revocation_reason = $2, revoked_by = $3
           WHERE (serial = $1 OR serial IN (SELECT serial FROM renewals)) AND revoked_at IS NULL RETURNING ${COLUMNS}
         ), audit AS (
           ${auditRows({ from: 'revoked', actor: '$3', action: 'certificate.revoked', details: "jsonb_build_object('serial', serial, 'reason', $2::text) || CASE WHEN serial = $1 THEN '{}'::jsonb ELSE jsonb_build_object('renewalOf', $1::text) END" })}
         )
         SELECT ${COLUMNS}, true AS moved, ARRAY(SELECT serial FROM revoked WHERE serial <> $1) AS cascaded FROM revoked WHERE serial = $1
         UNION ALL
         SELECT ${COLUMNS}, false AS moved, ARRAY(SELECT serial FROM revoked) AS cascaded FROM certificates WHERE serial = $1 AND NOT EXISTS (SELECT 1 FROM revoked WHERE serial = $1)`,
        [serial, reason, actor],
      );
      const row = rows[0];
      if (!row) return { outcome: 'not-found' };
      return { outcome: row.moved ? 'revoked' : 'already-revoked', certificate: toCertificate(row), cascaded: row.cascaded };
    },

    async retireSuperseded({ issuedBefore, actor }) {
      const { rows } = await db.query<{ serial: string }>(
        `WITH retired AS (
           UPDATE certificates old SET revoked_at = now(), revocation_reason = 'superseded', revoked_by = $2
           FROM certificates successor
           WHERE successor.replaces = old.serial AND successor.issued_at < $1 AND successor.revoked_at IS NULL AND old.revoked_at IS NULL
           RETURNING old.serial
         ), audit AS (
           ${auditRows({ from: 'retired', actor: '$2', action: 'certificate.revoked', details: "jsonb_build_object('serial', serial, 'reason', 'superseded')" })}
         )
         SELECT serial FROM retired`,
        [issuedBefore, actor],
      );
      return rows.map((r) => r.serial);
    },

    async revocations() {
      const { rows } = await db.query<{ serial: string; revoked_at: Date; revocation_reason: string }>(
        'SELECT serial, revoked_at, revocation_reason FROM certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial',
      );
      return rows.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at, reason: r.revocation_reason }));
    },

    async nextCrlNumber() {
      const { rows } = await db.query<{ n: string }>(`SELECT nextval('crl_number')::text AS n`);
      return Number(rows[0]!.n);
    },
  };
}

function toCertificate(row: Row): CertificateRow {
  return {
    serial: row.serial,
    subjectKind: row.subject_kind,
    ...(row.participant ? { participant: row.participant } : {}),
    ...(row.name ? { name: row.name } : {}),
    roles: row.roles,
    fingerprint: row.fingerprint,
    notBefore: row.not_before,
    notAfter: row.not_after,
    certificatePem: row.certificate,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
    ...(row.replaces ? { replaces: row.replaces } : {}),
    ...(row.revoked_at ? { revokedAt: row.revoked_at, revocationReason: row.revocation_reason!, revokedBy: row.revoked_by! } : {}),
  };
}
