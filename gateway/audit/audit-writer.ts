/**
 * The one writer of the audit log: every entry is appended through this module, inside the
 * statement or transaction of the change it records, and only when that change happened.
 * (One exception, by design: a delivery's outcome is written by the database's trigger on
 * its status, migration 019, so no status change can escape it.) Entries hold ids, codes
 * and reasons typed by operators; never payloads. The chainer (`audit-log.ts`) then puts
 * each in the tamper-evident tree.
 */
import type { Queryable } from '../store/database.ts';

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'exchange.accepted',
  'exchange.cancelled',
  'delivery.delivered',
  'delivery.acknowledged',
  'delivery.failed',
  'delivery.withheld',
  'delivery.expired',
  'dead-letter.retried',
  'dead-letter.discarded',
  'webhook.registered',
  'webhook.removed',
  'consent.recorded',
  'consent.withdrawn',
  'consent.withdrawal-code-issued',
  'pseudonym.computed',
  'pseudonym.linked',
  'exemption.reviewed',
  'certificate.issued',
  'certificate.revoked',
  'participant.added',
  'participant.changed',
  'participant.delivery-changed',
  'participant.suspended',
  'participant.reinstated',
  'retention.purged',
  'legal-hold.placed',
  'legal-hold.released',
  'subject-access.reported',
  'evidence.exported',
  'statistics.released',
  'statistics.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit entry. */
export interface AuditEntry {
  actor: string;
  action: AuditAction;
  exchangeId?: string;
  details?: Record<string, unknown>;
}

/** Appends `entry`; call it with the transaction that makes the change. */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(`${AUDIT_INSERT} VALUES (now(), $1, $2, $3, $4::jsonb)`, [
    entry.actor, entry.action, entry.exchangeId ?? null, JSON.stringify(entry.details ?? {}),
  ]);
}

/** SQL expressions (parameters, columns of `from`) of an entry written by {@link auditRows}. */
export interface AuditRowsSql {
  /** The CTE or table whose rows are the changes recorded: one entry per row, none when it is empty. */
  from: string;
  actor: string;
  action: AuditAction;
  exchangeId?: string;
  details: string;
  /** Default: the statement's time. */
  at?: string;
}

/**
 * SQL (for a data-modifying CTE) appending one entry per row of `from`: the change and its
 * record in one statement. Given several, their entries are appended in the order given
 * (one insert: two CTEs writing the log would run in no defined order).
 */
export function auditRows(sql: AuditRowsSql | readonly AuditRowsSql[]): string {
  const all: readonly AuditRowsSql[] = Array.isArray(sql) ? sql : [sql as AuditRowsSql];
  const columns = (s: AuditRowsSql) =>
    `${s.at ?? 'now()'} AS at, ${s.actor} AS actor, '${s.action}' AS action, ${s.exchangeId ?? 'NULL::uuid'} AS exchange_id, ${s.details} AS details`;
  if (all.length === 1) return `${AUDIT_INSERT} SELECT ${columns(all[0]!)} FROM ${all[0]!.from}`;
  const entries = all.map((s, order) => `SELECT ${columns(s)}, ${order} AS entry_order FROM ${s.from}`).join(' UNION ALL ');
  return `${AUDIT_INSERT} SELECT at, actor, action, exchange_id, details FROM (${entries}) entries ORDER BY entry_order`;
}

const AUDIT_INSERT = 'INSERT INTO audit_log (at, actor, action, exchange_id, details)';
