/** Adapters: the contract the core calls, the registered adapters, and what they share. */
export { TransientDeliveryError, PermanentDeliveryError, MappingError } from './types.ts';
export type {
  Adapter, AdapterContext, AdapterFactory, AdapterMeta, ClientCertificateCheck, ClientTls, ClientVerdict, DeliveryErrorOptions, DeliveryOutcome, Intake, IntakeAnswer,
  Mapping, NativeDocument, OutboundDelivery, Transmission,
} from './types.ts';
export { ADAPTERS, DEFAULT_ADAPTER, checkAdapterSettings } from './registry.ts';
export { HEADERS as HTTPS_JSON_HEADERS } from './https-json/index.ts';
export { createJsonPoster, parseRetryAfter } from './shared/https.ts';
export type { JsonPoster } from './shared/https.ts';
export { createGatewayIntake } from './shared/intake.ts';
export { createRecipientSimulator } from './https-json/simulator.ts';
export type { ReceiptMode, RecipientSimulator, SimulatorOptions } from './https-json/simulator.ts';
