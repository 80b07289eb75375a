/** The reconciler: expires what outlived its time-to-live (every second), and gives every unfinished push delivery a job again when Redis lost it. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { deliveryJobKey, enqueueDeliveries, type DeliveryJob } from './delivery-queue.ts';

/** Options for {@link createReconciler}. */
export interface ReconcilerOptions {
  deliveries: DeliveryStore;
  redis: Redis;
  queueFor(participantId: string): Queue<DeliveryJob>;
  policyOf(participantId: string): DeliveryPolicy;
  intervalMs: number;
  /** Deliveries changed more recently than this are left alone (their job is being worked). */
  quietMs: number;
  /** How often deliveries past their time-to-live are expired; 1 s by default. */
  expireIntervalMs?: number;
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
 * AOF). Each pass: expire deliveries past their time-to-live, then for every push
 * delivery still to be delivered, re-add its job if its key is gone. Re-adding is safe:
 * the job id is the delivery id, and the worker skips a delivery no longer deliverable.
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  let stopped = false;
  let running: Promise<number> | undefined;

  const expire = async () => {
    const expired = await options.deliveries.expireDue();
    if (expired.length > 0) options.logger.info({ count: expired.length }, 'deliveries expired');
  };
  let expiring: Promise<void> | undefined;
  const expiryTimer = setInterval(() => {
    if (stopped) return;
    expiring ??= expire()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'expiry sweep failed'))
      .finally(() => (expiring = undefined));
  }, options.expireIntervalMs ?? 1000);

  const pass = async (): Promise<number> => {
    await expire();
    let recreated = 0;
    for (;;) {
      const batch = await options.deliveries.unfinishedPush(options.quietMs, 1000);
      if (batch.length === 0) break;
      const pipeline = options.redis.pipeline();
      for (const d of batch) pipeline.exists(deliveryJobKey(d.recipient, d.id));
      const exists = (await pipeline.exec()) ?? [];
      const missing = batch.filter((_d, i) => exists[i]?.[1] === 0);
      await enqueueDeliveries(missing.map((d) => ({ deliveryId: d.id, recipient: d.recipient })), options.queueFor, options.policyOf);
      recreated += missing.length;
      // unfinishedPush returns the oldest first; a full batch with nothing missing means the rest have jobs too.
      if (batch.length < 1000 || missing.length === 0) break;
    }
    if (recreated > 0) options.logger.warn({ count: recreated }, 'reconciler re-created delivery jobs Redis had lost');
    return recreated;
  };

  const reconcile = () => {
    running ??= pass().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) reconcile().catch((error: unknown) => options.logger.warn({ err: error }, 'reconcile pass failed'));
  }, options.intervalMs);

  return {
    reconcile,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(expiryTimer);
      await running?.catch(() => 0);
      await expiring;
    },
  };
}
