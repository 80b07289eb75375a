/** What the store knows about disclosures of one person's data, for the subject access report (GDPR Art. 15). */
import type { Database } from './database.ts';
import { appendAudit } from '../audit/audit-writer.ts';

/** One delivery of an exchange about the person. */
export interface DisclosureRow {
  exchangeId: string;
  type: string;
  correlationId: string;
  sender: string;
  acceptedAt: Date;
  recipient: string;
  status: string;
  /** When the recipient's system got it (delivered or acknowledged), if it did. */
  disclosedAt?: Date;
  consentId?: string;
  /** The legal basis as the acceptance recorded it for this recipient: `consent` or the exemption. */
  basis?: string;
  withheldCategories: string[];
  /** The categories its copy carried, recorded at the purge. */
  disclosedCategories?: string[];
  /** The recipient's copy (or the full envelope) while it is kept. */
  copy?: { type: string };
  purgedAt?: Date;
}

export interface DisclosureStore {
  /** Every delivery of every exchange whose subject is one of `pseudonyms`, oldest first. */
  disclosures(pseudonyms: readonly string[]): Promise<DisclosureRow[]>;
  /** Audits that `actor` produced a report listing `count` deliveries (never about whom). */
  reported(actor: string, count: number): Promise<void>;
}

interface Row {
  exchange_id: string; type: string; correlation_id: string; sender: string; accepted_at: Date; recipient: string; status: string;
  disclosed_at: Date | null; consent_id: string | null; basis: string | null; withheld_categories: string[]; disclosed_categories: string[] | null;
  copy: { type: string } | null; purged_at: Date | null;
}

export function createDisclosureStore(db: Database): DisclosureStore {
  return {
    async disclosures(pseudonyms) {
      const { rows } = await db.query<Row>(
        `SELECT e.id AS exchange_id, e.type, e.correlation_id, e.sender, e.accepted_at, d.recipient, d.status,
                (SELECT min(ev.at) FROM delivery_events ev WHERE ev.delivery_id = d.id AND ev.status IN ('delivered', 'acknowledged')) AS disclosed_at,
                d.consent_id, COALESCE(a.details #>> ARRAY['recipientLegalBasis', d.recipient], a.details ->> 'legalBasis') AS basis,
                d.withheld_categories, d.disclosed_categories, COALESCE(d.envelope, e.envelope) AS copy, e.purged_at
           FROM exchanges e
           JOIN deliveries d ON d.exchange_id = e.id
           LEFT JOIN audit_log a ON a.exchange_id = e.id AND a.action = 'exchange.accepted'
          WHERE e.subject = ANY($1::text[])
          ORDER BY e.accepted_at, e.id, d.recipient`,
        [pseudonyms],
      );
      return rows.map((r) => ({
        exchangeId: r.exchange_id, type: r.type, correlationId: r.correlation_id, sender: r.sender, acceptedAt: new Date(r.accepted_at),
        recipient: r.recipient, status: r.status, ...(r.disclosed_at ? { disclosedAt: new Date(r.disclosed_at) } : {}),
        ...(r.consent_id ? { consentId: r.consent_id } : {}), ...(r.basis ? { basis: r.basis } : {}),
        withheldCategories: r.withheld_categories, ...(r.disclosed_categories ? { disclosedCategories: r.disclosed_categories } : {}),
        ...(r.copy ? { copy: r.copy } : {}), ...(r.purged_at ? { purgedAt: new Date(r.purged_at) } : {}),
      }));
    },
    reported: (actor, count) => appendAudit(db, { actor, action: 'subject-access.reported', details: { deliveries: count } }),
  };
}
