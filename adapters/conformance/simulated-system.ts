/** The simulated agency system every adapter ships (for the kit, the integration tests and the demo): no test runner needed. */
import type { SendAnswer } from '../shared/https.ts';
import type { NativeDocument } from '../types.ts';

/** The agency system, simulated, speaking the adapter's real protocol. */
export interface SimulatedSystem {
  /** messageIds the system has taken from the adapter, each once. */
  taken(): readonly string[];
  /** The next delivery fails: `busy` for a while (a later attempt may succeed), `refuse` for good (the document is rejected). */
  failNext(kind: 'busy' | 'refuse'): void;
  /** The system goes away (nothing listens); `start` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Hands a native document to the adapter's intake, as the agency system does. Resolves with what the system was told. */
  send?(document: NativeDocument): Promise<SendAnswer>;
  close(): Promise<void>;
}
