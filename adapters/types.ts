/**
 * The adapter contract: the only operations the gateway core calls on an agency adapter.
 *
 * @remarks Adapters declare, map and transport; they do not decide. Signing, legal-basis
 * checks, data minimisation, auditing, retries and dead-lettering stay in the core. Inbound
 * intake goes through {@link Intake}, which calls the gateway's public API
 * (`POST /v1/exchanges`, `POST /v1/receipts`) with the adapter's own certificate, so the core
 * checks an adapter's submissions like any other caller's. Adapters keep no state of their
 * own: what a later acknowledgement needs travels in the native document and comes back.
 */
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Envelope, MessageType, NewExchange, Problem } from '../schemas/index.ts';

/** What an adapter handles. The core refuses to route other types or versions to it. */
export interface AdapterMeta {
  /** E.g. `https-json`. */
  readonly name: string;
  readonly version: string;
  readonly messageTypes: readonly MessageType[];
  readonly schemaVersions: readonly string[];
  /**
   * The standard fields the mapping carries both ways, per message type: dot paths, `*` for
   * array items (`payload.immediateNeeds.*.need`); a path covers everything beneath it.
   * `'all'` when nothing is dropped. The conformance kit holds the mapping to this.
   */
  readonly fields: 'all' | Readonly<Partial<Record<MessageType, readonly string[]>>>;
}

/** A document in the agency system's own format: the bytes its transport carries. */
export interface NativeDocument {
  /** E.g. `application/xml`, `application/json`. */
  readonly contentType: string;
  readonly body: string;
}

/** What a later acknowledgement needs; the mapping writes it into the native document, the agency system echoes it. */
export interface Transmission {
  readonly deliveryId: string;
  readonly envelopeDigest: string;
  /** The gateway's seal over the envelope's canonical JSON, for formats that carry the envelope as it is (absent in the kit's mapping checks). */
  readonly seal?: string;
}

/** Native ↔ standard. Pure: no I/O, no clock, no randomness, so a document maps the same way every time. */
export interface Mapping {
  /** The envelope as the agency system reads it. Throws {@link MappingError} when a value has no native form. */
  toNative(envelope: Envelope, transmission: Transmission): NativeDocument;
  /**
   * The standard message a native document stands for, from `sender`, valid against the
   * contract. The same document always gives the same `messageId`, which is how intake
   * deduplicates. Throws {@link MappingError} for anything it cannot read.
   */
  fromNative(document: NativeDocument, sender: string): NewExchange;
}

/** A native document or value the mapping cannot read or express. Never carries the value itself. */
export class MappingError extends Error {
  /** Stable: `NATIVE_MALFORMED`, `NATIVE_INVALID`, `UNKNOWN_CODE`, `UNMAPPABLE_VALUE`, `UNSUPPORTED_TYPE`. */
  readonly code: string;
  /** Where, in the native document's own terms (or the standard's, for `toNative`). */
  readonly path: string | undefined;
  constructor(message: string, options: { code: string; path?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MappingError';
    this.code = options.code;
    this.path = options.path;
  }
}

/** The gateway's answer to something an adapter handed in. */
export type IntakeAnswer =
  | { readonly ok: true; readonly status: number; /** 200 for a replay of the same messageId. */ readonly replayed: boolean; readonly exchangeId?: string }
  | { readonly ok: false; readonly status: number; readonly problem: Problem };

/** The gateway as an adapter's inbound side sees it. */
export interface Intake {
  /** Submits a standard message on the participant's behalf. A replay of the same messageId is answered, not accepted twice. */
  submit(exchange: NewExchange): Promise<IntakeAnswer>;
  /** Confirms that the agency system took a delivery: a receipt signed with the adapter's key. */
  acknowledge(transmission: Transmission): Promise<IntakeAnswer>;
}

/** What every adapter is created with. */
export interface AdapterContext {
  /** The participant the adapter serves. */
  readonly participantId: string;
  /** Where the agency system is (`https://…`, `sftp://…`). */
  readonly endpoint: string;
  /** Adapter-specific settings, already checked against the factory's `settingsSchema`. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The gateway's client certificate, and the CA the agency system's certificate must chain to. */
  readonly tls: ClientTls;
  /** The gateway's server certificate, for adapters that listen for their agency system (which must present a certificate naming the participant). */
  readonly serverTls?: ClientTls;
  /** One attempt's time limit. */
  readonly timeoutMs: number;
  /** Never give it payloads: codes, ids and counts only. */
  readonly logger: Logger;
  /** The gateway, for inbound documents and acknowledgements; absent when the participant only receives. */
  readonly intake?: Intake;
  /**
   * The gateway's own check of a client certificate, for a listener the adapter runs: pass it
   * to `serveHttps` (`clients`). The conformance kit checks that a revoked certificate is refused.
   */
  readonly checkClient: ClientCertificateCheck;
}

/** The verdict on the client certificate of a connection to an adapter's listener. */
export type ClientVerdict =
  | { readonly ok: true; readonly participantId: string }
  | { readonly ok: false; readonly code: string; readonly detail: string };

/**
 * Checks a connection's client certificate exactly as the gateway's API does — chain,
 * validity, key usage, revocation (on every request, not once per connection) and the
 * participant registry — so that every door the gateway runs checks the same things.
 */
export type ClientCertificateCheck = (socket: TLSSocket) => ClientVerdict;

/** TLS material for calling out: the CA the endpoint's certificate must chain to, and our client certificate. */
export interface ClientTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** How an adapter is registered: `adapters/registry.ts` lists one per folder. */
export interface AdapterFactory {
  readonly meta: AdapterMeta;
  /** JSON Schema for `delivery.participants.<id>.settings`; checked when the configuration loads. */
  readonly settingsSchema: Readonly<Record<string, unknown>>;
  create(context: AdapterContext): Adapter;
}

/** One attempt to hand an envelope to a recipient. */
export interface OutboundDelivery {
  readonly deliveryId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly recipient: string;
  readonly envelope: Envelope;
  /** The RFC 8785 canonical JSON of `envelope`: send these bytes, so digests match. */
  readonly canonical: string;
  /** `sha256:<hex>` of `canonical`; recipients name it in their receipt. */
  readonly envelopeDigest: string;
  /** The gateway's seal: a detached compact JWS whose payload is `canonical`. Pass it on; recipients verify it. */
  readonly seal: string;
  /** Aborted when the attempt's time limit passes or the worker shuts down. */
  readonly signal: AbortSignal;
}

/** What the recipient's system said, when it said anything worth keeping. */
export interface DeliveryOutcome {
  /** The recipient's own reference for the message, if it returns one. */
  readonly remoteReference?: string;
  /**
   * The recipient's signed receipt (a compact JWS, as `POST /v1/receipts` takes it), when its
   * system answered the delivery with one. Passed on as it came: the core verifies it exactly
   * as it verifies `POST /v1/receipts` and, when it holds, records the delivery `acknowledged`
   * with the attempt, in one statement; when it does not, the delivery is `delivered` and
   * waits for a receipt by the API.
   */
  readonly receipt?: string;
}

/** An agency adapter: one instance per recipient participant. */
export interface Adapter {
  readonly meta: AdapterMeta;
  readonly mapping: Mapping;
  /** Where the agency system sends its documents, once `start` has run; absent when the adapter only delivers or receives by polling. */
  readonly intakeUrl?: string | undefined;
  /**
   * Hands the envelope over. Resolves once the recipient's system has taken it. Throws
   * {@link TransientDeliveryError} when a later attempt may succeed and
   * {@link PermanentDeliveryError} when none will; anything else counts as transient.
   */
  deliver(delivery: OutboundDelivery): Promise<DeliveryOutcome>;
  /**
   * Starts taking input from the agency system (listening, polling) and handing it to the
   * context's `intake`. Adapters that only deliver leave it out.
   */
  start?(): Promise<void>;
  /** Stops intake and releases connections; called once at shutdown. */
  close(): Promise<void>;
}

/** Options every failure carries. */
export interface DeliveryErrorOptions {
  /** Stable, short, no personal data: `HTTP_503`, `ECONNREFUSED`, `TIMEOUT`, `MAPPING`. */
  code: string;
  /** When the recipient asked to wait (429/503 `Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** The attempt failed, a later one may succeed: retried with backoff. */
export class TransientDeliveryError extends Error {
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransientDeliveryError';
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** No attempt will succeed (the recipient refused the document, or it cannot be mapped): dead-lettered at once. */
export class PermanentDeliveryError extends Error {
  readonly code: string;
  constructor(message: string, options: Omit<DeliveryErrorOptions, 'retryAfterMs'>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PermanentDeliveryError';
    this.code = options.code;
  }
}
