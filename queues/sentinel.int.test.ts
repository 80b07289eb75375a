/**
 * Redis through Sentinel: the gateway finds the master by asking a real Sentinel
 * (`redis-sentinel://…/mymaster`), delivers through it, and when the master dies and the
 * Sentinel promotes the replica, follows it and delivers what comes next.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { freePort, startRedisServer, type PrivateRedis } from './redis-server.ts';
import { sentinelOptions } from './redis.ts';

describe('Redis through Sentinel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rg-sentinel-'));
  let master: PrivateRedis;
  let replica: PrivateRedis;
  let sentinel: ChildProcess;
  let sentinelPort: number;
  let system: TestSystem;
  const masterPort = async () => {
    const client = new Redis({ port: sentinelPort, maxRetriesPerRequest: 1 });
    try {
      return Number((await client.call('SENTINEL', 'get-master-addr-by-name', 'mymaster') as string[])[1]);
    } finally {
      client.disconnect();
    }
  };

  beforeAll(async () => {
    master = await startRedisServer({ dir: join(dir, 'master') });
    replica = await startRedisServer({ dir: join(dir, 'replica') });
    const toReplica = new Redis(replica.url);
    await toReplica.call('REPLICAOF', '127.0.0.1', String(master.port));
    toReplica.disconnect();
    sentinelPort = await freePort();
    const config = join(dir, 'sentinel.conf');
    writeFileSync(config, [
      `port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 1`,
      'sentinel down-after-milliseconds mymaster 1000', 'sentinel failover-timeout mymaster 10000', '',
    ].join('\n'));
    sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
    await vi.waitFor(async () => expect(await masterPort()).toBe(master.port), { timeout: 15_000, interval: 100 });
    system = await startTestSystem({ redis: master, overrides: { redisUrl: `redis-sentinel://127.0.0.1:${sentinelPort}/mymaster` } });
  }, 60_000);
  afterAll(async () => {
    await system?.close();
    sentinel?.kill();
    await replica?.stop();
    await master?.stop();
  });

  it('reads the Sentinel URL: hosts, master name, password', () => {
    expect(sentinelOptions('redis-sentinel://:s3cret@10.0.0.1:26379,10.0.0.2/mymaster')).toEqual({
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }], name: 'mymaster', password: 's3cret',
    });
    expect(sentinelOptions('redis://127.0.0.1:6379')).toBeUndefined();
  });

  it('delivers through the master the Sentinel names, and through the replica it promotes when the master dies', async () => {
    const first = await system.submit('Referral');
    await system.settle(first.id, 'BG-NCCTHB', ['acknowledged']);

    await master.stop('SIGKILL');
    await vi.waitFor(async () => expect(await masterPort()).toBe(replica.port), { timeout: 30_000, interval: 200 });
    const second = await system.submit('Referral');
    await system.settle(second.id, 'BG-NCCTHB', ['acknowledged'], 45_000);
  }, 90_000);
});
