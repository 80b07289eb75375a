/** Redis connections as BullMQ's production guidance asks, and the start-up checks. */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startRedisServer, type PrivateRedis } from './redis-server.ts';

/**
 * Producers (relay, reconciler) fail fast when Redis is down, so the outbox keeps the
 * delivery and the relay tries again; workers wait for Redis to come back
 * (`maxRetriesPerRequest: null`), as BullMQ requires for blocking connections.
 */
export function connectRedis(url: string, use: 'producer' | 'worker'): Redis {
  return new Redis(url, {
    ...(use === 'producer' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
}

/** Redis could not be used; the message says what to do. */
export class RedisRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisRefusedError';
  }
}

/**
 * BullMQ loses jobs when Redis evicts keys: any `maxmemory-policy` but `noeviction` is
 * refused. Read from INFO, which managed services allow where CONFIG is disabled.
 */
export async function checkRedis(client: Redis, logger: Logger): Promise<void> {
  const info = await client.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const policy = field('maxmemory_policy');
  if (policy !== 'noeviction') {
    throw new RedisRefusedError(`Redis maxmemory-policy is "${policy ?? 'unknown'}"; the gateway needs "noeviction" (set it in redis.conf) or it could lose queued deliveries.`);
  }
  if (field('aof_enabled') !== '1') {
    logger.warn('Redis runs without AOF: after a Redis restart the reconciler re-enqueues deliveries from PostgreSQL, which takes up to one reconcile interval');
  }
}

/** Where the queues' Redis is, and the private server to stop at shutdown, if one was started. */
export interface ResolvedRedis {
  url: string;
  server?: PrivateRedis;
}

/**
 * The configured URL; else 127.0.0.1:6379 if a Redis answers there; else a private
 * `redis-server` under `dataDir/redis` (AOF on, noeviction).
 */
export async function resolveRedis(options: { url?: string; dataDir: string; logger: Logger; localUrl?: string }): Promise<ResolvedRedis> {
  if (options.url) return { url: options.url };
  const local = options.localUrl ?? 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local };
  const server = await startRedisServer({ dir: join(options.dataDir, 'redis') });
  options.logger.info({ port: server.port }, 'started a private redis-server');
  return { url: server.url, server };
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
