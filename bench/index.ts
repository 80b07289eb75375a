/**
 * `npm run bench`: the gateway against baselines measured in the same run, on this machine:
 * (a) the accept path against raw HTTPS + mutual TLS + JSON; (b) end to end, submit to
 * delivered at the recipient (and acknowledged), against a raw pipeline of HTTPS POST →
 * BullMQ → worker → HTTPS POST to a sink on the same Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { ensureDevelopmentPki } from '../certs/index.ts';
import { DEMO_PARTICIPANTS } from '../demo/participants.ts';
import { createPostgresDatabase } from '../testing/test-gateway.ts';
import { openDatabase } from '../gateway/store/index.ts';
import { startRedisServer } from '../queues/index.ts';
import { loadContract } from '../schemas/index.ts';
import { fixedRate, maxThroughput, type LoadResult, type LoadTarget } from './load.ts';
import { summariseProfile } from './profile-summary.ts';
import { cpuMs, createCostMeter, type Cost } from './cost.ts';
import { startRecipient, startSink, type Arrivals } from './recipients.ts';
import { fillExchanges } from '../testing/fill-exchanges.ts';
import { measureTracking, type TrackingResult } from './tracking.ts';

const { values: options } = parseArgs({
  options: {
    rates: { type: 'string', default: '100,300,1000' },
    'e2e-rates': { type: 'string', default: '100,300' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    postgres: { type: 'string', default: process.env.RG_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    profile: { type: 'boolean', default: false },
    tracking: { type: 'string', default: '1000000' },
    soak: { type: 'string', default: '0' },
    'tracking-requests': { type: 'string', default: '200' },
    // How the simulated recipient sends its receipts: in its answer to the delivery, or later to POST /v1/receipts.
    receipts: { type: 'string', default: 'answer' },
  },
});
if (options.receipts !== 'answer' && options.receipts !== 'later') throw new RangeError('--receipts is answer or later');
const rates = options.rates.split(',').map(Number);
const e2eRates = options['e2e-rates'].split(',').map(Number);
const seconds = Number(options.seconds);
const concurrency = Number(options.concurrency);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), 'rg-bench-'));
const certs = join(dataDir, 'certs');
const profileDir = join(dataDir, 'profile');
ensureDevelopmentPki({ dir: certs, participants: DEMO_PARTICIPANTS, administrators: [], hostnames: ['localhost', '127.0.0.1'] });
const referral = (loadContract().document.components.examples as Record<string, { value: Record<string, unknown> }>).Referral!.value;
const messageId = (run: string, i: number) => `bench-${run}-${i}`;
const body = (run: string) => (i: number) => JSON.stringify({ ...referral, messageId: messageId(run, i) });

interface E2eResult {
  label: string;
  /** The server process's CPU ms per delivered exchange over the step (its own process only: not PostgreSQL, Redis or the recipient). */
  cpuMsPer: number;
  accepted: number;
  delivered: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** What the step cost every process (max step and the fixed rates alike). */
  cost: Cost;
}

async function main(): Promise<void> {
  const database = await createPostgresDatabase(options.postgres);
  const redis = await startRedisServer({ dir: join(dataDir, 'redis') });
  const recipient = await startRecipient(certs);
  const sink = await startSink(certs);
  const children: ChildProcess[] = [];
  try {
    const configFile = join(dataDir, 'gateway.json');
    // The benchmark's one certificate asks far faster than an agency system may.
    writeFileSync(configFile, JSON.stringify({ limits: { requestsPerSecond: 1_000_000, burst: 10_000_000 }, delivery: { participants: { 'BG-NGO-ANIMUS': { mode: 'push', endpoint: recipient.simulator.endpoint } } } }));
    const raw = await spawnServer(children, ['--import', 'tsx', 'bench/baseline-server.ts', certs], {}, /baseline is up at (\S+)/);
    const rawPid = children.at(-1)!.pid!;
    const pipeline = await spawnServer(children, ['--import', 'tsx', 'bench/baseline-pipeline.ts', certs, redis.url, sink.url], {}, /pipeline is up at (\S+)/);
    const pipelinePid = children.at(-1)!.pid!;
    const gateway = await spawnServer(
      children,
      [...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'app/main.ts'],
      { RG_DATA_DIR: dataDir, RG_PORT: '0', RG_LOG_LEVEL: 'warn', RG_DATABASE_URL: database.url, RG_REDIS_URL: redis.url, RG_CONFIG: configFile, RG_DEMO_AGENCIES: 'false' },
      /is up at (\S+)/,
    );
    const gatewayPid = children.at(-1)!.pid!;
    const recipientTls = { caPem: read('ca.pem'), certPem: read('clients/BG-NGO-ANIMUS.pem'), keyPem: read('clients/BG-NGO-ANIMUS-key.pem') };
    recipient.simulator.sendReceiptsTo(options.receipts === 'later' ? { gatewayUrl: gateway, tls: recipientTls } : { inAnswer: true, tls: recipientTls });

    const accept = { baseline: await acceptPath('raw', raw, rawPid), gateway: await acceptPath('gw', gateway, gatewayPid) };
    // (b) starts from an empty queue: wait until phase (a)'s deliveries are all acknowledged.
    await countAcknowledged(database.url, 300_000);
    const e2e = {
      baseline: await endToEnd('pipe', pipeline, sink.arrivals, pipelinePid, database.url, redis.port),
      gateway: await endToEnd('gwe2e', gateway, recipient.arrivals, gatewayPid, database.url, redis.port),
    };
    const acknowledged = await countAcknowledged(database.url);
    // (d) a long run at 100/s, for the gateway's memory: off unless asked for (--soak <minutes>).
    const soak = Number(options.soak) > 0 ? await soakRun(gateway, recipient.arrivals, gatewayPid, Number(options.soak)) : undefined;
    // (c) tracking with a million exchanges in the store: filled after (b), so (a) and (b) ran on a small one.
    const count = Number(options.tracking);
    const tracking = count > 0
      ? { count, fillMs: await fillExchanges(database.url, count), results: await measureTracking(gateway, certs, database.url, Number(options['tracking-requests'])) }
      : undefined;
    report(accept, e2e, acknowledged, tracking, soak);
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(null);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await recipient.simulator.close();
    await sink.close();
    await redis.stop();
    await database.drop();
  }
  if (options.profile) {
    const [file] = readdirSync(profileDir);
    process.stdout.write(`\nWhere the gateway's CPU time went (self time, idle excluded; ${join(profileDir, file!)}):\n`);
    process.stdout.write(`${summariseProfile(join(profileDir, file!)).join('\n')}\n`);
  }
}

function read(name: string): string {
  return readFileSync(join(certs, name), 'utf8');
}

function poolFor(url: string): Pool {
  return new Pool(url, { connections: concurrency, pipelining: 1, connect: { ca: read('ca.pem'), cert: read('clients/BG-NCCTHB.pem'), key: read('clients/BG-NCCTHB-key.pem') } });
}

/** (a) Fixed rates and maximum throughput of submissions. */
async function acceptPath(name: string, url: string, pid: number): Promise<Array<LoadResult & { cpuMsPer: number }>> {
  const pool = poolFor(url);
  const target: LoadTarget = { pool, path: '/v1/exchanges', body: body(`${name}-${Date.now()}`), expect: 202 };
  await maxThroughput(target, 8, 1, 0); // warm-up: JIT, connections, database caches
  const results: Array<LoadResult & { cpuMsPer: number }> = [];
  let offset = 1_000_000;
  const measured = async (step: () => Promise<LoadResult>) => {
    const before = cpuMs(pid);
    const result = await step();
    return { ...result, cpuMsPer: (cpuMs(pid) - before) / Math.max(1, result.ok) };
  };
  for (const rate of rates) {
    results.push(await measured(() => fixedRate(target, rate, seconds, offset)));
    offset += 1_000_000;
  }
  results.push(await measured(() => maxThroughput(target, concurrency, seconds, offset)));
  await pool.close();
  return results;
}

/** (b) Submit at fixed rates and at full speed; measure until the recipient has every message. */
async function endToEnd(name: string, url: string, arrivals: Arrivals, pid: number, databaseUrl: string, redisPort: number): Promise<E2eResult[]> {
  const pool = poolFor(url);
  const meter = await createCostMeter(pid, databaseUrl, redisPort);
  const results: E2eResult[] = [];
  const run = `${name}-${Date.now()}`;
  const steps: Array<{ label: string; go: (t: LoadTarget, offset: number) => Promise<LoadResult> }> = [
    ...e2eRates.map((rate) => ({ label: `${rate}/s fixed`, go: (t: LoadTarget, o: number) => fixedRate(t, rate, seconds, o) })),
    { label: `max (${concurrency} in flight)`, go: (t: LoadTarget, o: number) => maxThroughput(t, concurrency, seconds, o) },
  ];
  let offset = 0;
  for (const step of steps) {
    const acceptedAt = new Map<string, number>();
    const target: LoadTarget = { pool, path: '/v1/exchanges', body: body(run), expect: 202, onOk: (i, at) => acceptedAt.set(messageId(run, i), at) };
    const started = performance.now();
    const stop = await meter.start();
    await step.go(target, offset);
    offset += 1_000_000;
    await drain(arrivals, [...acceptedAt.keys()]);
    const cost = await stop();
    const latencies = [...acceptedAt].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id)! - at).sort((a, b) => a - b);
    const last = Math.max(...[...acceptedAt.keys()].map((id) => arrivals.get(id) ?? 0));
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    results.push({
      label: step.label, accepted: acceptedAt.size, delivered: latencies.length, perSecond: latencies.length / ((last - started) / 1000),
      p50: at(0.5), p99: at(0.99), cpuMsPer: cost.gatewayMs / Math.max(1, latencies.length), cost,
    });
  }
  await meter.close();
  await pool.close();
  return results;
}

/** Waits (up to 60 s) until every id in `ids` has arrived. */
async function drain(arrivals: Arrivals, ids: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (ids.some((id) => !arrivals.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** Waits up to `timeoutMs` until every delivery is acknowledged; returns the counts. */
async function countAcknowledged(url: string, timeoutMs = 10_000): Promise<{ acknowledged: number; total: number }> {
  const db = await openDatabase({ url });
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
      const { rows } = await db.query<{ acknowledged: number; total: number }>(
        "SELECT count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged, count(*)::int AS total FROM deliveries",
      );
      if (rows[0]!.acknowledged === rows[0]!.total) return rows[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (await db.query<{ acknowledged: number; total: number }>(
      "SELECT count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged, count(*)::int AS total FROM deliveries",
    )).rows[0]!;
  } finally {
    await db.close();
  }
}

function report(
  accept: { baseline: Array<LoadResult & { cpuMsPer: number }>; gateway: Array<LoadResult & { cpuMsPer: number }> },
  e2e: { baseline: E2eResult[]; gateway: E2eResult[] },
  acknowledged: { acknowledged: number; total: number },
  tracking: { count: number; fillMs: number; results: TrackingResult[] } | undefined,
  soak: SoakResult | undefined,
): void {
  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  // Cost first: CPU per delivered exchange is what stays comparable on a shared machine.
  const costLine = (system: string, r: E2eResult) => {
    const per = (n: number) => n / Math.max(1, r.delivered);
    const side = per(r.cost.gatewayMs + r.cost.postgresMs + r.cost.redisMs);
    return `| ${r.label} | ${system} | ${fmt(side, 2)} | ${fmt(per(r.cost.gatewayMs), 2)} | ${fmt(per(r.cost.postgresMs), 2)} | ${fmt(per(r.cost.redisMs), 2)} | ${fmt(per(r.cost.benchMs), 2)} | ${fmt(per(r.cost.commits), 1)} | ${fmt(per(r.cost.walBytes) / 1024, 1)} |`;
  };
  const lines = [
    '',
    'Cost per delivered exchange, end to end (CPU ms; gateway side = gateway + PostgreSQL + Redis; bench = load generator and simulated recipient, one process)',
    '',
    '| step | system | gateway side | gateway | PostgreSQL | Redis | bench | commits | WAL kB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...e2e.gateway.flatMap((g, i) => [costLine('pipeline baseline', e2e.baseline[i]!), costLine('gateway', g)]),
    '',
    'PostgreSQL: every postgres process of the cluster (the machine runs nothing else there during the bench); commits in the bench database; WAL of the cluster.',
    '',
    `Referral example (${Buffer.byteLength(body('x')(0))} bytes, one recipient) over HTTPS with mutual TLS; PostgreSQL; Redis with AOF (everysec).`,
    `${seconds} s per step; load generator, servers, recipients, PostgreSQL and Redis share this machine.`,
    '',
    '(a) accept path: POST /v1/exchanges until 202',
    '',
    '| step | server | sent | ok | answered/s | p50 ms | p99 ms | CPU ms each |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  accept.gateway.forEach((g, i) => {
    for (const [server, r] of [['raw HTTPS baseline', accept.baseline[i]!], ['gateway', g]] as const) {
      lines.push(`| ${r.label} | ${server} | ${r.sent} | ${r.ok} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.cpuMsPer, 2)} |`);
    }
  });
  lines.push('', '(b) end to end: 202 at the sender → envelope applied by the recipient system', '',
    '| step | system | accepted | delivered | delivered/s | p50 ms | p99 ms | CPU ms each |', '|---|---|---:|---:|---:|---:|---:|---:|');
  e2e.gateway.forEach((g, i) => {
    for (const [system, r] of [['pipeline baseline', e2e.baseline[i]!], ['gateway', g]] as const) {
      lines.push(`| ${r.label} | ${system} | ${r.accepted} | ${r.delivered} | ${fmt(r.perSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.cpuMsPer, 2)} |`);
    }
  });
  const ratio = (a: number, b: number) => fmt(a / b, 3);
  const aMax = accept.gateway.at(-1)!.perSecond;
  const eMax = e2e.gateway.at(-1)!.perSecond;
  lines.push(
    '',
    `accepted/s at max: ${fmt(aMax)}  (ratio to raw HTTPS ${ratio(aMax, accept.baseline.at(-1)!.perSecond)}); gateway CPU ${fmt(accept.gateway.at(-1)!.cpuMsPer, 2)} ms per acceptance (raw ${fmt(accept.baseline.at(-1)!.cpuMsPer, 2)})`,
    `end-to-end delivered/s at max: ${fmt(eMax)}  (ratio to pipeline ${ratio(eMax, e2e.baseline.at(-1)!.perSecond)}); gateway CPU ${fmt(e2e.gateway.at(-1)!.cpuMsPer, 2)} ms per exchange delivered (pipeline ${fmt(e2e.baseline.at(-1)!.cpuMsPer, 2)})`,
    'CPU: the server process only (user + system), not PostgreSQL, Redis or the recipient.',
    `gateway deliveries acknowledged by the recipient's receipt (${options.receipts === 'later' ? 'sent later to POST /v1/receipts' : 'in its answer to the delivery'}): ${acknowledged.acknowledged} of ${acknowledged.total}`,
  );
  if (tracking) {
    lines.push('', `(c) tracking with ${tracking.count.toLocaleString('en')} more exchanges in the store (filled in ${fmt(tracking.fillMs / 1000)} s), one request at a time over HTTPS with mutual TLS`, '',
      '| variant | rows | p50 ms | p99 ms | plan (scans) |', '|---|---:|---:|---:|---|',
      ...tracking.results.map((r) => `| ${r.label} | ${r.rows} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.plan} |`));
  }
  if (soak) {
    lines.push('', `(d) ${soak.minutes} minutes at 100/s end to end: ${soak.delivered} of ${soak.accepted} delivered; the gateway's resident memory (MB), every ${SOAK_SAMPLE_S} s:`, '',
      soak.rssMb.map((mb) => fmt(mb, 0)).join(' '), '',
      `RSS over the second minute (after warm-up) ${fmt(soak.firstMb, 0)} MB (median), over the last minute ${fmt(soak.lastMb, 0)} MB: ${soak.lastMb >= soak.firstMb ? '+' : ''}${fmt(((soak.lastMb - soak.firstMb) / soak.firstMb) * 100)} %`);
  }
  lines.push(
    '',
    `reproduce: npm run bench -- --rates ${options.rates} --e2e-rates ${options['e2e-rates']} --seconds ${options.seconds} --concurrency ${options.concurrency} --tracking ${options.tracking} --receipts ${options.receipts}${Number(options.soak) > 0 ? ` --soak ${options.soak}` : ''}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}

const SOAK_SAMPLE_S = 15;

interface SoakResult {
  minutes: number;
  accepted: number;
  delivered: number;
  rssMb: number[];
  firstMb: number;
  lastMb: number;
}

/** The gateway's resident set size, MB, from /proc. */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** `minutes` at 100 referrals/s, delivered and acknowledged, sampling the gateway's RSS. */
async function soakRun(url: string, arrivals: Arrivals, pid: number, minutes: number): Promise<SoakResult> {
  const pool = poolFor(url);
  const run = `soak-${Date.now()}`;
  const accepted: string[] = [];
  const samples: number[] = [rssMb(pid)];
  const timer = setInterval(() => samples.push(rssMb(pid)), SOAK_SAMPLE_S * 1000);
  try {
    await fixedRate({ pool, path: '/v1/exchanges', body: body(run), expect: 202, onOk: (i) => accepted.push(messageId(run, i)) }, 100, minutes * 60, 50_000_000);
    await drain(arrivals, accepted);
  } finally {
    clearInterval(timer);
    await pool.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const perMinute = Math.max(1, Math.round(60 / SOAK_SAMPLE_S));
  // The first minute is warm-up (JIT, pools, caches): growth is measured from the second.
  return {
    minutes, accepted: accepted.length, delivered: accepted.filter((id) => arrivals.has(id)).length, rssMb: samples,
    firstMb: median(samples.slice(perMinute, 2 * perMinute)), lastMb: median(samples.slice(-perMinute)),
  };
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
