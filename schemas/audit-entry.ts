/**
 * What a leaf of the audit log's Merkle tree is: the RFC 8785 (JCS) canonical JSON of the
 * entry as the API returns it, `{seq, at, actor, action, exchangeId, details}`, with `at`
 * to the microsecond in UTC. Anyone with the entry can recompute its leaf hash:
 * `SHA-256(0x00 || JCS(entry))` (docs/verify.md shows how without this code).
 */
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json.ts';
import { leafHash } from './merkle.ts';

/** One audit entry as logged and as published. */
export interface LoggedEntry {
  seq: number;
  /** RFC 3339 UTC, microseconds: `2026-12-03T18:11:37.123456Z`. */
  at: string;
  actor: string;
  action: string;
  exchangeId: string | null;
  details: Record<string, unknown>;
}

/** The bytes the leaf hash covers. */
export function entryBytes(entry: LoggedEntry): Buffer {
  const { seq, at, actor, action, exchangeId, details } = entry;
  return Buffer.from(canonicalize({ seq, at, actor, action, exchangeId, details }), 'utf8');
}

export const entryLeafHash = (entry: LoggedEntry): Buffer => leafHash(entryBytes(entry));

/** The hash chain's value before the first entry. */
export const CHAIN_START = Buffer.alloc(32);

/** The chain's value after an entry: `SHA-256(previous || leafHash)`. */
export const chainHash = (previous: Buffer, leaf: Buffer): Buffer => createHash('sha256').update(previous).update(leaf).digest();
