/**
 * Verifies the audit log, or an export of it, against the gateway's signed checkpoints:
 * each entry's content against its leaf hash, the hash chain, positions without gaps, every
 * checkpoint's signature (a certificate of the gateway CA) and its root against the tree of
 * the entries as they are now. Reports the first bad entry by seq and position.
 */
import { X509Certificate } from 'node:crypto';
import { compactVerify, importX509 } from 'jose';
import { CHAIN_START, chainHash, entryLeafHash, nodeHash, verifyInclusion, type components } from '../schemas/index.ts';
import { unwrap } from './problem.ts';
import type { ReferralClient } from './referral-client.ts';

type Schemas = components['schemas'];
export type AuditLogItem = Schemas['AuditLogItem'];
export type AuditCheckpoint = Schemas['AuditCheckpoint'];

/** One thing wrong, with where. */
export interface AuditProblem {
  position?: number;
  seq?: number;
  /** The tree size of the checkpoint concerned. */
  checkpoint?: number;
  problem: string;
}

/** The verifier's answer. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The first bad entry, when one is found. */
  firstBad?: { position: number; seq: number };
  problems: AuditProblem[];
}

/** What to verify. */
export interface AuditVerifyInput {
  /** The log in tree order from position 0 (`GET /v1/audit/log`, or an export's lines). */
  items: AsyncIterable<AuditLogItem> | Iterable<AuditLogItem>;
  checkpoints: readonly AuditCheckpoint[];
  /** The gateway CA, obtained out of band. */
  caPem: string;
  /** Called every 1000 entries. */
  onProgress?(entries: number): void;
}

/** Checks everything; never throws for a bad log (it reports), only for unusable input. */
export async function verifyAuditLog(input: AuditVerifyInput): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const ca = new X509Certificate(input.caPem);
  const signed = new Map<number, Buffer>();
  for (const checkpoint of input.checkpoints) {
    const problem = await checkpointProblem(checkpoint, ca);
    if (problem) problems.push({ checkpoint: checkpoint.treeSize, problem });
    else signed.set(checkpoint.treeSize, Buffer.from(checkpoint.rootHash, 'base64'));
  }

  let firstBad: AuditVerification['firstBad'];
  const bad = (item: { position: number; seq: number }, problem: string) => {
    firstBad ??= { position: item.position, seq: item.seq };
    problems.push({ position: item.position, seq: item.seq, problem });
  };
  // The tree's right edge: complete subtrees, largest first (RFC 9162 roots from it).
  const edge: Array<{ size: number; hash: Buffer }> = [];
  let expected = 0;
  let chain: Buffer = CHAIN_START;
  for await (const item of input.items) {
    if (item.position !== expected) {
      bad({ position: expected, seq: item.seq }, item.position > expected
        ? `positions ${expected}–${item.position - 1} are missing from the log (deleted)`
        : `position ${item.position} appears again after ${expected - 1} (the log was reordered)`);
      if (item.position < expected) continue;
    }
    const storedLeaf = Buffer.from(item.leafHash, 'base64');
    let leaf: Buffer = storedLeaf;
    if (!item.entry) {
      bad(item, `entry ${item.seq} at position ${item.position} is gone from the log (deleted)`);
    } else {
      leaf = entryLeafHash(item.entry);
      if (item.entry.seq !== item.seq) bad(item, `position ${item.position} should hold entry ${item.seq} but holds ${item.entry.seq} (the log was reordered)`);
      else if (!leaf.equals(storedLeaf)) bad(item, `entry ${item.seq} at position ${item.position} was changed: its content no longer matches its leaf hash`);
    }
    // Each link on its own: one bad entry breaks its link, not every later one.
    const storedChain = Buffer.from(item.chainHash, 'base64');
    if (!chainHash(chain, leaf).equals(storedChain) && firstBad?.position !== item.position) bad(item, `the hash chain breaks at entry ${item.seq} (position ${item.position})`);
    chain = storedChain;
    edge.push({ size: 1, hash: leaf });
    while (edge.length >= 2 && edge[edge.length - 1]!.size === edge[edge.length - 2]!.size) {
      const right = edge.pop()!;
      const left = edge.pop()!;
      edge.push({ size: left.size * 2, hash: nodeHash(left.hash, right.hash) });
    }
    expected = item.position + 1;
    const root = signed.get(expected);
    if (root) {
      signed.delete(expected);
      if (!rootOfEdge(edge).equals(root)) {
        problems.push({ checkpoint: expected, problem: `the checkpoint of ${expected} entries does not match the log: an entry before position ${expected} was changed, removed or moved` });
      }
    }
    if (expected % 1000 === 0) input.onProgress?.(expected);
  }
  for (const size of [...signed.keys()].sort((a, b) => a - b)) {
    problems.push({ checkpoint: size, problem: `the checkpoint of ${size} entries covers entries the log no longer has (it holds ${expected})` });
  }
  return { ok: problems.length === 0, entries: expected, checkpoints: input.checkpoints.length, ...(firstBad ? { firstBad } : {}), problems };
}

/**
 * Checks one entry's inclusion proof: the entry's own leaf hash, the path up to the root,
 * and the checkpoint's signature over that root.
 */
export async function verifyInclusionProof(entry: Schemas['AuditEntry'], proof: Schemas['AuditInclusionProof'], caPem: string): Promise<{ ok: boolean; problem?: string }> {
  const leaf = entryLeafHash(entry);
  if (entry.seq !== proof.seq || leaf.toString('base64') !== proof.leafHash) return { ok: false, problem: 'the entry does not match the proof\'s leaf' };
  if (!verifyInclusion(proof.position, proof.treeSize, leaf, proof.path.map((h) => Buffer.from(h, 'base64')), Buffer.from(proof.rootHash, 'base64'))) {
    return { ok: false, problem: 'the path does not lead to the root' };
  }
  const problem = await checkpointProblem({ treeSize: proof.treeSize, rootHash: proof.rootHash, checkpoint: proof.checkpoint, issuedAt: checkpointTime(proof.checkpoint) }, new X509Certificate(caPem));
  return problem ? { ok: false, problem: `the checkpoint: ${problem}` } : { ok: true };
}

function checkpointTime(jws: string): string {
  try {
    return (JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { issuedAt?: string }).issuedAt ?? '';
  } catch {
    return '';
  }
}

function rootOfEdge(edge: ReadonlyArray<{ hash: Buffer }>): Buffer {
  let hash = edge[edge.length - 1]!.hash;
  for (let i = edge.length - 2; i >= 0; i -= 1) hash = nodeHash(edge[i]!.hash, hash);
  return hash;
}

/** Why a checkpoint's signature or statement does not hold, or `undefined`. */
async function checkpointProblem(checkpoint: AuditCheckpoint, ca: X509Certificate): Promise<string | undefined> {
  try {
    const [head] = checkpoint.checkpoint.split('.');
    const header = JSON.parse(Buffer.from(head ?? '', 'base64url').toString('utf8')) as { x5c?: string[]; typ?: string };
    const signer = new X509Certificate(Buffer.from(header.x5c?.[0] ?? '', 'base64'));
    if (!signer.checkIssued(ca) || !signer.verify(ca.publicKey)) return 'signed with a certificate the gateway CA did not issue';
    const { payload } = await compactVerify(checkpoint.checkpoint, await importX509(signer.toString(), signer.publicKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'RS256'));
    const statement = JSON.parse(Buffer.from(payload).toString('utf8')) as { treeSize?: number; rootHash?: string; issuedAt?: string };
    if (header.typ !== 'audit-checkpoint') return `not a checkpoint (typ ${String(header.typ)})`;
    if (statement.treeSize !== checkpoint.treeSize || statement.rootHash !== checkpoint.rootHash || statement.issuedAt !== checkpoint.issuedAt) {
      return 'its signed statement differs from the size, root or time listed with it';
    }
    return undefined;
  } catch (error) {
    return `its signature does not verify (${(error as Error).message})`;
  }
}

/** The gateway's whole audit log in tree order, page by page, and all its checkpoints, over the API (auditor role). */
export async function readAuditLog(client: Pick<ReferralClient, 'api'>): Promise<{ checkpoints: AuditCheckpoint[]; items: AsyncIterable<AuditLogItem> }> {
  const checkpoints: AuditCheckpoint[] = [];
  for (let before: number | undefined; ;) {
    const page = unwrap(await client.api.GET('/v1/audit/checkpoints', { params: { query: { limit: 1000, ...(before ? { before } : {}) } } }));
    checkpoints.push(...page.items);
    if (page.items.length < 1000) break;
    before = page.items[page.items.length - 1]!.treeSize;
  }
  async function* items(): AsyncGenerator<AuditLogItem> {
    for (let start: number | undefined = 0; start !== undefined;) {
      const page: Schemas['AuditLogPage'] = unwrap(await client.api.GET('/v1/audit/log', { params: { query: { start, limit: 5000 } } }));
      yield* page.items;
      start = page.next;
    }
  }
  return { checkpoints, items: items() };
}
