/** The reconciler: expires what outlived its time-to-live (every second), and gives every unfinished push delivery a job again when Redis lost it. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { deliveryJobKey, enqueueDeliveries, type DeliveryJob } from './delivery-queue.ts';
import { periodic } from './jobs/periodic.ts';

/** Options for {@link createReconciler}. */
export interface ReconcilerOptions {
  deliveries: DeliveryStore;
  redis: Redis;
  /** This gateway's key prefix in Redis. */
  prefix: string;
  queueFor(participantId: string): Queue<DeliveryJob>;
  policyOf(participantId: string): DeliveryPolicy;
  intervalMs: number;
  /** Deliveries changed more recently than this are left alone (their job is being worked). */
  quietMs: number;
  /** How often deliveries past their time-to-live are expired; 1 s by default. */
  expireIntervalMs?: number;
  /** Deliveries checked per Redis round trip; 1000 by default. */
  batchSize?: number;
  logger: Logger;
}

/** A running reconciler. */
export interface Reconciler {
  /** One full pass now; resolves with how many jobs were re-created. */
  reconcile(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL is the record; Redis may lose jobs (restarted empty, or the last second of
 * AOF). Every second, deliveries past their time-to-live are expired. Every interval, each
 * push delivery still to be delivered gets its job again if its key is gone. Re-adding is
 * safe: the job id is the delivery id, and the worker skips a delivery no longer deliverable.
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  const warn = (what: string) => (error: unknown) => options.logger.warn({ err: error }, what);
  const expiry = periodic(options.expireIntervalMs ?? 1000, async () => {
    const expired = await options.deliveries.expireDue();
    if (expired.length > 0) options.logger.info({ count: expired.length }, 'deliveries expired');
  }, warn('expiry sweep failed'));

  let recreated = 0;
  const pass = periodic(options.intervalMs, async () => {
    recreated = 0;
    const size = options.batchSize ?? 1000;
    // A full scan, page by page: a job may be missing anywhere, not only among the oldest.
    for (let after: string | undefined; ; ) {
      const batch = await options.deliveries.unfinishedPush(options.quietMs, size, after);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      const pipeline = options.redis.pipeline();
      for (const d of batch) pipeline.exists(deliveryJobKey(options.prefix, d.recipient, d.id));
      const exists = (await pipeline.exec()) ?? [];
      const missing = batch.filter((_d, i) => exists[i]?.[1] === 0);
      await enqueueDeliveries(missing.map((d) => ({ deliveryId: d.id, recipient: d.recipient })), options.queueFor, options.policyOf);
      recreated += missing.length;
      if (batch.length < size) break;
    }
    if (recreated > 0) options.logger.warn({ count: recreated }, 'reconciler re-created delivery jobs Redis had lost');
  }, warn('reconcile pass failed'));

  return {
    async reconcile() {
      await pass.run();
      return recreated;
    },
    async stop() {
      await Promise.all([pass.stop(), expiry.stop()]);
    },
  };
}
