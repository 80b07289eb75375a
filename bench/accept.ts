/**
 * `npm run bench`: the accept path (POST /v1/exchanges → validated, stored, 202) against a
 * raw HTTPS + mutual TLS + JSON baseline measured in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { ensureDevelopmentPki } from '../certs/index.ts';
import { loadContract } from '../schemas/index.ts';
import { DEMO_PARTICIPANTS } from '../gateway/demo-participants.ts';
import { createPostgresDatabase } from '../gateway/test-support.ts';
import { fixedRate, maxThroughput, type LoadResult, type LoadTarget } from './load.ts';
import { summariseProfile } from './profile-summary.ts';

const { values: options } = parseArgs({
  options: {
    rates: { type: 'string', default: '100,300,1000' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    store: { type: 'string', default: 'postgresql' },
    postgres: { type: 'string', default: process.env.RG_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    profile: { type: 'boolean', default: false },
  },
});
const rates = options.rates.split(',').map(Number);
const seconds = Number(options.seconds);
const concurrency = Number(options.concurrency);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), 'rg-bench-'));
const profileDir = join(dataDir, 'profile');
const certs = join(dataDir, 'certs');
ensureDevelopmentPki({ dir: certs, participants: DEMO_PARTICIPANTS, administrators: [], hostnames: ['localhost', '127.0.0.1'] });

const referral = (loadContract().document.components.examples as Record<string, { value: Record<string, unknown> }>).Referral!.value;
const body = (run: string) => (i: number) => JSON.stringify({ ...referral, messageId: `bench-${run}-${i}` });

async function main(): Promise<void> {
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (options.store === 'postgresql') database = await createPostgresDatabase(options.postgres);
  const children: ChildProcess[] = [];
  try {
    const baseline = await spawnServer(children, ['--import', 'tsx', 'bench/baseline-server.ts', certs], {}, /baseline is up at (\S+)/);
    const gateway = await spawnServer(
      children,
      [...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'gateway/main.ts'],
      { RG_DATA_DIR: dataDir, RG_PORT: '0', RG_LOG_LEVEL: 'warn', ...(database ? { RG_DATABASE_URL: database.url } : {}) },
      /is up at (\S+)/,
    );
    const results = { baseline: await measure('baseline', baseline), gateway: await measure('gateway', gateway) };
    report(results);
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await database?.drop();
  }
  if (options.profile) {
    const [file] = readdirSync(profileDir);
    process.stdout.write(`\nWhere the gateway's CPU time went (self time, idle excluded; ${join(profileDir, file!)}):\n`);
    process.stdout.write(`${summariseProfile(join(profileDir, file!)).join('\n')}\n`);
  }
}

async function measure(name: string, url: string): Promise<LoadResult[]> {
  const pool = new Pool(url, {
    connections: concurrency,
    pipelining: 1,
    connect: {
      ca: readFileSync(join(certs, 'ca.pem')),
      cert: readFileSync(join(certs, 'clients', 'BG-NCCTHB.pem')),
      key: readFileSync(join(certs, 'clients', 'BG-NCCTHB-key.pem')),
    },
  });
  const target: LoadTarget = { pool, path: '/v1/exchanges', body: body(`${name}-${Date.now()}`), expect: 202 };
  await maxThroughput(target, 8, 1, 0); // warm-up: JIT, connections, database caches
  const results: LoadResult[] = [];
  let offset = 1_000_000;
  for (const rate of rates) {
    results.push(await fixedRate(target, rate, seconds, offset));
    offset += 1_000_000;
  }
  results.push(await maxThroughput(target, concurrency, seconds, offset));
  await pool.close();
  return results;
}

function report(results: { baseline: LoadResult[]; gateway: LoadResult[] }): void {
  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const lines = [
    '',
    `Accept path: POST /v1/exchanges (referral example, ${Buffer.byteLength(body('x')(0))} bytes) over HTTPS with mutual TLS`,
    `store: ${options.store}; ${seconds}s per step; client and servers share this machine`,
    '',
    '| step | server | sent | ok | failed | answered/s | p50 ms | p99 ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  results.gateway.forEach((g, i) => {
    const b = results.baseline[i]!;
    for (const [server, r] of [['baseline', b], ['gateway', g]] as const) {
      lines.push(`| ${r.label} | ${server} | ${r.sent} | ${r.ok} | ${r.failed} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`);
    }
  });
  const gMax = results.gateway.at(-1)!;
  const bMax = results.baseline.at(-1)!;
  lines.push('', `max throughput ratio gateway / baseline: ${fmt(gMax.perSecond / bMax.perSecond, 3)} (${fmt(gMax.perSecond)} / ${fmt(bMax.perSecond)} per second)`);
  lines.push(`reproduce: npm run bench -- --rates ${options.rates} --seconds ${options.seconds} --concurrency ${options.concurrency} --store ${options.store}`, '');
  process.stdout.write(lines.join('\n'));
}

function spawnServer(children: ChildProcess[], args: string[], env: Record<string, string>, ready: RegExp): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(match[1]!.replace('127.0.0.1', 'localhost'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

await main();
