/** The gateway's store: PostgreSQL or PGlite, migrations, exchanges. */
export { openDatabase } from './database.ts';
export type { Database, Queryable, OpenDatabaseOptions } from './database.ts';
export { migrate } from './migrate.ts';
export { createExchangeStore } from './exchange-store.ts';
export type { ExchangeStore, ExchangeRecord, AcceptOutcome, ListFilter, StoredAcceptance, StoredExchange } from './exchange-store.ts';
export { createDeliveryStore, NOT_YET_SENT, DELIVERABLE, EVENTS_PAGE } from './delivery-store.ts';
export type { DeliveryStore, DeliveryWork, AttemptRecord, AttemptError, OutboxEntry, StatusEventRow, DeadLetterRow, InboxRow, Channel, PeerReceiptDue } from './delivery-store.ts';
export { createWebhookStore, WEBHOOK_SUSPEND_AFTER } from './webhook-store.ts';
export type { WebhookStore, WebhookRow } from './webhook-store.ts';
export { appendAudit } from '../audit/audit-writer.ts';
export type { AuditEntry } from '../audit/audit-writer.ts';
export { createCertificateStore } from './certificate-store.ts';
export type { CertificateStore, CertificateRecord, CertificateRow, CertificateFilter, CertificateSubjectKind, RevokeOutcome } from './certificate-store.ts';
export { createConsentStore } from './consent-store.ts';
export type { ConsentStore, ConsentRecord, ConsentRow } from './consent-store.ts';
export { createReviewStore } from './review-store.ts';
export type { ReviewStore, ExemptionReviewRow } from './review-store.ts';
