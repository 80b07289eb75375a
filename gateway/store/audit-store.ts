/**
 * The audit log's chain, tree and checkpoints in the store (migration 019). Chaining and
 * checkpointing take an advisory lock, so any number of processes may run them: one works,
 * the others find nothing to do.
 */
import type { Database, Queryable } from './database.ts';
import { CHAIN_START, chainHash, entryLeafHash, type LoggedEntry } from '../../schemas/index.ts';
import { completedBy, coverOf, rootOf, type NodeId } from '../../schemas/index.ts';

/** One chained entry in tree order; `entry` is absent when its row is gone from `audit_log`. */
export interface ChainedRow {
  position: number;
  seq: number;
  leafHash: Buffer;
  chainHash: Buffer;
  entry?: LoggedEntry;
}

/** A signed root. */
export interface CheckpointRow {
  treeSize: number;
  rootHash: Buffer;
  issuedAt: Date;
  /** The JWS. */
  checkpoint: string;
  /** The TSA's RFC 3161 token over the JWS, once it gave one. */
  timestamp?: { tsa: string; genTime: Date; token: Buffer };
}

/** What auditors search entries by. */
export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  action?: string;
  exchangeId?: string;
  /** Entries by the participant's systems or about exchanges it sent or received. */
  participant?: string;
  /** Entries after this seq (the cursor of the next page). */
  after?: number;
  limit: number;
}

/** A searched entry and its position once chained. */
export interface SearchedEntry {
  entry: LoggedEntry;
  position?: number;
}

export interface AuditStore {
  /** Chains up to `limit` pending entries; returns how many (0 when another process holds the lock or none wait). */
  chain(limit: number): Promise<number>;
  /** Entries logged but not yet chained (some may belong to transactions still open). */
  pending(): Promise<{ count: number; oldest?: Date }>;
  /** Leaves in the tree now. */
  size(): Promise<number>;
  /**
   * Signs and stores a checkpoint of the tree as it is, when it grew since the last and
   * the last is at least `minAgeMs` old; returns the checkpoint made, if any.
   */
  checkpoint(sign: (treeSize: number, rootHash: Buffer, issuedAt: Date) => string, minAgeMs: number): Promise<CheckpointRow | undefined>;
  /** Newest first. */
  checkpoints(options: { before?: number; limit: number }): Promise<CheckpointRow[]>;
  checkpointAt(treeSize: number): Promise<CheckpointRow | undefined>;
  /** Checkpoints without a timestamp yet, oldest first. */
  unstamped(limit: number): Promise<CheckpointRow[]>;
  unstampedCount(): Promise<number>;
  /** Keeps a checkpoint's timestamp (another process's, if one was kept first). */
  addTimestamp(treeSize: number, timestamp: NonNullable<CheckpointRow['timestamp']>): Promise<void>;
  /** The stored hashes of these nodes (level 0 are leaves); a missing node is absent from the map. */
  nodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>>;
  /** Chained rows from `start`, in tree order. */
  log(start: number, limit: number): Promise<ChainedRow[]>;
  entry(seq: number): Promise<SearchedEntry | undefined>;
  search(filter: AuditFilter): Promise<SearchedEntry[]>;
  /** The sender and recipients of an exchange; `undefined` when there is none. */
  parties(exchangeId: string): Promise<{ sender: string; recipients: string[] } | undefined>;
}

/** Serialises chaining and checkpointing across processes. */
const AUDIT_CHAIN_LOCK = 7_402_119;

export const nodeKey = (id: NodeId) => `${id.level}/${id.index}`;

/** `at` exactly as the leaf covers it. */
const AT = `to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const ENTRY_COLUMNS = `a.seq, ${AT} AS at, a.actor, a.action, a.exchange_id, a.details`;

interface EntryRow {
  seq: string | number;
  at: string;
  actor: string;
  action: string;
  exchange_id: string | null;
  details: Record<string, unknown>;
}

const toEntry = (row: EntryRow): LoggedEntry => ({
  seq: Number(row.seq), at: row.at, actor: row.actor, action: row.action, exchangeId: row.exchange_id, details: row.details,
});

export function createAuditStore(db: Database): AuditStore {
  const readNodes = async (q: Queryable, ids: readonly NodeId[]) => {
    const found = new Map<string, Buffer>();
    const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
    const inner = ids.filter((id) => id.level > 0);
    if (leaves.length > 0) {
      const { rows } = await q.query<{ position: string | number; leaf_hash: Buffer | Uint8Array }>(
        'SELECT position, leaf_hash FROM audit_chain WHERE position = ANY($1::bigint[])', [leaves],
      );
      for (const row of rows) found.set(nodeKey({ level: 0, index: Number(row.position) }), Buffer.from(row.leaf_hash));
    }
    if (inner.length > 0) {
      const { rows } = await q.query<{ level: number; idx: string | number; hash: Buffer | Uint8Array }>(
        `SELECT n.level, n.idx, n.hash FROM audit_tree_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS wanted (level, idx) ON wanted.level = n.level AND wanted.idx = n.idx`,
        [inner.map((id) => id.level), inner.map((id) => id.index)],
      );
      for (const row of rows) found.set(nodeKey({ level: row.level, index: Number(row.idx) }), Buffer.from(row.hash));
    }
    return found;
  };
  const lookup = (found: Map<string, Buffer>) => (id: NodeId) => {
    const hash = found.get(nodeKey(id));
    if (!hash) throw new Error(`the audit tree lacks node ${nodeKey(id)}`);
    return hash;
  };
  /** The tree's size, the chain's last value, and where the next batch starts. */
  const sizeOf = async (q: Queryable) => {
    const { rows } = await q.query<{ position: string | number; seq: string | number; txid: string; chain_hash: Buffer | Uint8Array }>(
      'SELECT position, seq, txid::text AS txid, chain_hash FROM audit_chain ORDER BY position DESC LIMIT 1',
    );
    const last = rows[0];
    return last
      ? { size: Number(last.position) + 1, chain: Buffer.from(last.chain_hash), txid: last.txid, seq: Number(last.seq) }
      : { size: 0, chain: CHAIN_START, txid: '0', seq: 0 };
  };
  type CheckpointSqlRow = {
    tree_size: string | number; root_hash: Buffer | Uint8Array; issued_at: Date | string; checkpoint: string;
    tsa: string | null; gen_time: Date | string | null; token: Buffer | Uint8Array | null;
  };
  const toCheckpoint = (row: CheckpointSqlRow): CheckpointRow => ({
    treeSize: Number(row.tree_size), rootHash: Buffer.from(row.root_hash), issuedAt: new Date(row.issued_at), checkpoint: row.checkpoint,
    ...(row.token && row.tsa && row.gen_time ? { timestamp: { tsa: row.tsa, genTime: new Date(row.gen_time), token: Buffer.from(row.token) } } : {}),
  });
  const CHECKPOINTS = `SELECT c.tree_size, c.root_hash, c.issued_at, c.checkpoint, t.tsa, t.gen_time, t.token
    FROM audit_checkpoints c LEFT JOIN audit_checkpoint_timestamps t ON t.tree_size = c.tree_size`;
  const toSearched = (row: EntryRow & { position: string | number | null }): SearchedEntry => ({
    entry: toEntry(row), ...(row.position === null ? {} : { position: Number(row.position) }),
  });

  return {
    chain: (limit) =>
      db.transaction(async (tx) => {
        const { rows: [lock] } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_CHAIN_LOCK]);
        if (!lock?.locked) return 0;
        const tip = await sizeOf(tx);
        // Only entries of transactions older than every one still running: none can join them later.
        const { rows } = await tx.query<EntryRow & { txid: string }>(
          `SELECT a.txid::text AS txid, ${ENTRY_COLUMNS} FROM audit_log a
            WHERE (a.txid, a.seq) > ($1::xid8, $2::bigint) AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY a.txid, a.seq LIMIT $3`,
          [tip.txid, tip.seq, limit],
        );
        if (rows.length === 0) return 0;
        let size = tip.size;
        let chain: Buffer = tip.chain;
        const known = await readNodes(tx, coverOf({ start: 0, end: size }));
        const node = lookup(known);
        const chained: Array<{ position: number; seq: number; txid: string; leaf: Buffer; chain: Buffer }> = [];
        const made: Array<NodeId & { hash: Buffer }> = [];
        for (const row of rows) {
          const entry = toEntry(row);
          const leaf = entryLeafHash(entry);
          chain = chainHash(chain, leaf);
          chained.push({ position: size, seq: entry.seq, txid: row.txid, leaf, chain });
          known.set(nodeKey({ level: 0, index: size }), leaf);
          for (const completed of completedBy(size, leaf, node)) {
            known.set(nodeKey(completed), completed.hash);
            made.push(completed);
          }
          size += 1;
        }
        await tx.query(
          `INSERT INTO audit_chain (position, seq, txid, leaf_hash, chain_hash)
             SELECT position, seq, txid::xid8, decode(leaf, 'hex'), decode(chain, 'hex') FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS c (position, seq, txid, leaf, chain)`,
          [chained.map((c) => c.position), chained.map((c) => c.seq), chained.map((c) => c.txid), chained.map((c) => c.leaf.toString('hex')), chained.map((c) => c.chain.toString('hex'))],
        );
        if (made.length > 0) {
          await tx.query(
            `INSERT INTO audit_tree_nodes (level, idx, hash) SELECT level, idx, decode(hash, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS n (level, idx, hash)`,
            [made.map((n) => n.level), made.map((n) => n.index), made.map((n) => n.hash.toString('hex'))],
          );
        }
        return chained.length;
      }),

    async pending() {
      const tip = await sizeOf(db);
      const { rows: [row] } = await db.query<{ count: string | number; oldest: Date | string | null }>(
        'SELECT count(*) AS count, min(a.at) AS oldest FROM audit_log a WHERE (a.txid, a.seq) > ($1::xid8, $2::bigint)', [tip.txid, tip.seq],
      );
      return { count: Number(row?.count ?? 0), ...(row?.oldest ? { oldest: new Date(row.oldest) } : {}) };
    },

    size: async () => (await sizeOf(db)).size,

    checkpoint: (sign, minAgeMs) =>
      db.transaction(async (tx) => {
        const { rows: [lock] } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_CHAIN_LOCK]);
        if (!lock?.locked) return undefined;
        const { size } = await sizeOf(tx);
        if (size === 0) return undefined;
        const { rows: [last] } = await tx.query<{ tree_size: string | number; age_ms: number }>(
          'SELECT tree_size, extract(epoch FROM clock_timestamp() - issued_at) * 1000 AS age_ms FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1',
        );
        if (last && (Number(last.tree_size) >= size || Number(last.age_ms) < minAgeMs)) return undefined;
        const root = rootOf(size, lookup(await readNodes(tx, coverOf({ start: 0, end: size }))));
        const issuedAt = new Date();
        const checkpoint = sign(size, root, issuedAt);
        await tx.query('INSERT INTO audit_checkpoints (tree_size, root_hash, issued_at, checkpoint) VALUES ($1, $2, $3, $4)', [size, root, issuedAt, checkpoint]);
        return { treeSize: size, rootHash: root, issuedAt, checkpoint };
      }),

    async checkpoints({ before, limit }) {
      const { rows } = await db.query<CheckpointSqlRow>(
        `${CHECKPOINTS} WHERE ($1::bigint IS NULL OR c.tree_size < $1) ORDER BY c.tree_size DESC LIMIT $2`,
        [before ?? null, limit],
      );
      return rows.map(toCheckpoint);
    },

    async checkpointAt(treeSize) {
      const { rows: [row] } = await db.query<CheckpointSqlRow>(`${CHECKPOINTS} WHERE c.tree_size = $1`, [treeSize]);
      return row ? toCheckpoint(row) : undefined;
    },

    async unstamped(limit) {
      const { rows } = await db.query<CheckpointSqlRow>(`${CHECKPOINTS} WHERE t.tree_size IS NULL ORDER BY c.tree_size LIMIT $1`, [limit]);
      return rows.map(toCheckpoint);
    },

    async unstampedCount() {
      const { rows: [row] } = await db.query<{ count: string | number }>(
        'SELECT count(*) AS count FROM audit_checkpoints c WHERE NOT EXISTS (SELECT 1 FROM audit_checkpoint_timestamps t WHERE t.tree_size = c.tree_size)',
      );
      return Number(row?.count ?? 0);
    },

    async addTimestamp(treeSize, { tsa, genTime, token }) {
      await db.query(
        'INSERT INTO audit_checkpoint_timestamps (tree_size, tsa, gen_time, token) VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING',
        [treeSize, tsa, genTime, token],
      );
    },

    nodes: (ids) => readNodes(db, ids),

    async log(start, limit) {
      const { rows } = await db.query<Omit<EntryRow, 'seq'> & { position: string | number; chained_seq: string | number; leaf_hash: Buffer | Uint8Array; chain_hash: Buffer | Uint8Array; seq: string | number | null }>(
        `SELECT c.position, c.seq AS chained_seq, c.leaf_hash, c.chain_hash, ${ENTRY_COLUMNS}
           FROM audit_chain c LEFT JOIN audit_log a ON a.seq = c.seq
          WHERE c.position >= $1 ORDER BY c.position LIMIT $2`,
        [start, limit],
      );
      return rows.map((row) => ({
        position: Number(row.position), seq: Number(row.chained_seq), leafHash: Buffer.from(row.leaf_hash), chainHash: Buffer.from(row.chain_hash),
        ...(row.seq === null ? {} : { entry: toEntry(row as EntryRow) }),
      }));
    },

    async entry(seq) {
      const { rows: [row] } = await db.query<EntryRow & { position: string | number | null }>(
        `SELECT ${ENTRY_COLUMNS}, c.position FROM audit_log a LEFT JOIN audit_chain c ON c.seq = a.seq WHERE a.seq = $1`, [seq],
      );
      return row ? toSearched(row) : undefined;
    },

    async search(filter) {
      const { rows } = await db.query<EntryRow & { position: string | number | null }>(
        `SELECT ${ENTRY_COLUMNS}, c.position
           FROM audit_log a LEFT JOIN audit_chain c ON c.seq = a.seq
          WHERE ($1::timestamptz IS NULL OR a.at >= $1)
            AND ($2::timestamptz IS NULL OR a.at < $2)
            AND ($3::text IS NULL OR a.actor = $3)
            AND ($4::text IS NULL OR a.action = $4)
            AND ($5::uuid IS NULL OR a.exchange_id = $5)
            AND ($6::text IS NULL
                 OR a.actor = 'participant:' || $6 OR (a.actor LIKE 'adapter:%' AND split_part(a.actor, '@', 2) = $6)
                 OR a.details->>'participant' = $6 OR a.details->>'recipient' = $6
                 OR a.exchange_id IN (SELECT id FROM exchanges WHERE sender = $6
                                      UNION SELECT exchange_id FROM deliveries WHERE recipient = $6))
            AND a.seq > $7
          ORDER BY a.seq LIMIT $8`,
        [filter.from ?? null, filter.to ?? null, filter.actor ?? null, filter.action ?? null, filter.exchangeId ?? null, filter.participant ?? null, filter.after ?? 0, filter.limit],
      );
      return rows.map(toSearched);
    },

    async parties(exchangeId) {
      const { rows: [row] } = await db.query<{ sender: string; recipients: string[] }>(
        'SELECT sender, (SELECT coalesce(array_agg(recipient), ARRAY[]::text[]) FROM deliveries WHERE exchange_id = e.id) AS recipients FROM exchanges e WHERE id = $1', [exchangeId],
      );
      return row;
    },
  };
}
