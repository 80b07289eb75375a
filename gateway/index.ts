/** The gateway: HTTP API, configuration, errors, logging and the store. */
export { createGateway } from './gateway.ts';
export type { Authority, Gateway, GatewayDeps, TlsMaterial } from './gateway.ts';
export type { TrustService } from './trust-service.ts';
export { loadConfig, deliveryPolicy, ConfigError } from './config.ts';
export type { Config, DeliveryPolicy, DeliveryConfig, ParticipantDelivery, Role, TlsFiles, TrustConfig } from './config.ts';
export { ERRORS, GatewayError, toProblem } from './errors.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createParticipantRegistry } from './participant-registry.ts';
export type { ParticipantRegistry } from './participant-registry.ts';
export { createPeers } from './peers.ts';
export type { Peer, Peers } from './peers.ts';
export * from './store/index.ts';
