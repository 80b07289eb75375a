/** What an exchange's evidence bundle is made of, as the store keeps it. */
import type { Database } from './database.ts';
import type { StoredAcceptance } from './exchange-store.ts';
import { appendAudit } from '../audit/audit-writer.ts';

export interface EvidenceRows {
  sender: string;
  /** Absent once purged. */
  envelope?: Record<string, unknown>;
  /** The answer the sender got (its acceptance receipt is made again from it). */
  acceptance?: StoredAcceptance;
  deliveries: Array<{
    deliveryId: string;
    recipient: string;
    /** The recipient's own minimised copy and its seal, when it got one (otherwise the envelope and the exchange's seal). */
    copy?: Record<string, unknown>;
    copySeal?: string;
    envelopeDigest: string;
    receipt?: string;
  }>;
}

export interface EvidenceStore {
  rows(exchangeId: string): Promise<EvidenceRows | undefined>;
  /** Audits that `actor` exported the bundle (it holds the payload while it is kept). */
  exported(exchangeId: string, actor: string, withPayload: boolean): Promise<void>;
}

export function createEvidenceStore(db: Database): EvidenceStore {
  return {
    async rows(exchangeId) {
      const { rows: [exchange] } = await db.query<{ sender: string; envelope: Record<string, unknown> | null; response: StoredAcceptance | null }>(
        `SELECT e.sender, e.envelope, i.response FROM exchanges e
           LEFT JOIN idempotency_keys i ON i.sender = e.sender AND i.message_id = e.message_id AND i.exchange_id = e.id
          WHERE e.id = $1`,
        [exchangeId],
      );
      if (!exchange) return undefined;
      const { rows } = await db.query<{ id: string; recipient: string; envelope: Record<string, unknown> | null; seal: string | null; envelope_digest: string; receipt: string | null }>(
        `SELECT d.id, d.recipient, d.envelope, d.seal, COALESCE(d.envelope_digest, e.envelope_digest) AS envelope_digest, d.receipt
           FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE d.exchange_id = $1 ORDER BY d.recipient`,
        [exchangeId],
      );
      return {
        sender: exchange.sender,
        ...(exchange.envelope ? { envelope: exchange.envelope } : {}),
        ...(exchange.response ? { acceptance: exchange.response } : {}),
        deliveries: rows.map((d) => ({
          deliveryId: d.id, recipient: d.recipient, envelopeDigest: d.envelope_digest,
          ...(d.envelope ? { copy: d.envelope } : {}), ...(d.seal ? { copySeal: d.seal } : {}), ...(d.receipt ? { receipt: d.receipt } : {}),
        })),
      };
    },
    exported: (exchangeId, actor, withPayload) => appendAudit(db, { actor, action: 'evidence.exported', exchangeId, details: { withPayload } }),
  };
}
