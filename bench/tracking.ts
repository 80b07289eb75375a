/**
 * The tracking step: `GET /v1/exchanges` in every variant and `GET /v1/exchanges/{id}` with
 * a million stored exchanges. The store is filled in SQL (one INSERT … SELECT per table,
 * triggers and foreign-key checks off for the fill only — the rows are what acceptance would
 * have left after the payloads' purge), then each variant is asked through the gateway, in
 * HTTPS with mutual TLS, as a participant's system would, and the plan PostgreSQL chose for
 * the listing's statement is printed with the indexes it walks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { openDatabase } from '../gateway/store/index.ts';
import { listStatement, type ListFilter } from '../gateway/store/exchange-store.ts';

export interface TrackingResult {
  label: string;
  p50: number;
  p99: number;
  rows: number;
  /** The plan's scans: node type and index (or table). */
  plan: string;
}

/** Asks every variant `requests` times through the gateway at `url`; `certs` holds each participant's client certificate. */
export async function measureTracking(url: string, certs: string, databaseUrl: string, requests: number): Promise<TrackingResult[]> {
  const read = (name: string) => readFileSync(join(certs, name), 'utf8');
  const pools = new Map<string, Pool>();
  const pool = (participant: string) => {
    if (!pools.has(participant)) {
      pools.set(participant, new Pool(url, { connections: 1, connect: { ca: read('ca.pem'), cert: read(`clients/${participant}.pem`), key: read(`clients/${participant}-key.pem`) } }));
    }
    return pools.get(participant)!;
  };
  const db = await openDatabase({ url: databaseUrl, maxConnections: 1 });
  const get = async (participant: string, path: string) => {
    const { statusCode, body } = await pool(participant).request({ method: 'GET', path });
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`GET ${path} as ${participant}: ${statusCode} ${text}`);
    return JSON.parse(text) as { items?: Array<{ id: string }>; nextCursor?: string; id?: string };
  };
  try {
    const threads = (await db.query<{ correlation_id: string }>("SELECT correlation_id FROM exchanges WHERE correlation_id LIKE 'fill-case-%' ORDER BY seq DESC LIMIT 50 OFFSET 5000")).rows.map((r) => r.correlation_id);
    const ids = (await db.query<{ id: string }>("SELECT id FROM exchanges WHERE sender = 'BG-NCCTHB' ORDER BY seq DESC LIMIT 200 OFFSET 100000")).rows.map((r) => r.id);
    const firstPage = await get('BG-NCCTHB', '/v1/exchanges?limit=50');
    const { rows: [last] } = await db.query<{ seq: string }>('SELECT seq::text AS seq FROM exchanges WHERE id = $1', [firstPage.items!.at(-1)!.id]);
    const variants: Array<{ label: string; participant: string; path: (i: number) => string; filter?: ListFilter }> = [
      { label: 'as a sender and recipient (BG-NCCTHB), first page', participant: 'BG-NCCTHB', path: () => '/v1/exchanges?limit=50', filter: { viewer: 'BG-NCCTHB', limit: 51 } },
      { label: 'the next page (cursor)', participant: 'BG-NCCTHB', path: () => `/v1/exchanges?limit=50&cursor=${firstPage.nextCursor}`, filter: { viewer: 'BG-NCCTHB', beforeSeq: BigInt(last!.seq), limit: 51 } },
      { label: 'as a recipient (and sender of 20 %: BG-NGO-ANIMUS)', participant: 'BG-NGO-ANIMUS', path: () => '/v1/exchanges?limit=50', filter: { viewer: 'BG-NGO-ANIMUS', limit: 51 } },
      { label: 'as a recipient of 10 % (BG-SACP)', participant: 'BG-SACP', path: () => '/v1/exchanges?limit=50', filter: { viewer: 'BG-SACP', limit: 51 } },
      { label: 'a participant with none (BG-SAA)', participant: 'BG-SAA', path: () => '/v1/exchanges?limit=50', filter: { viewer: 'BG-SAA', limit: 51 } },
      { label: 'by case thread', participant: 'BG-NCCTHB', path: (i) => `/v1/exchanges?correlationId=${threads[i % threads.length]}`, filter: { viewer: 'BG-NCCTHB', correlationId: threads[0]!, limit: 51 } },
      { label: 'status=failed (0.5 % of one recipient\'s)', participant: 'BG-NCCTHB', path: () => '/v1/exchanges?status=failed&limit=50', filter: { viewer: 'BG-NCCTHB', status: 'failed', limit: 51 } },
      { label: 'status=failed, none match (BG-SACP)', participant: 'BG-SACP', path: () => '/v1/exchanges?status=failed&limit=50', filter: { viewer: 'BG-SACP', status: 'failed', limit: 51 } },
      { label: 'status=acknowledged (nearly all)', participant: 'BG-NGO-ANIMUS', path: () => '/v1/exchanges?status=acknowledged&limit=50', filter: { viewer: 'BG-NGO-ANIMUS', status: 'acknowledged', limit: 51 } },
      { label: 'GET /v1/exchanges/{id}', participant: 'BG-NCCTHB', path: (i) => `/v1/exchanges/${ids[i % ids.length]}` },
    ];
    const results: TrackingResult[] = [];
    for (const variant of variants) {
      for (let i = 0; i < 20; i += 1) await get(variant.participant, variant.path(i)); // warm: connections, prepared statements, caches
      const latencies: number[] = [];
      let rows = 0;
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        const answer = await get(variant.participant, variant.path(i));
        latencies.push(performance.now() - started);
        rows = answer.items?.length ?? (answer.id ? 1 : 0);
      }
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
      results.push({ label: variant.label, p50: at(0.5), p99: at(0.99), rows, plan: variant.filter ? await planOf(db, variant.filter) : 'by primary key' });
    }
    return results;
  } finally {
    await db.close();
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
}

/** The scans of the plan PostgreSQL picks for the listing's statement, e.g. `Index Scan Backward exchanges_sender`. */
async function planOf(db: Awaited<ReturnType<typeof openDatabase>>, filter: ListFilter): Promise<string> {
  const { sql, params } = await listStatement(db, filter);
  const { rows } = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const scans: string[] = [];
  const walk = (node: PlanNode) => {
    if (/Scan/.test(node['Node Type'])) scans.push(`${node['Node Type']}${node['Scan Direction'] === 'Backward' ? ' Backward' : ''} ${node['Index Name'] ?? node['Relation Name'] ?? ''}`.trim());
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0]!.Plan);
  return scans.join('; ');
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
}
