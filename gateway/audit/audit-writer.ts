/** Appending to the audit log. Entries hold ids, codes and reasons typed by operators; never payloads. */
import type { Queryable } from '../store/database.ts';

/** One audit entry. */
export interface AuditEntry {
  actor: string;
  action: string;
  exchangeId?: string;
  details?: Record<string, unknown>;
}

/** Appends `entry`. */
export async function appendAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, action, exchange_id, details) VALUES ($1, $2, $3, $4::jsonb)', [
    entry.actor, entry.action, entry.exchangeId ?? null, JSON.stringify(entry.details ?? {}),
  ]);
}
