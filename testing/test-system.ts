/** Test harness: the whole system as `npm start` composes it, on a private PostgreSQL database and a private Redis. Not used in production. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { vi } from 'vitest';
import type { Agent } from 'undici';
import type { RecipientSimulator } from '../adapters/index.ts';
import type { KeyedCertificate } from '../certs/index.ts';
import { startGateway, type RunningGateway } from '../app/start.ts';
import { clientFor, createPostgresDatabase, example, uniqueId, type TestClient } from './test-gateway.ts';
import { startRedisServer, type PrivateRedis } from '../queues/redis-server.ts';
import { deliveryQueueName } from '../queues/index.ts';

/** A running system for one test file. */
export interface TestSystem {
  running: RunningGateway;
  redis: PrivateRedis;
  databaseUrl: string;
  dataDir: string;
  /** A client presenting `participantId`'s demo certificate (or the administrator's: `gateway-admin`). */
  as(participantId: string): TestClient;
  /** The simulated `https-json` agency system of a demo participant. */
  agency(participantId: string): RecipientSimulator;
  /** `participantId`'s demo certificate and key (to sign receipts). */
  certificate(participantId: string): KeyedCertificate;
  /** Submits a fresh copy of an example; returns the acceptance. */
  submit(name: Parameters<typeof example>[0], change?: (message: any) => void): Promise<{ id: string; messageId: string; deliveries: Array<{ id: string; recipient: string }> }>;
  /** The exchange as its sender sees it. */
  track(exchangeId: string, sender: string): Promise<any>;
  /** Waits until every delivery of the exchange is in one of `statuses`. */
  settle(exchangeId: string, sender: string, statuses: string[], timeoutMs?: number): Promise<any>;
  /** Waits until the delivery queue of `participantId` holds no job waiting, delayed or running: every job was worked. */
  drained(participantId: string, timeoutMs?: number): Promise<void>;
  /** Waits until `participantId` holds a long poll of its inbox open. */
  polling(participantId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Delivery settings that keep tests fast: short backoff, quick relay. The reconciler stays
 * slow, as in production, so it cannot hide a job the normal path lost; tests of
 * recovery from Redis losing jobs turn it up themselves.
 */
export const FAST_DELIVERY = {
  backoffMs: 50, maxBackoffMs: 400, attempts: 5, timeoutMs: 3000, relayIntervalMs: 50,
  reconcileIntervalMs: 60_000, reconcileQuietMs: 10_000, lockDurationMs: 2000,
};

/** For tests where Redis loses jobs: the reconciler looks often. */
export const QUICK_RECONCILER = { reconcileIntervalMs: 300, reconcileQuietMs: 300 };

/** Starts the system; `delivery` is merged over {@link FAST_DELIVERY}. */
export async function startTestSystem(
  options: { delivery?: Record<string, unknown>; redis?: PrivateRedis; overrides?: Record<string, unknown>; logs?: Writable; dataDir?: string } = {},
): Promise<TestSystem> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rg-system-'));
  const database = await createPostgresDatabase();
  const redis = options.redis ?? (await startRedisServer({ dir: join(dataDir, 'redis') }));
  const running = await startGateway({
    ...(options.logs ? { logDestination: options.logs } : {}),
    overrides: {
      host: '127.0.0.1', port: 0, dataDir, databaseUrl: database.url, redisUrl: redis.url, logLevel: options.logs ? 'debug' : 'silent', demoAgencies: true,
      // Tests of the core drive the reference protocol's simulator; adapters' own tests ask for `native`.
      demoProtocols: 'https-json',
      delivery: { ...FAST_DELIVERY, ...options.delivery },
      ...options.overrides,
    },
  });
  const base = running.url.replace('127.0.0.1', 'localhost');
  const ca = readFileSync(join(running.devCertsDir!, 'ca.pem'), 'utf8');
  const agents: Agent[] = [];
  const certificate = (participantId: string): KeyedCertificate => {
    const dir = join(running.devCertsDir!, 'clients');
    return { certPem: readFileSync(join(dir, `${participantId}.pem`), 'utf8'), keyPem: readFileSync(join(dir, `${participantId}-key.pem`), 'utf8') };
  };
  const as = (participantId: string) => {
    const { client, agent } = clientFor(base, ca, certificate(participantId));
    agents.push(agent);
    return client;
  };
  const clients = new Map<string, TestClient>();
  const client = (id: string) => clients.get(id) ?? clients.set(id, as(id)).get(id)!;
  const track = async (exchangeId: string, sender: string) => (await client(sender).get(`/v1/exchanges/${exchangeId}`)).body;

  return {
    running, redis, databaseUrl: database.url, dataDir, as, certificate,
    agency(participantId) {
      const agency = running.agencies.get(participantId);
      if (agency?.adapter !== 'https-json') throw new RangeError(`${participantId} has no https-json demo agency`);
      return agency.system as RecipientSimulator;
    },
    async submit(name, change) {
      const message = example(name);
      message.messageId = uniqueId('msg');
      message.correlationId = uniqueId('case');
      change?.(message);
      const response = await client(message.sender).post('/v1/exchanges', message);
      if (response.status !== 202) throw new Error(`submit answered ${response.status}: ${response.text}`);
      return response.body;
    },
    track,
    async settle(exchangeId, sender, statuses, timeoutMs = 20_000) {
      let last: any;
      await vi.waitFor(
        async () => {
          last = await track(exchangeId, sender);
          if (!last.deliveries.every((d: { status: string }) => statuses.includes(d.status))) {
            throw new Error(`still ${last.deliveries.map((d: { status: string }) => d.status).join(', ')}`);
          }
        },
        { timeout: timeoutMs, interval: 50 },
      );
      return last;
    },
    async drained(participantId, timeoutMs = 20_000) {
      const queue = new Queue(deliveryQueueName(participantId), { connection: { url: redis.url }, prefix: running.config.queuePrefix });
      try {
        await vi.waitFor(async () => {
          const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
          const left = Object.values(counts).reduce((a, b) => a + b, 0);
          if (left > 0) throw new Error(`${left} jobs left for ${participantId}: ${JSON.stringify(counts)}`);
        }, { timeout: timeoutMs, interval: 50 });
      } finally {
        await queue.close();
      }
    },
    async polling(participantId) {
      const waiting = new RegExp(`^rg_inbox_polls_waiting\\{participant="${participantId}"\\} [1-9]`, 'm');
      await vi.waitFor(async () => {
        if (!waiting.test((await client(participantId).get('/metrics')).text)) throw new Error(`${participantId} holds no long poll`);
      }, { timeout: 10_000, interval: 20 });
    },
    async close() {
      // Whatever fails on the way, the private Redis and the database go too.
      try {
        await Promise.all(agents.map((a) => a.close()));
        await running.stop();
      } finally {
        if (!options.redis) await redis.stop();
        await database.drop();
      }
    },
  };
}
