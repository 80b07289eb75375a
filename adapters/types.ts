/**
 * The adapter contract: the only operations the gateway core calls on an agency adapter.
 *
 * @remarks Adapters declare and transport; they do not decide. Signing, legal-basis checks,
 * data minimisation, auditing, retries and dead-lettering stay in the core. Inbound intake
 * (an agency system's native input becoming a standard message) and receipts are part of
 * the next adapter issue; an adapter that receives calls the gateway's public API
 * (`POST /v1/exchanges`, `POST /v1/receipts`) with its participant certificate, so the core
 * checks it like any other caller.
 */
import type { Envelope, MessageType } from '../schemas/index.ts';

/** What an adapter handles. The core refuses to route other types or versions to it. */
export interface AdapterMeta {
  /** E.g. `https-json`. */
  readonly name: string;
  readonly version: string;
  readonly messageTypes: readonly MessageType[];
  readonly schemaVersions: readonly string[];
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
}

/** An agency adapter: one instance per recipient participant. */
export interface Adapter {
  readonly meta: AdapterMeta;
  /**
   * Hands the envelope over. Resolves once the recipient's system has taken it. Throws
   * {@link TransientDeliveryError} when a later attempt may succeed and
   * {@link PermanentDeliveryError} when none will; anything else counts as transient.
   */
  deliver(delivery: OutboundDelivery): Promise<DeliveryOutcome>;
  /** Releases connections; called once at shutdown. */
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
