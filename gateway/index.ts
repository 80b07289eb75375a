/** The gateway: HTTP API, configuration, errors, logging and the store. */
export { createGateway } from './gateway.ts';
export type { Authority, Gateway, GatewayDeps, TlsMaterial } from './gateway.ts';
export type { TrustService } from './trust/trust-service.ts';
export type { AuditLog } from './audit/audit-log.ts';
export type { Retention } from './retention/retention.ts';
export { loadConfig, deliveryPolicy, deliveryProblems, policyWith, ConfigError, ENVIRONMENT } from './config/config.ts';
export type { AdapterCatalogue, Config, DeliveryPolicy, DeliveryConfig, Exemption, LoadConfigOptions, ParticipantDelivery, PeerConfig, Role, TlsFiles, TrustConfig } from './config/config.ts';
export { ERRORS, GatewayError, toProblem } from './errors.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createParticipantRegistry } from './participants/participant-registry.ts';
export type { LiveParticipantRegistry, ParticipantRegistry } from './participants/participant-registry.ts';
export { createPeers } from './federation/peers.ts';
export type { Peer, Peers } from './federation/peers.ts';
export { openDatabase, migrate, createExchangeStore, createDeliveryStore, createWebhookStore, WEBHOOK_SUSPEND_AFTER, createCertificateStore, createConsentStore } from './store/index.ts';
export type { AttemptError, Channel, Database, DeliveryStore, PeerReceiptDue, WebhookStore } from './store/index.ts';
export { addressAllowed, checkWebhookUrl } from './deliveries/webhook-address.ts';
export type { WebhookAllowList } from './deliveries/webhook-address.ts';
