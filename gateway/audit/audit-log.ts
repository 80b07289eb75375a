/**
 * The tamper-evident audit log: chaining what the one writer appended, signed checkpoints,
 * inclusion and consistency proofs, and the auditors' search. The log lags the changes it
 * records by one chaining interval (plus a batch's work, and while an older transaction is
 * still open); an entry not yet chained is simply not chained yet, so a crash loses nothing.
 */
import {
  consistencyRanges, inclusionRanges, nodesFor, rangeHashes, canonicalize, type LoggedEntry, type NodeId,
} from '../../schemas/index.ts';
import type { JwsSigner } from '../../certs/index.ts';
import { callerLabel, hasRole, requireRole, type Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import type { Timestamper } from './timestamping.ts';
import { nodeKey, type AuditFilter, type AuditStore, type CheckpointRow } from '../store/audit-store.ts';

/** A signed checkpoint as published. */
export interface Checkpoint {
  treeSize: number;
  /** Base64 SHA-256 root of the tree of the first `treeSize` entries. */
  rootHash: string;
  issuedAt: string;
  /** Compact JWS by the gateway's seal key; its payload is the RFC 8785 JSON of {@link CheckpointStatement}. */
  checkpoint: string;
  /** The operator's TSA's RFC 3161 token over the JWS's bytes, once it gave one. */
  timestamp?: { tsa: string; genTime: string; token: string };
}

/** What a checkpoint's JWS says. */
export interface CheckpointStatement {
  gateway: string;
  treeSize: number;
  rootHash: string;
  issuedAt: string;
}

/** An entry's inclusion proof against a checkpoint. */
export interface InclusionProof {
  seq: number;
  position: number;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  /** Base64 hashes, nearest first (RFC 9162 §2.1.3). */
  path: string[];
  checkpoint: string;
}

/** A consistency proof between two checkpoints. */
export interface ConsistencyProof {
  from: Checkpoint;
  to: Checkpoint;
  /** Base64 hashes (RFC 9162 §2.1.4). */
  path: string[];
}

/** An entry as the auditors' routes return it: its content, and once chained its position and proof. */
export interface AuditItem {
  entry: LoggedEntry;
  position?: number;
  proof?: Omit<InclusionProof, 'seq' | 'position' | 'checkpoint' | 'rootHash'>;
}

/** One entry of the log in tree order, as `GET /v1/audit/log` exports it for verification. */
export interface LogItem {
  position: number;
  seq: number;
  leafHash: string;
  chainHash: string;
  /** Absent when its row is gone from the store (the verifier reports it). */
  entry?: LoggedEntry;
}

export interface AuditLogDeps {
  store: AuditStore;
  sealer: JwsSigner;
  gatewayName: string;
  /** A new checkpoint at most this often (when the log grew). */
  checkpointIntervalMs: number;
  /** Entries chained per transaction. */
  batchSize?: number;
  /** The operator's time-stamping authority, when configured: each checkpoint gets its token. */
  timestamper?: Timestamper;
  /** A TSA request failed; the checkpoint is asked for again after {@link TIMESTAMP_RETRY_MS}. */
  onTimestampFailure?: (error: unknown) => void;
  now?: () => number;
}

export interface AuditLog {
  /** Chains everything pending and signs a checkpoint when due (`now`: whenever the log grew). */
  maintain(options?: { checkpoint?: 'due' | 'now' }): Promise<{ chained: number; checkpoint?: Checkpoint; stamped: number }>;
  /** Entries not yet chained, how long the oldest has waited, and (with a TSA configured) checkpoints without a timestamp yet. */
  lag(): Promise<{ pending: number; oldestMs: number; unstamped?: number }>;
  checkpoints(caller: Caller, options: { before?: number; limit: number }): Promise<Checkpoint[]>;
  proof(caller: Caller, seq: number, treeSize?: number): Promise<InclusionProof>;
  consistency(caller: Caller, from: number, to?: number): Promise<ConsistencyProof>;
  entry(caller: Caller, seq: number): Promise<AuditItem>;
  /** Auditors: any filter; a participant: the entries of one exchange it sent (all) or received (its own). */
  search(caller: Caller, filter: AuditFilter): Promise<AuditItem[]>;
  /** Auditors: the log in tree order, for verification. */
  log(caller: Caller, start: number, limit: number): Promise<LogItem[]>;
}

const DEFAULT_BATCH = 500;
/** After a failed TSA request, the wait before this process asks again. */
export const TIMESTAMP_RETRY_MS = 60_000;
/** Checkpoints stamped per run at most (a backlog after the TSA was down goes over a few runs). */
const TIMESTAMPS_PER_RUN = 10;

export function createAuditLog(deps: AuditLogDeps): AuditLog {
  const { store } = deps;
  const batch = deps.batchSize ?? DEFAULT_BATCH;

  const sign = (treeSize: number, rootHash: Buffer, issuedAt: Date) => {
    const statement: CheckpointStatement = { gateway: deps.gatewayName, treeSize, rootHash: rootHash.toString('base64'), issuedAt: issuedAt.toISOString() };
    return deps.sealer.sign(canonicalize(statement), { signedAt: issuedAt, typ: 'audit-checkpoint' });
  };
  const published = (row: CheckpointRow): Checkpoint => ({
    treeSize: row.treeSize, rootHash: row.rootHash.toString('base64'), issuedAt: row.issuedAt.toISOString(), checkpoint: row.checkpoint,
    ...(row.timestamp ? { timestamp: { tsa: row.timestamp.tsa, genTime: row.timestamp.genTime.toISOString(), token: row.timestamp.token.toString('base64') } } : {}),
  });
  const now = deps.now ?? Date.now;
  let timestampingPausedUntil = 0;
  /** Asks the TSA for the tokens of checkpoints that lack one; a failure pauses it for a while, chaining goes on. */
  const stampCheckpoints = async (): Promise<number> => {
    const tsa = deps.timestamper;
    if (!tsa || now() < timestampingPausedUntil) return 0;
    let stamped = 0;
    for (const row of await store.unstamped(TIMESTAMPS_PER_RUN)) {
      try {
        const { token, genTime } = await tsa.stamp(Buffer.from(row.checkpoint, 'ascii'));
        await store.addTimestamp(row.treeSize, { tsa: tsa.url, genTime, token });
        stamped += 1;
      } catch (error) {
        timestampingPausedUntil = now() + TIMESTAMP_RETRY_MS;
        deps.onTimestampFailure?.(error);
        break;
      }
    }
    return stamped;
  };
  const hashesOf = async (ranges: ReturnType<typeof inclusionRanges>) => {
    const found = await store.nodes(nodesFor(ranges));
    return rangeHashes(ranges, (id: NodeId) => {
      const hash = found.get(nodeKey(id));
      if (!hash) throw new GatewayError('GW_INTERNAL', { detail: `The audit tree lacks node ${nodeKey(id)}; run the verifier.` });
      return hash;
    }).map((h) => h.toString('base64'));
  };
  const checkpointOrLatest = async (treeSize?: number) => {
    const row = treeSize === undefined ? (await store.checkpoints({ limit: 1 }))[0] : await store.checkpointAt(treeSize);
    if (!row) {
      throw treeSize === undefined
        ? new GatewayError('GW_AUDIT_NOT_YET_LOGGED', { detail: 'No checkpoint has been signed yet; try again after the next one.', headers: { 'retry-after': '60' } })
        : new GatewayError('GW_AUDIT_CHECKPOINT_UNKNOWN', { detail: `No checkpoint has tree size ${treeSize}; GET /v1/audit/checkpoints lists them.` });
    }
    return row;
  };

  /** Whether a participant caller may see an entry: the sender sees its exchange's entries, a recipient those about its own delivery or made by it. */
  const visibleTo = async (caller: Caller, entry: LoggedEntry): Promise<boolean> => {
    if (hasRole(caller, 'auditor')) return true;
    if (caller.kind === 'administrator' || !entry.exchangeId) return false;
    const parties = await store.parties(entry.exchangeId);
    if (!parties) return false;
    if (parties.sender === caller.participantId) return true;
    return parties.recipients.includes(caller.participantId)
      && (entry.details.recipient === caller.participantId || entry.actor === callerLabel(caller) || entry.actor === `participant:${caller.participantId}`);
  };
  const unknownEntry = (seq: number) => new GatewayError('GW_AUDIT_ENTRY_UNKNOWN', { detail: `No audit entry ${seq} that this certificate may see.` });
  const refuseOthers = (caller: Caller) => {
    if (caller.kind === 'administrator') requireRole(caller, 'auditor');
  };

  const withProofs = async (items: Awaited<ReturnType<AuditStore['search']>>): Promise<AuditItem[]> => {
    const [latest] = await store.checkpoints({ limit: 1 });
    if (!latest) return items.map(({ entry, position }) => ({ entry, ...(position === undefined ? {} : { position }) }));
    const proved = items.filter((i) => i.position !== undefined && i.position < latest.treeSize);
    const ranges = proved.map((i) => inclusionRanges(i.position!, latest.treeSize));
    const all = ranges.flat();
    const hashes = all.length > 0 ? await hashesOf(all) : [];
    const leaves = await store.nodes(proved.map((i) => ({ level: 0, index: i.position! })));
    let offset = 0;
    const proofs = new Map<number, AuditItem['proof']>();
    proved.forEach((item, n) => {
      const path = hashes.slice(offset, offset + ranges[n]!.length);
      offset += ranges[n]!.length;
      proofs.set(item.entry.seq, { leafHash: leaves.get(nodeKey({ level: 0, index: item.position! }))!.toString('base64'), treeSize: latest.treeSize, path });
    });
    return items.map(({ entry, position }) => ({
      entry, ...(position === undefined ? {} : { position }), ...(proofs.has(entry.seq) ? { proof: proofs.get(entry.seq)! } : {}),
    }));
  };

  return {
    async maintain(options = {}) {
      let chained = 0;
      for (let n = await store.chain(batch); n > 0; n = await store.chain(batch)) chained += n;
      const made = await store.checkpoint(sign, options.checkpoint === 'now' ? 0 : deps.checkpointIntervalMs);
      const stamped = await stampCheckpoints();
      const checkpoint = made && stamped > 0 ? await store.checkpointAt(made.treeSize) : made;
      return { chained, ...(checkpoint ? { checkpoint: published(checkpoint) } : {}), stamped };
    },

    async lag() {
      const { count, oldest } = await store.pending();
      const unstamped = deps.timestamper ? { unstamped: await store.unstampedCount() } : {};
      return { pending: count, oldestMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0, ...unstamped };
    },

    async checkpoints(_caller, options) {
      return (await store.checkpoints(options)).map(published);
    },

    async proof(caller, seq, treeSize) {
      refuseOthers(caller);
      const found = await store.entry(seq);
      if (!found || !(await visibleTo(caller, found.entry))) throw unknownEntry(seq);
      if (found.position === undefined) {
        throw new GatewayError('GW_AUDIT_NOT_YET_LOGGED', { detail: `Entry ${seq} is recorded and waits to be chained; try again in a few seconds.`, headers: { 'retry-after': '5' } });
      }
      const checkpoint = await checkpointOrLatest(treeSize);
      if (found.position >= checkpoint.treeSize) {
        throw treeSize === undefined
          ? new GatewayError('GW_AUDIT_NOT_YET_LOGGED', { detail: `Entry ${seq} is chained after the latest checkpoint; try again after the next one.`, headers: { 'retry-after': '60' } })
          : new GatewayError('GW_AUDIT_ENTRY_NOT_IN_CHECKPOINT', { detail: `Entry ${seq} is at position ${found.position}, after the checkpoint of ${checkpoint.treeSize} entries; ask for a later checkpoint.` });
      }
      const leaf = (await store.nodes([{ level: 0, index: found.position }])).get(nodeKey({ level: 0, index: found.position }))!;
      return {
        seq, position: found.position, leafHash: leaf.toString('base64'), treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('base64'),
        path: await hashesOf(inclusionRanges(found.position, checkpoint.treeSize)), checkpoint: checkpoint.checkpoint,
      };
    },

    async consistency(_caller, from, to) {
      const older = await checkpointOrLatest(from);
      const newer = await checkpointOrLatest(to);
      if (older.treeSize > newer.treeSize) {
        throw new GatewayError('GW_VALIDATION_FAILED', { detail: `from (${older.treeSize}) must not be after to (${newer.treeSize}).` });
      }
      const path = older.treeSize === newer.treeSize ? [] : await hashesOf(consistencyRanges(older.treeSize, newer.treeSize));
      return { from: published(older), to: published(newer), path };
    },

    async entry(caller, seq) {
      refuseOthers(caller);
      const found = await store.entry(seq);
      if (!found || !(await visibleTo(caller, found.entry))) throw unknownEntry(seq);
      return (await withProofs([found]))[0]!;
    },

    async search(caller, filter) {
      if (!hasRole(caller, 'auditor')) {
        refuseOthers(caller);
        if (!filter.exchangeId) {
          throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Searching the audit log needs the auditor role; a participant may list the entries of its own exchange (exchangeId).' });
        }
        const entries = await store.search({ exchangeId: filter.exchangeId, ...(filter.after === undefined ? {} : { after: filter.after }), limit: filter.limit });
        const visible = [];
        for (const item of entries) if (await visibleTo(caller, item.entry)) visible.push(item);
        return withProofs(visible);
      }
      return withProofs(await store.search(filter));
    },

    async log(caller, start, limit) {
      requireRole(caller, 'auditor');
      return (await store.log(start, limit)).map((row) => ({
        position: row.position, seq: row.seq, leafHash: row.leafHash.toString('base64'), chainHash: row.chainHash.toString('base64'),
        ...(row.entry ? { entry: row.entry } : {}),
      }));
    },
  };
}
