/**
 * The Merkle tree of the audit log (part of the contract: auditors recompute it), as RFC 9162 (Certificate Transparency 2.0, after RFC 6962)
 * defines it: SHA-256, leaf hash `H(0x00 || entry)`, interior `H(0x01 || left || right)`,
 * the tree of `n` leaves split at the largest power of two below `n`.
 *
 * The store keeps every *complete* subtree's hash (level `L`, index `i` covers leaves
 * `[i·2^L, (i+1)·2^L)`), so any hash the proofs need is a right fold over at most
 * log₂ n stored nodes. The functions here are pure: {@link proofRanges} names the ranges
 * whose hashes form a proof, {@link coverOf} the stored nodes that make up a range, and
 * the verifiers check a proof with nothing but the hashes.
 */
import { createHash } from 'node:crypto';

/** A stored node: the complete subtree of `2^level` leaves starting at leaf `index · 2^level`. */
export interface NodeId {
  level: number;
  index: number;
}

/** Leaves `[start, end)`. */
export interface Range {
  start: number;
  end: number;
}

export const leafHash = (entry: Buffer | string): Buffer => createHash('sha256').update(Buffer.from([0])).update(entry).digest();
export const nodeHash = (left: Buffer, right: Buffer): Buffer => createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();

/** The largest power of two strictly below `n` (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The complete subtrees, largest first, whose right fold is the hash of `range` (its start aligned as in the tree). */
export function coverOf(range: Range): NodeId[] {
  const nodes: NodeId[] = [];
  let start = range.start;
  let size = range.end - range.start;
  while (size > 0) {
    let width = 1;
    while (width * 2 <= size) width *= 2;
    const level = Math.log2(width);
    nodes.push({ level, index: start / width });
    start += width;
    size -= width;
  }
  return nodes;
}

/** The hash of `range` from the hashes of {@link coverOf}. */
export function foldCover(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) throw new RangeError('an empty range has no hash here');
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i -= 1) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

/** The ranges whose hashes form the inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1), nearest first. */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Range[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m - start < k
      ? [...path(m, start, start + k), { start: start + k, end }]
      : [...path(m, start + k, end), { start, end: start + k }];
  };
  return path(index, 0, size);
}

/** The ranges whose hashes form the consistency proof from the tree of `from` leaves to that of `to` (RFC 9162 §2.1.4.1). */
export function consistencyRanges(from: number, to: number): Range[] {
  if (!(from >= 1 && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  const subproof = (m: number, start: number, end: number, whole: boolean): Range[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [{ start, end }];
    const k = split(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), { start: start + k, end }]
      : [...subproof(m - k, start + k, end, false), { start, end: start + k }];
  };
  return subproof(from, 0, to, true);
}

/** Every stored node the ranges need, each once. */
export function nodesFor(ranges: readonly Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of ranges) for (const node of coverOf(range)) seen.set(`${node.level}/${node.index}`, node);
  return [...seen.values()];
}

/** The hash of each range, from a lookup of stored nodes. */
export function rangeHashes(ranges: readonly Range[], node: (id: NodeId) => Buffer): Buffer[] {
  return ranges.map((range) => foldCover(coverOf(range).map(node)));
}

/** The root of the tree of `size` leaves, from a lookup of stored nodes. */
export function rootOf(size: number, node: (id: NodeId) => Buffer): Buffer {
  return size === 0 ? createHash('sha256').digest() : foldCover(coverOf({ start: 0, end: size }).map(node));
}

/** RFC 9162 §2.1.3.2: does `path` prove leaf `index` (hash `leaf`) in the tree of `size` leaves with root `root`? */
export function verifyInclusion(index: number, size: number, leaf: Buffer, path: readonly Buffer[], root: Buffer): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `path` prove that the tree of `to` leaves (root `toRoot`) extends the tree of `from` leaves (root `fromRoot`)? */
export function verifyConsistency(from: number, to: number, fromRoot: Buffer, toRoot: Buffer, path: readonly Buffer[]): boolean {
  if (!(from >= 1 && from <= to)) return false;
  if (from === to) return path.length === 0 && fromRoot.equals(toRoot);
  if (path.length === 0) return false;
  const proof = isPowerOfTwo(from) ? [fromRoot, ...path] : [...path];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * The complete subtrees a leaf completes: appending leaf `index` (hash `leaf`) to a tree
 * whose stored nodes `node` can read gives these new nodes (level ≥ 1), lowest first.
 */
export function completedBy(index: number, leaf: Buffer, node: (id: NodeId) => Buffer): Array<NodeId & { hash: Buffer }> {
  const made: Array<NodeId & { hash: Buffer }> = [];
  let hash = leaf;
  let i = index;
  let level = 0;
  while (i % 2 === 1) {
    hash = nodeHash(node({ level, index: i - 1 }), hash);
    level += 1;
    i = (i - 1) / 2;
    made.push({ level, index: i, hash });
  }
  return made;
}
