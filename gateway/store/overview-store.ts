/** The figures of the operators' overview: counts only, read in one statement so they agree with each other. */
import type { Database } from './database.ts';

/** What the overview reads from the store. */
export interface OverviewFigures {
  byStatus: Record<string, number>;
  /** Failed attempts in each of the last 24 hours, oldest first (index 23 is the current hour). */
  failedAttemptsByHour: number[];
  recipients: Array<{
    recipient: string;
    waiting: number;
    retrying: number;
    deadLetters: number;
    failedAttemptsLastDay: number;
    lastFailureAt?: Date;
    lastErrorCode?: string;
  }>;
  certificatesExpiring: number;
  consentsExpiring: number;
}

export interface OverviewStore {
  /** Figures as of `now`; "expiring" means within `expiringDays` from now. */
  figures(now: Date, expiringDays: number): Promise<OverviewFigures>;
}

interface Row {
  by_status: Record<string, number> | null;
  by_hour: number[];
  recipients: Array<{ recipient: string; waiting: number; retrying: number; dead: number; failed: number; last_failure_at: string | null; last_error_code: string | null }> | null;
  certificates: number;
  consents: number;
}

/** The overview's queries on `db`; each uses an index (status, failed attempts by time, expiry). */
export function createOverviewStore(db: Database): OverviewStore {
  return {
    async figures(now, expiringDays) {
      const { rows } = await db.query<Row>(
        `WITH failed AS (
           SELECT a.started_at, a.error->>'code' AS code, d.recipient
           FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
           WHERE a.outcome <> 'delivered' AND a.started_at > $1::timestamptz - interval '24 hours'
         ), open AS (
           SELECT recipient,
                  count(*) FILTER (WHERE status IN ('accepted', 'queued', 'delivering'))::int AS waiting,
                  count(*) FILTER (WHERE status = 'retrying')::int AS retrying,
                  count(*) FILTER (WHERE status = 'failed')::int AS dead
           FROM deliveries WHERE status IN ('accepted', 'queued', 'delivering', 'retrying', 'failed') GROUP BY recipient
         ), failing AS (
           SELECT DISTINCT ON (recipient) recipient, count(*) OVER (PARTITION BY recipient)::int AS failed, started_at AS last_failure_at, code AS last_error_code
           FROM failed ORDER BY recipient, started_at DESC
         ), per_recipient AS (
           SELECT COALESCE(o.recipient, f.recipient) AS recipient, COALESCE(o.waiting, 0) AS waiting, COALESCE(o.retrying, 0) AS retrying,
                  COALESCE(o.dead, 0) AS dead, COALESCE(f.failed, 0) AS failed, f.last_failure_at, f.last_error_code
           FROM open o FULL JOIN failing f ON f.recipient = o.recipient
         )
         SELECT
           (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM deliveries GROUP BY status) s) AS by_status,
           (SELECT array_agg(COALESCE(c.n, 0) ORDER BY h.i) FROM generate_series(0, 23) AS h(i)
              LEFT JOIN (SELECT 23 - floor(extract(epoch FROM ($1::timestamptz - started_at)) / 3600)::int AS i, count(*)::int AS n FROM failed GROUP BY 1) c ON c.i = h.i) AS by_hour,
           (SELECT jsonb_agg(p ORDER BY p.recipient) FROM per_recipient p) AS recipients,
           (SELECT count(*)::int FROM certificates WHERE revoked_at IS NULL AND not_after > $1::timestamptz AND not_after <= $1::timestamptz + $2 * interval '1 day') AS certificates,
           (SELECT count(*)::int FROM consents WHERE withdrawn_at IS NULL AND valid_until > $1::timestamptz AND valid_until <= $1::timestamptz + $2 * interval '1 day') AS consents`,
        [now, expiringDays],
      );
      const row = rows[0]!;
      return {
        byStatus: row.by_status ?? {},
        failedAttemptsByHour: row.by_hour,
        recipients: (row.recipients ?? []).map((r) => ({
          recipient: r.recipient, waiting: r.waiting, retrying: r.retrying, deadLetters: r.dead, failedAttemptsLastDay: r.failed,
          ...(r.last_failure_at ? { lastFailureAt: new Date(r.last_failure_at) } : {}),
          ...(r.last_error_code ? { lastErrorCode: r.last_error_code } : {}),
        })),
        certificatesExpiring: row.certificates,
        consentsExpiring: row.consents,
      };
    },
  };
}
