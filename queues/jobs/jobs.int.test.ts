/** Periodic jobs: run by the queue registry in relay processes only, again after a failure, never after the stop. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAppConfig } from '../../app/config.ts';
import { captureLogs, openTestDatabase, pullOnly, validators } from '../../testing/test-gateway.ts';
import { startQueues, trustMaintenance } from '../index.ts';
import { startRedisServer, type PrivateRedis } from '../redis-server.ts';

describe('periodic jobs', () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'rg-jobs-')) });
    db = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await db?.dispose();
    await redis?.stop();
  });
  const pem = { caPem: '', certPem: '', keyPem: '' };
  const start = (roles: string[], jobs: Parameters<typeof startQueues>[1]['jobs'], logs = captureLogs()) => {
    const config = loadAppConfig({ validators, env: {}, overrides: { port: 0, demoAgencies: false, roles } });
    return startQueues(config, { db, logger: pino({ level: 'info' }, logs.stream), redisUrl: redis.url, clientTls: pem, plan: pullOnly(config), jobs });
  };

  it('runs each job every interval in a relay process, keeps going after a failing run, and runs none after the stop', async () => {
    let runs = 0;
    const logs = captureLogs();
    const queues = await start(['relay'], [{ name: 'flaky', intervalMs: 20, run: async () => {
      runs++;
      if (runs === 2) throw new Error('the store went away for a moment');
    } }], logs);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(4), { timeout: 5_000, interval: 10 });
    await queues.stop();
    const stoppedAt = runs;
    expect(logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'periodic job failed')).toEqual([expect.objectContaining({ job: 'flaky', level: 50 })]);
    expect(logs.lines.some((l) => JSON.parse(l).msg === 'queues started' && JSON.parse(l).jobs.includes('flaky'))).toBe(true);
    // Another interval's worth of waiting on a condition that must stay false: the next job run would be due.
    await expect(vi.waitFor(() => expect(runs).toBeGreaterThan(stoppedAt), { timeout: 200, interval: 10 })).rejects.toThrow();
  });

  it('runs no job in a process without the relay role', async () => {
    let runs = 0;
    const queues = await start(['api', 'worker'], [{ name: 'counting', intervalMs: 10, run: async () => void runs++ }]);
    await expect(vi.waitFor(() => expect(runs).toBeGreaterThan(0), { timeout: 200, interval: 10 })).rejects.toThrow();
    await queues.stop();
  });

  it('makes trust maintenance an hourly job over the trust service', async () => {
    const maintain = vi.fn(async () => {});
    const job = trustMaintenance({ maintain });
    expect(job).toMatchObject({ name: 'trust maintenance', intervalMs: 3_600_000 });
    await job.run();
    expect(maintain).toHaveBeenCalledOnce();
  });
});
