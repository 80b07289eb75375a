/**
 * An exchange's evidence bundle: everything needed to show, offline and years later, what was
 * accepted, sealed, delivered and acknowledged, and that the audit log records it — the
 * tracking view, the envelope while it is kept (and each recipient's minimised copy), the
 * seal, the acceptance receipt, the recipients' receipts, the exchange's audit entries with
 * their inclusion proofs and the checkpoint they lead to, and the CA and CRL. The gateway
 * signs the bundle's bytes (a detached JWS by the seal key); docs/verify.md checks it all
 * with openssl and a page of Python.
 */
import type { Exchange } from '../../schemas/index.ts';
import type { JwsSigner } from '../../certs/index.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import { withReceipt } from '../exchanges/acceptance.ts';
import { withoutSeq } from '../exchanges/views.ts';
import type { EvidenceStore } from '../store/evidence-store.ts';
import type { StoredExchange } from '../store/exchange-store.ts';
import type { AuditLog, Checkpoint, InclusionProof } from './audit-log.ts';

export const EVIDENCE_FORMAT = 'referral-gateway-evidence/1';

export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  gateway: string;
  generatedAt: string;
  exchange: Exchange;
  envelope?: Record<string, unknown>;
  acceptanceReceipt?: string;
  deliveries: Array<{ deliveryId: string; recipient: string; envelopeDigest: string; copy?: Record<string, unknown>; seal?: string; receipt?: string }>;
  auditEntries: Array<InclusionProof & { entry: unknown }>;
  checkpoint: Checkpoint;
  ca: string;
  crl: string;
}

export interface EvidenceDeps {
  store: EvidenceStore;
  exchange(id: string): Promise<StoredExchange | undefined>;
  audit: AuditLog;
  sealer: JwsSigner;
  gatewayName: string;
  caPem(): string;
  crlPem(): Promise<string>;
}

export interface Evidence {
  /** The bundle's JSON text and the gateway's detached JWS over exactly those bytes. */
  bundle(caller: Caller, exchangeId: string): Promise<{ body: string; signature: string }>;
}

export function createEvidence(deps: EvidenceDeps): Evidence {
  return {
    async bundle(caller, exchangeId) {
      requireRole(caller, 'auditor');
      const [exchange, rows] = await Promise.all([deps.exchange(exchangeId), deps.store.rows(exchangeId)]);
      if (!exchange || !rows) throw new GatewayError('GW_EXCHANGE_NOT_FOUND', { detail: `No exchange ${exchangeId}.` });
      const items = await deps.audit.search(caller, { exchangeId, limit: 500 });
      const unproved = items.find((i) => !i.proof);
      if (items.length === 0 || unproved) {
        throw new GatewayError('GW_AUDIT_NOT_YET_LOGGED', {
          detail: 'Some of the exchange\'s audit entries are not yet under a signed checkpoint; the bundle can be made after the next one.', headers: { 'retry-after': '60' },
        });
      }
      const treeSize = items[0]!.proof!.treeSize;
      const proofs = await Promise.all(items.map(async (i) => ({ ...(await deps.audit.proof(caller, i.entry.seq, treeSize)), entry: i.entry })));
      const [checkpoint] = await deps.audit.checkpoints(caller, { before: treeSize + 1, limit: 1 });
      const bundle: EvidenceBundle = {
        format: EVIDENCE_FORMAT,
        gateway: deps.gatewayName,
        generatedAt: new Date().toISOString(),
        exchange: withoutSeq(exchange),
        ...(rows.envelope ? { envelope: rows.envelope } : {}),
        ...(rows.acceptance ? { acceptanceReceipt: withReceipt(deps.sealer, rows.acceptance, rows.sender).acceptanceReceipt } : {}),
        deliveries: rows.deliveries.map((d) => ({
          deliveryId: d.deliveryId, recipient: d.recipient, envelopeDigest: d.envelopeDigest,
          ...(d.copy && d.copySeal ? { copy: d.copy, seal: d.copySeal } : {}), ...(d.receipt ? { receipt: d.receipt } : {}),
        })),
        auditEntries: proofs,
        checkpoint: checkpoint!,
        ca: deps.caPem(),
        crl: await deps.crlPem(),
      };
      await deps.store.exported(exchangeId, callerLabel(caller), rows.envelope !== undefined);
      const body = `${JSON.stringify(bundle, null, 2)}\n`;
      return { body, signature: deps.sealer.signDetached(body, { typ: 'evidence-bundle' }) };
    },
  };
}
