/**
 * Checks the audit log in the browser, page by page with progress: every entry against its
 * leaf hash (SHA-256 of 0x00 and its RFC 8785 JSON), the hash chain, positions without gaps,
 * and the tree's root at every checkpoint's size against the root the checkpoint states and
 * its JWS signature (the key of its x5c certificate). Written apart from the gateway's code
 * (WebCrypto); the CA chain of the signature and the CRL are for `rg audit verify` and the
 * openssl procedure of docs/verify.md.
 */
import canonicalizeModule from 'canonicalize';
import { compactVerify, importX509 } from 'jose';
import { api, unwrap } from './api.ts';
import type { components } from '../../schemas/generated/openapi.ts';

type Checkpoint = components['schemas']['AuditCheckpoint'];

export interface BrowserVerification {
  entries: number;
  checkpoints: number;
  /** The first thing wrong, if anything: where and what. */
  problem?: { position?: number; seq?: number; treeSize?: number; kind: 'changed' | 'missing' | 'chain' | 'root' | 'signature' | 'truncated' };
}

// canonicalize is CommonJS with an ESM-style declaration: its default import is the function at run time.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;
const encoder = new TextEncoder();
const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array> => {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
};
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const node = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** Reads the whole log (5,000 entries a page) and checks it; `onProgress(done, total)` after each page. */
export async function verifyInBrowser(onProgress: (done: number, total: number) => void): Promise<BrowserVerification> {
  const checkpoints: Checkpoint[] = [];
  for (let before: number | undefined; ;) {
    const page = unwrap(await api.GET('/v1/audit/checkpoints', { params: { query: { limit: 1000, ...(before ? { before } : {}) } } }));
    checkpoints.push(...page.items);
    if (page.items.length < 1000) break;
    before = page.items[page.items.length - 1]!.treeSize;
  }
  for (const c of checkpoints) {
    if (!(await signatureHolds(c))) return { entries: 0, checkpoints: checkpoints.length, problem: { treeSize: c.treeSize, kind: 'signature' } };
  }
  const roots = new Map(checkpoints.map((c) => [c.treeSize, fromBase64(c.rootHash)]));
  const total = checkpoints[0]?.treeSize ?? 0;
  const edge: Array<{ size: number; hash: Uint8Array }> = [];
  let chain: Uint8Array = new Uint8Array(32);
  let expected = 0;
  for (let start: number | undefined = 0; start !== undefined;) {
    const page: components['schemas']['AuditLogPage'] = unwrap(await api.GET('/v1/audit/log', { params: { query: { start, limit: 5000 } } }));
    for (const item of page.items) {
      const at = { position: expected, seq: item.seq };
      if (item.position !== expected || !item.entry) return { entries: expected, checkpoints: checkpoints.length, problem: { ...at, kind: 'missing' } };
      const { seq, at: time, actor, action, exchangeId, details } = item.entry;
      const leaf = await sha256(Uint8Array.of(0), encoder.encode(canonicalize({ seq, at: time, actor, action, exchangeId, details })!));
      if (seq !== item.seq || !equal(leaf, fromBase64(item.leafHash))) return { entries: expected, checkpoints: checkpoints.length, problem: { ...at, kind: 'changed' } };
      const link = fromBase64(item.chainHash);
      if (!equal(await sha256(chain, leaf), link)) return { entries: expected, checkpoints: checkpoints.length, problem: { ...at, kind: 'chain' } };
      chain = link;
      edge.push({ size: 1, hash: leaf });
      while (edge.length >= 2 && edge[edge.length - 1]!.size === edge[edge.length - 2]!.size) {
        const right = edge.pop()!;
        const left = edge.pop()!;
        edge.push({ size: left.size * 2, hash: await node(left.hash, right.hash) });
      }
      expected += 1;
      const root = roots.get(expected);
      if (root) {
        roots.delete(expected);
        let hash = edge[edge.length - 1]!.hash;
        for (let i = edge.length - 2; i >= 0; i -= 1) hash = await node(edge[i]!.hash, hash);
        if (!equal(hash, root)) return { entries: expected, checkpoints: checkpoints.length, problem: { treeSize: expected, kind: 'root' } };
      }
    }
    onProgress(expected, Math.max(total, expected));
    start = page.next;
  }
  const beyond = [...roots.keys()].sort((a, b) => a - b)[0];
  return { entries: expected, checkpoints: checkpoints.length, ...(beyond ? { problem: { treeSize: beyond, kind: 'truncated' as const } } : {}) };
}

/** The checkpoint's JWS verifies with its x5c key and states exactly its size and root. */
async function signatureHolds(c: Checkpoint): Promise<boolean> {
  try {
    const header = JSON.parse(atob(c.checkpoint.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as { alg: string; x5c: string[] };
    const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]!.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
    const { payload } = await compactVerify(c.checkpoint, await importX509(pem, header.alg === 'EdDSA' ? 'EdDSA' : 'RS256'));
    const statement = JSON.parse(new TextDecoder().decode(payload)) as { treeSize: number; rootHash: string };
    return statement.treeSize === c.treeSize && statement.rootHash === c.rootHash;
  } catch {
    return false;
  }
}
