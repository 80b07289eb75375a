/**
 * The participant registry: who takes part, what each may send and what each accepts, and
 * who is suspended. It lives in the store; each process reads it whole into memory and reads
 * it again when its version changes (looked at every second), so a change an operator makes
 * in one process holds in every process within a second, and at once in its own.
 */
import type { DeliverySettings, MessageType, Participant } from '../../schemas/index.ts';
import type { ParticipantRow, ParticipantStore } from '../store/index.ts';

/** Read-only view of the participants. */
export interface ParticipantRegistry {
  /** Every participant, suspended ones too (marked `suspended`). */
  list(): readonly Participant[];
  get(id: string): Participant | undefined;
  /** Whether an operator has suspended the participant: it neither sends nor is addressed. */
  isSuspended(id: string): boolean;
  /** Whether `sender` may send messages of `type`. */
  maySend(sender: string, type: MessageType): boolean;
  /** Whether `recipient` accepts `type` in `schemaVersion`. */
  accepts(recipient: string, type: MessageType, schemaVersion: string): boolean;
}

/** A registry over fixed participants (what the configuration declares; tests and tools). */
export function createParticipantRegistry(participants: readonly Participant[], suspended: ReadonlySet<string> = new Set()): ParticipantRegistry {
  const listed = participants.map((p) => (suspended.has(p.id) ? { ...p, suspended: true } : p));
  const byId = new Map(listed.map((p) => [p.id, p]));
  return {
    list: () => listed,
    get: (id) => byId.get(id),
    isSuspended: (id) => suspended.has(id),
    maySend: (sender, type) => byId.get(sender)?.sends.includes(type) ?? false,
    accepts: (recipient, type, schemaVersion) =>
      byId.get(recipient)?.accepts.some((a) => a.type === type && (a.schemaVersions as string[]).includes(schemaVersion)) ?? false,
  };
}

/** The registry of a running gateway, kept in step with the store. */
export interface LiveParticipantRegistry extends ParticipantRegistry {
  /** Adds the configured participants the store lacks, reads the store, and keeps reading it when it changes. */
  start(): Promise<void>;
  /** Reads the store again if anything changed there (after this process's own change, at once). */
  refresh(): Promise<void>;
  /** The stored rows as last read (for the admin view). */
  rows(): readonly ParticipantRow[];
  /** How `id` receives, as the store says; undefined: it pulls from its inbox. */
  delivery(id: string): DeliverySettings | undefined;
  /** Calls `listener` after every read that changed something; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  stop(): void;
}

/** Options for {@link createLiveParticipantRegistry}. */
export interface LiveRegistryOptions {
  store: ParticipantStore;
  /** The configured participants: the registry until the store is read, and its seed. */
  seed: readonly Participant[];
  /** The configured delivery settings of the seed's participants. */
  seedDelivery?: Readonly<Record<string, DeliverySettings>>;
  /** How often to look whether the store changed. */
  refreshMs: number;
  onError(error: unknown): void;
}

/** The live registry over `store`. */
export function createLiveParticipantRegistry(options: LiveRegistryOptions): LiveParticipantRegistry {
  let current = createParticipantRegistry(options.seed);
  let rows: readonly ParticipantRow[] = [];
  let deliveries = new Map<string, DeliverySettings>(Object.entries(options.seedDelivery ?? {}));
  let version = -1n;
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;
  const listeners = new Set<() => void>();

  const read = async () => {
    const latest = await options.store.version();
    if (latest === version) return;
    rows = await options.store.all();
    version = rows.reduce((max, r) => (r.version > max ? r.version : max), latest);
    current = createParticipantRegistry(rows.map((r) => r.definition), new Set(rows.filter((r) => r.suspendedAt).map((r) => r.definition.id)));
    deliveries = new Map(rows.flatMap((r) => (r.delivery ? [[r.definition.id, r.delivery] as const] : [])));
    for (const listener of listeners) listener();
  };
  // One read at a time: a refresh asked for while one runs waits for it and then reads again.
  const refresh = async (): Promise<void> => {
    while (reading) await reading.catch(() => {});
    reading = read().finally(() => (reading = undefined));
    return reading;
  };

  return {
    list: () => current.list(),
    get: (id) => current.get(id),
    isSuspended: (id) => current.isSuspended(id),
    maySend: (sender, type) => current.maySend(sender, type),
    accepts: (recipient, type, schemaVersion) => current.accepts(recipient, type, schemaVersion),
    rows: () => rows,
    delivery: (id) => deliveries.get(id),
    async start() {
      if (timer) return;
      await options.store.seed(options.seed.map(({ suspended: _s, ...definition }) => ({
        definition, ...(options.seedDelivery?.[definition.id] ? { delivery: options.seedDelivery[definition.id]! } : {}),
      })));
      await refresh();
      timer = setInterval(() => void refresh().catch(options.onError), options.refreshMs).unref();
    },
    refresh,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
