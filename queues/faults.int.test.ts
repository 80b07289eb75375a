import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecipientSimulator, type RecipientSimulator } from '../adapters/index.ts';
import { loadAppConfig } from '../app/config.ts';
import { migrate, openDatabase } from '../gateway/store/index.ts';
import { startGateway, type RunningGateway } from '../app/start.ts';
import { clientFor, createPostgresDatabase, example, pullOnly, uniqueId, validators } from '../testing/test-gateway.ts';
import { resolveRedis, RedisRefusedError, startQueues } from './index.ts';
import { freePort, startRedisServer, type PrivateRedis } from './redis-server.ts';
import { FAST_DELIVERY, QUICK_RECONCILER, startTestSystem, type TestSystem } from '../testing/test-system.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const silent = pino({ level: 'silent' });
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** Submits `count` referrals, `parallel` at a time, calling `midway` once half are accepted. */
async function load(system: TestSystem, count: number, midway: () => Promise<void>): Promise<string[]> {
  const client = system.as('BG-NCCTHB');
  const messageIds: string[] = [];
  let next = 0;
  let midwayDone: Promise<void> | undefined;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      const i = next++;
      const message = example('Referral');
      message.messageId = `load-${i}-${uniqueId('m')}`;
      message.recipients = ['BG-NGO-ANIMUS', 'BG-SACP'];
      const response = await client.post('/v1/exchanges', message);
      expect(response.status).toBe(202);
      messageIds.push(message.messageId);
      if (messageIds.length === Math.floor(count / 2)) midwayDone = midway();
    }
  }));
  await midwayDone;
  return messageIds;
}

async function expectAllApplied(system: TestSystem, messageIds: string[], timeout = 90_000): Promise<void> {
  const agencies = ['BG-NGO-ANIMUS', 'BG-SACP'].map((id) => system.agency(id));
  await vi.waitFor(() => {
    for (const agency of agencies) {
      const applied = new Set(agency.applied);
      const missing = messageIds.filter((m) => !applied.has(`BG-NCCTHB/${m}`));
      expect(missing.length).toBe(0);
    }
  }, { timeout, interval: 250 });
  for (const agency of agencies) for (const m of messageIds) expect(agency.applied.filter((k) => k === `BG-NCCTHB/${m}`)).toHaveLength(1);
  await vi.waitFor(async () => {
    const { rows } = await system.running.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM deliveries GROUP BY status');
    expect(rows).toEqual([{ status: 'acknowledged', n: messageIds.length * 2 }]);
  }, { timeout: 30_000, interval: 250 });
}

describe('Redis killed with SIGKILL under a load of 1,000 exchanges', () => {
  it.each([
    ['restarted with its data (AOF)', true],
    ['restarted empty', false],
  ])('%s: every accepted exchange reaches every recipient exactly once', async (_name, keepData) => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-redis-kill-'));
    let redis: PrivateRedis = await startRedisServer({ dir: join(dir, 'a') });
    const port = redis.port;
    const system = await startTestSystem({ redis, delivery: QUICK_RECONCILER });
    cleanups.push(() => redis.stop(), () => system.close());

    const messageIds = await load(system, 1000, async () => {
      await redis.stop('SIGKILL');
      // Restart once the gateway has noticed Redis is gone (it keeps accepting meanwhile).
      await vi.waitFor(async () => expect((await system.as('BG-NCCTHB').get('/readyz')).body.checks.queues).toBe('failing'), { timeout: 10_000, interval: 50 });
      redis = await startRedisServer({ dir: join(dir, keepData ? 'a' : 'b'), port });
    });
    expect(messageIds).toHaveLength(1000);
    await expectAllApplied(system, messageIds);
  }, 180_000);
});

/** The gateway as a separate process, as in production. */
function spawnGateway(env: Record<string, string>): { child: ChildProcess; output: () => string; started: Promise<void>; exited: Promise<void> } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = vi.waitFor(() => {
    if (child.exitCode !== null) throw new Error(`exited: ${output}`);
    expect(output).toMatch(/"msg":"gateway started"/);
  }, { timeout: 30_000, interval: 100 });
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, started, exited };
}

/** A shared setup: PostgreSQL, Redis, the development PKI, one simulated NGO, and a config file pointing at it. */
async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rg-kill-'));
  const database = await createPostgresDatabase();
  const redis = await startRedisServer({ dir: join(dataDir, 'redis') });
  cleanups.push(() => database.drop(), () => redis.stop());
  // The in-process API creates the development PKI and the NGO's endpoint comes next.
  const api: RunningGateway = await startGateway({
    overrides: { host: '127.0.0.1', port: 0, dataDir, databaseUrl: database.url, redisUrl: redis.url, logLevel: 'silent', demoAgencies: false, roles: ['api'] },
  });
  cleanups.push(() => api.stop());
  const certs = api.devCertsDir!;
  const read = (name: string) => readFileSync(join(certs, name), 'utf8');
  const ngo: RecipientSimulator = await createRecipientSimulator({
    participantId: 'BG-NGO-ANIMUS',
    server: { caPem: read('ca.pem'), certPem: read('server.pem'), keyPem: read('server-key.pem') },
    receipts: { gatewayUrl: api.url.replace('127.0.0.1', 'localhost'), tls: { caPem: read('ca.pem'), certPem: read('clients/BG-NGO-ANIMUS.pem'), keyPem: read('clients/BG-NGO-ANIMUS-key.pem') } },
  });
  cleanups.push(() => ngo.close());
  const configFile = join(dataDir, 'gateway.json');
  writeFileSync(configFile, JSON.stringify({ delivery: { ...FAST_DELIVERY, ...QUICK_RECONCILER, participants: { 'BG-NGO-ANIMUS': { mode: 'push', endpoint: ngo.endpoint } } } }));
  const env = { RG_CONFIG: configFile, RG_DATA_DIR: dataDir, RG_DATABASE_URL: database.url, RG_REDIS_URL: redis.url, RG_DEMO_AGENCIES: 'false', RG_PORT: '0' };
  const { client, agent } = clientFor(api.url.replace('127.0.0.1', 'localhost'), read('ca.pem'), { certPem: read('clients/BG-NCCTHB.pem'), keyPem: read('clients/BG-NCCTHB-key.pem') });
  cleanups.push(() => agent.close());
  const status = async (id: string) => (await client.get(`/v1/exchanges/${id}`)).body.deliveries[0];
  return { ngo, env, client, status };
}

describe('processes killed mid-way', () => {
  it('a worker killed mid-delivery: the delivery completes after restart; the recipient sees it at most twice and applies it once', async () => {
    const { ngo, env, client, status } = await setup();
    const relay = spawnGateway({ ...env, RG_ROLES: 'relay' });
    const worker = spawnGateway({ ...env, RG_ROLES: 'worker' });
    await Promise.all([relay.started, worker.started]);

    ngo.behave({ delayMs: 5_000 });
    const message = example('Referral');
    message.messageId = uniqueId('kill');
    const accepted = (await client.post('/v1/exchanges', message)).body;
    await vi.waitFor(() => expect(ngo.arrivals.get(`BG-NCCTHB/${message.messageId}`)).toBe(1), { timeout: 10_000 });
    expect((await status(accepted.id)).status).toBe('delivering');

    worker.child.kill('SIGKILL');
    await worker.exited;
    ngo.behave({});
    const again = spawnGateway({ ...env, RG_ROLES: 'worker' });
    await again.started;

    await vi.waitFor(async () => expect((await status(accepted.id)).status).toBe('acknowledged'), { timeout: 30_000, interval: 200 });
    expect(ngo.arrivals.get(`BG-NCCTHB/${message.messageId}`)).toBeLessThanOrEqual(2);
    expect(ngo.applied.filter((k) => k === `BG-NCCTHB/${message.messageId}`)).toHaveLength(1);
  }, 90_000);

  it('the gateway killed between accept and enqueue: the outbox still delivers', async () => {
    const { ngo, env, client, status } = await setup();
    // An API process without relay: accepted exchanges wait in the outbox.
    const message = example('Referral');
    message.messageId = uniqueId('outbox');
    const accepted = (await client.post('/v1/exchanges', message)).body;
    expect((await status(accepted.id)).status).toBe('accepted');
    const relayAndWorker = spawnGateway({ ...env, RG_ROLES: 'relay,worker' });
    await relayAndWorker.started;
    await vi.waitFor(async () => expect((await status(accepted.id)).status).toBe('acknowledged'), { timeout: 30_000, interval: 200 });
    expect(ngo.applied).toContain(`BG-NCCTHB/${message.messageId}`);
  }, 90_000);

  it('an API process killed with SIGKILL right after accepting loses nothing', async () => {
    const { ngo, env } = await setup();
    const api = spawnGateway({ ...env, RG_ROLES: 'api' });
    await api.started;
    const url = /"url":"(https:[^"]+)"/.exec(api.output())![1]!.replace('127.0.0.1', 'localhost');
    const ca = readFileSync(join(env.RG_DATA_DIR, 'certs', 'ca.pem'), 'utf8');
    const read = (name: string) => readFileSync(join(env.RG_DATA_DIR, 'certs', 'clients', name), 'utf8');
    const direct = clientFor(url, ca, { certPem: read('BG-NCCTHB.pem'), keyPem: read('BG-NCCTHB-key.pem') });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const message = example('Referral');
      message.messageId = uniqueId('crash');
      const response = await direct.client.post('/v1/exchanges', message);
      expect(response.status).toBe(202);
      ids.push(message.messageId);
    }
    api.child.kill('SIGKILL');
    await api.exited;
    await direct.agent.close();
    const rest = spawnGateway({ ...env, RG_ROLES: 'relay,worker' });
    await rest.started;
    await vi.waitFor(() => expect(ids.filter((m) => !ngo.applied.includes(`BG-NCCTHB/${m}`))).toEqual([]), { timeout: 30_000, interval: 200 });
  }, 90_000);
});

describe('scaled out', () => {
  it('delivers everything exactly once with three API processes and two relay-and-worker processes on one PostgreSQL and one Redis', async () => {
    const { ngo, env, client, status } = await setup();
    // Two more API processes beside setup's, and two processes each running the relay (outbox, reconciler, expiry, periodic jobs) and the workers.
    const apis = [spawnGateway({ ...env, RG_ROLES: 'api' }), spawnGateway({ ...env, RG_ROLES: 'api' })];
    const workers = [spawnGateway({ ...env, RG_ROLES: 'relay,worker' }), spawnGateway({ ...env, RG_ROLES: 'relay,worker' })];
    await Promise.all([...apis, ...workers].map((p) => p.started));
    const ca = readFileSync(join(env.RG_DATA_DIR, 'certs', 'ca.pem'), 'utf8');
    const read = (name: string) => readFileSync(join(env.RG_DATA_DIR, 'certs', 'clients', name), 'utf8');
    const clients = [client, ...apis.map((api) => {
      const direct = clientFor(/"url":"(https:[^"]+)"/.exec(api.output())![1]!.replace('127.0.0.1', 'localhost'), ca, { certPem: read('BG-NCCTHB.pem'), keyPem: read('BG-NCCTHB-key.pem') });
      cleanups.push(() => direct.agent.close());
      return direct.client;
    })];
    // 300 referrals, 12 in flight, spread over the three API processes.
    const accepted: Array<{ id: string; messageId: string }> = [];
    let next = 0;
    await Promise.all(Array.from({ length: 12 }, async (_, lane) => {
      while (next < 300) {
        const message = example('Referral');
        message.messageId = `scale-${next++}-${uniqueId('m')}`;
        const response = await clients[lane % clients.length]!.post('/v1/exchanges', message);
        expect(response.status).toBe(202);
        accepted.push({ id: response.body.id, messageId: message.messageId });
      }
    }));
    const keys = accepted.map((a) => `BG-NCCTHB/${a.messageId}`);
    await vi.waitFor(() => expect(keys.filter((k) => !ngo.applied.includes(k))).toEqual([]), { timeout: 60_000, interval: 200 });
    // Applied once each, and sent once each: no relay or worker took a delivery another had.
    expect(ngo.applied.filter((k) => keys.includes(k))).toHaveLength(300);
    expect(keys.filter((k) => ngo.arrivals.get(k) !== 1)).toEqual([]);
    await vi.waitFor(async () => {
      const statuses = await Promise.all(accepted.slice(0, 300).map((a) => status(a.id)));
      expect(statuses.filter((d) => d.status !== 'acknowledged')).toEqual([]);
    }, { timeout: 30_000, interval: 500 });
  }, 180_000);
});

describe('Redis down for a while', () => {
  it('keeps accepting, reports the queues failing without going unready, and delivers everything once Redis is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-redis-away-'));
    let redis = await startRedisServer({ dir });
    const port = redis.port;
    const system = await startTestSystem({ redis });
    cleanups.push(() => redis.stop(), () => system.close());
    await redis.stop('SIGKILL');

    const accepted = [];
    for (let i = 0; i < 10; i++) accepted.push(await system.submit('Referral'));
    const readiness = await system.as('BG-MOI').get('/readyz');
    expect(readiness.status).toBe(200);
    expect(readiness.body.checks).toEqual({ store: 'ok', queues: 'failing' });

    redis = await startRedisServer({ dir, port });
    for (const a of accepted) await system.settle(a.id, 'BG-NCCTHB', ['acknowledged'], 30_000);
    expect((await system.as('BG-MOI').get('/readyz')).body.checks).toEqual({ store: 'ok', queues: 'ok' });
  }, 60_000);
});

describe('shutdown while Redis is down', () => {
  it('still completes, forcing the workers closed after their grace period', async () => {
    const redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'rg-down-')) });
    const system = await startTestSystem({ redis, delivery: { timeoutMs: 1000 } });
    await system.submit('Referral');
    await redis.stop('SIGKILL');
    const started = Date.now();
    await system.close();
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});

describe('Redis checks at start', () => {
  it('refuses a Redis whose maxmemory-policy could evict jobs', async () => {
    const redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'rg-evict-')) });
    cleanups.push(() => redis.stop());
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    admin.disconnect();
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    const db = await openDatabase({ url: database.url });
    cleanups.push(() => db.close());
    await migrate(db);
    const config = loadAppConfig({ validators, overrides: { port: 0, demoAgencies: false } });
    const pem = { caPem: '', certPem: '', keyPem: '' };
    await expect(startQueues(config, { db, logger: silent, redisUrl: redis.url, clientTls: pem, plan: pullOnly(config) })).rejects.toThrow(RedisRefusedError);
    await expect(startQueues(config, { db, logger: silent, redisUrl: redis.url, clientTls: pem, plan: pullOnly(config) })).rejects.toThrow(/noeviction/);
  });

  it('fails the start within its time limit, saying where, when the configured Redis cannot be reached', async () => {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    const db = await openDatabase({ url: database.url });
    cleanups.push(() => db.close());
    const config = loadAppConfig({ validators, overrides: { port: 0, demoAgencies: false } });
    const port = await freePort();
    const pem = { caPem: '', certPem: '', keyPem: '' };
    await expect(startQueues(config, { db, logger: silent, redisUrl: `redis://:s3cret@127.0.0.1:${port}`, clientTls: pem, plan: pullOnly(config), connectTimeoutMs: 1_000 }))
      .rejects.toThrow(new RegExp(`^cannot reach Redis at redis://127\\.0\\.0\\.1:${port} within 1000 ms`));
  });

  it('uses the Redis answering on the local port even when it answers slowly, and never starts a second one beside it', async () => {
    const redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'rg-slow-')) });
    cleanups.push(() => redis.stop());
    // A relay that holds every answer for 800 ms: a loaded machine's Redis.
    const slow = createServer((client) => {
      const upstream = connect(redis.port, '127.0.0.1');
      upstream.on('data', (chunk) => setTimeout(() => client.write(chunk), 800));
      client.on('data', (chunk) => upstream.write(chunk));
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => slow.close(() => resolve())));
    const localUrl = `redis://127.0.0.1:${(slow.address() as { port: number }).port}`;
    const resolved = await resolveRedis({ dataDir: mkdtempSync(join(tmpdir(), 'rg-slow-data-')), logger: silent, localUrl });
    expect(resolved).toEqual({ url: localUrl, kind: 'local' });
  });

  it('refuses to start beside something on the local Redis port that does not answer as Redis', async () => {
    const held = new Set<Socket>();
    const mute = createServer((socket) => held.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => {
      for (const socket of held) socket.destroy();
      mute.close(() => resolve());
    }));
    const localUrl = `redis://127.0.0.1:${(mute.address() as { port: number }).port}`;
    await expect(resolveRedis({ dataDir: mkdtempSync(join(tmpdir(), 'rg-mute-')), logger: silent, localUrl, probeTimeoutMs: 1_000 }))
      .rejects.toThrow(/listens at redis:\/\/127\.0\.0\.1:\d+ but did not answer as Redis within 1000 ms/);
  });

  it('says how to install Redis when redis-server is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(resolveRedis({ dataDir: mkdtempSync(join(tmpdir(), 'rg-no-redis-')), logger: silent, localUrl: 'redis://127.0.0.1:1' }))
        .rejects.toThrow(/redis-server was not found\. Install Redis 7 \(Debian\/Ubuntu: apt-get install redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('starts a private redis-server with AOF and noeviction when none is configured or answering', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rg-private-redis-'));
    const resolved = await resolveRedis({ dataDir, logger: silent, localUrl: 'redis://127.0.0.1:1' });
    cleanups.push(() => resolved.server!.stop());
    expect(resolved.server).toBeDefined();
    const client = new Redis(resolved.url);
    const info = await client.info();
    client.disconnect();
    expect(info).toMatch(/aof_enabled:1/);
    expect(info).toMatch(/maxmemory_policy:noeviction/);
  });
});
