/** Adapters: the contract the core calls, and the adapters that implement it. */
export { TransientDeliveryError, PermanentDeliveryError } from './types.ts';
export type { Adapter, AdapterMeta, OutboundDelivery, DeliveryOutcome, DeliveryErrorOptions } from './types.ts';
export { createHttpsJsonAdapter, HEADERS as HTTPS_JSON_HEADERS } from './https-json/index.ts';
export { createJsonPoster, parseRetryAfter } from './https-json/transport.ts';
export type { ClientTls, JsonPoster } from './https-json/transport.ts';
export { createRecipientSimulator } from './https-json/simulator.ts';
export type { RecipientSimulator, SimulatorOptions } from './https-json/simulator.ts';
