import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStore, createExchangeStore } from '../gateway/store/index.ts';
import { openTestDatabase } from '../testing/test-gateway.ts';
import { createDeliveryQueue, deliveryJobKey, type DeliveryJob } from './delivery-queue.ts';
import { createReconciler } from './reconciler.ts';
import { startRedisServer, type PrivateRedis } from './redis-server.ts';

const PREFIX = 'rg-reconciler-test';

const policy = { attempts: 3, backoffMs: 100, maxBackoffMs: 1000, ttlSeconds: 3600, timeoutMs: 1000, concurrency: 1 };

describe('the reconciler', () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Redis;
  const queues = new Map<string, Queue<DeliveryJob>>();

  beforeAll(async () => {
    redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'rg-reconcile-')) });
    db = await openTestDatabase('postgresql');
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    client.disconnect();
    await db.dispose();
    await redis.stop();
  });

  it('re-creates every lost job in one pass, not only the oldest batch', async () => {
    // Twelve deliveries queued for push whose jobs never reached Redis.
    const exchanges = createExchangeStore(db);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = randomUUID();
      const deliveryId = randomUUID();
      ids.push(deliveryId);
      await exchanges.accept({
        id, sender: 'BG-MOI', messageId: `lost-${i}-${id}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000001',
        createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:1',
        deliveries: [{ id: deliveryId, recipient: 'BG-NCCTHB', expiresAt: null }], response: { id } as never, actor: 'participant:BG-MOI', auditDetails: {},
      });
    }
    const deliveries = createDeliveryStore(db);
    await deliveries.relay(100, { 'BG-NCCTHB': 'push' }, async () => {}); // queued, but no job
    const queueFor = (id: string) => queues.get(id) ?? queues.set(id, createDeliveryQueue(id, client, PREFIX)).get(id)!;
    const reconciler = createReconciler({ prefix: PREFIX,
      deliveries, redis: client, queueFor, policyOf: () => policy, intervalMs: 60_000, quietMs: 0, batchSize: 5, logger: pino({ level: 'silent' }),
    });
    try {
      expect(await reconciler.reconcile()).toBe(12);
      for (const id of ids) expect(await client.exists(deliveryJobKey(PREFIX, 'BG-NCCTHB', id))).toBe(1);
      expect(await reconciler.reconcile()).toBe(0);
    } finally {
      await reconciler.stop();
    }
  });
});
