/** Redis connections as BullMQ's production guidance asks, and the start-up checks. */
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { startRedisServer, type PrivateRedis } from './redis-server.ts';

/**
 * Producers (relay, reconciler) fail fast when Redis is down, so the outbox keeps the
 * delivery and the relay tries again; workers wait for Redis to come back
 * (`maxRetriesPerRequest: null`), as BullMQ requires for blocking connections.
 */
export function connectRedis(url: string, use: 'producer' | 'worker'): Redis {
  const options: RedisOptions = {
    ...(use === 'producer' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  };
  const sentinel = sentinelOptions(url);
  return sentinel ? new Redis({ ...sentinel, ...options }) : new Redis(url, options);
}

/**
 * `redis-sentinel://[[user]:password@]host:port[,host:port…]/<master name>`: the master
 * that Redis Sentinel names, found through the Sentinels listed (ioredis follows a failover
 * to the new master); the password is the master's. `undefined` for any other URL.
 */
export function sentinelOptions(url: string): RedisOptions | undefined {
  const match = /^redis-sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@]+)\/([^/?#]+)$/.exec(url);
  if (!match) return undefined;
  const [, user, password, hosts, name] = match;
  const sentinels = hosts!.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    return at > 0 ? { host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) } : { host: hostPort, port: 26379 };
  });
  return {
    sentinels, name: decodeURIComponent(name!),
    ...(user ? { username: decodeURIComponent(user) } : {}), ...(password ? { password: decodeURIComponent(password) } : {}),
  };
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
export async function checkRedis(client: Redis, logger: Logger): Promise<{ aof: boolean; version: string }> {
  const info = await client.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const policy = field('maxmemory_policy');
  if (policy !== 'noeviction') {
    throw new RedisRefusedError(`Redis maxmemory-policy is "${policy ?? 'unknown'}"; the gateway needs "noeviction" (set it in redis.conf) or it could lose queued deliveries.`);
  }
  const aof = field('aof_enabled') === '1';
  if (!aof) {
    logger.warn('Redis runs without AOF: after a Redis restart the reconciler re-enqueues deliveries from PostgreSQL, which takes up to one reconcile interval');
  }
  return { aof, version: field('redis_version') ?? 'unknown' };
}

/** Where the queues' Redis is, how it was chosen, and the private server to stop at shutdown, if one was started. */
export interface ResolvedRedis {
  url: string;
  /** `configured` (RG_REDIS_URL), `local` (the one answering on 127.0.0.1:6379), or `private` (started for this gateway). */
  kind: 'configured' | 'local' | 'private';
  server?: PrivateRedis;
}

/**
 * The configured URL; else the local Redis (127.0.0.1:6379) when anything listens there;
 * else a private `redis-server` under `dataDir/redis` (AOF on, noeviction). The choice
 * rests on whether the port is open, not on how fast it answers: a slow local Redis is
 * still used, and something there that never answers as Redis stops the start, rather
 * than a second Redis being started beside it.
 */
export async function resolveRedis(options: { url?: string; dataDir: string; logger: Logger; localUrl?: string; probeTimeoutMs?: number }): Promise<ResolvedRedis> {
  if (options.url) return { url: options.url, kind: 'configured' };
  const local = options.localUrl ?? 'redis://127.0.0.1:6379';
  if (await listens(local)) {
    const timeoutMs = options.probeTimeoutMs ?? 10_000;
    if (!(await answers(local, timeoutMs))) {
      throw new RedisRefusedError(`something listens at ${local} but did not answer as Redis within ${timeoutMs} ms; stop it, or name a Redis with RG_REDIS_URL`);
    }
    return { url: local, kind: 'local' };
  }
  const server = await startRedisServer({ dir: join(options.dataDir, 'redis') });
  options.logger.info({ port: server.port }, 'started a private redis-server');
  return { url: server.url, kind: 'private', server };
}

/** Whether a TCP connection to the URL's host and port is accepted (refused: nothing listens). */
function listens(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // A timeout means something holds the port without accepting promptly: not free either.
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED'));
  });
}

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs });
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
