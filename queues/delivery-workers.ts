/**
 * The delivery workers of a process, kept in step with the participant registry: a worker
 * (and its adapter) for every participant pushed to; rebuilt when its adapter, endpoint,
 * settings or policy change; paused while the participant is suspended (its deliveries wait
 * in the queue) and resumed when it is reinstated; stopped when it no longer is pushed to.
 * A replaced worker finishes the attempts it holds; the next delivery uses the new settings.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Adapter } from '../adapters/index.ts';
import type { DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { createDeliveryWorker, type DeliveryJob, type ReceiptCheck } from './delivery-queue.ts';
import { within } from './time-limit.ts';

/** How one participant is pushed to. */
export interface PushSpec {
  adapter: string;
  endpoint: string;
  settings: Record<string, unknown>;
  policy: DeliveryPolicy;
}

/** How each participant receives now, and when that changes. */
export interface DeliveryPlan {
  /** The participants pushed to, with how; every other participant pulls. */
  pushed(): ReadonlyMap<string, PushSpec>;
  isSuspended(participantId: string): boolean;
  policyOf(participantId: string): DeliveryPolicy;
  /** Calls `listener` whenever the plan may have changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** Options for {@link createDeliveryWorkers}. */
export interface DeliveryWorkersOptions {
  plan: DeliveryPlan;
  /** Builds the adapter pushing to `participantId` as `spec` says (not started). */
  buildAdapter(participantId: string, spec: PushSpec): Adapter;
  deliveries: DeliveryStore;
  connection: Redis;
  prefix: string;
  lockDurationMs: number;
  /** How long a replaced worker may take to finish its attempts before it is closed by force. */
  graceMs: number;
  logger: Logger;
  onDelivered?: (recipient: string, seconds: number) => void;
  /** Checks receipts that recipients' systems answer deliveries with. */
  checkReceipt?: ReceiptCheck;
}

/** The running workers. */
export interface DeliveryWorkers {
  /** The adapter pushing to `participantId` now, if any. */
  adapter(participantId: string): Adapter | undefined;
  /** How many workers run. */
  count(): number;
  /** Whether the worker of `participantId` is paused (the participant is suspended). */
  paused(participantId: string): boolean;
  /** Brings the workers in step with the plan (also run on every change of the plan). */
  sync(): Promise<void>;
  /** Stops every worker (finishing in-flight attempts within the grace), then its adapter. */
  close(): Promise<void>;
}

interface Running {
  key: string;
  adapter: Adapter;
  worker: Worker<DeliveryJob>;
  paused: boolean;
}

/** Starts nothing until {@link DeliveryWorkers.sync}. */
export function createDeliveryWorkers(options: DeliveryWorkersOptions): DeliveryWorkers {
  const { plan, logger } = options;
  const running = new Map<string, Running>();
  let syncing: Promise<void> = Promise.resolve();
  let closed = false;

  const stop = async (id: string, entry: Running) => {
    running.delete(id);
    // With Redis gone a close can wait forever: in-flight attempts get the grace, then the worker is closed by force.
    if (!(await within(options.graceMs, entry.worker.close()))) {
      logger.warn({ participant: id, graceMs: options.graceMs }, 'delivery worker did not finish in time; closing it by force');
      await within(2_000, entry.worker.close(true));
    }
    await entry.adapter.close();
  };

  const step = async () => {
    if (closed) return;
    const wanted = plan.pushed();
    for (const [id, entry] of [...running]) {
      const spec = wanted.get(id);
      if (!spec || keyOf(spec) !== entry.key) {
        await stop(id, entry);
        logger.info({ participant: id, adapter: spec?.adapter ?? 'none' }, spec ? 'delivery settings changed: worker rebuilt' : 'participant no longer pushed to: worker stopped');
      }
    }
    for (const [id, spec] of wanted) {
      if (running.has(id)) continue;
      try {
        const adapter = options.buildAdapter(id, spec);
        await adapter.start?.();
        const worker = createDeliveryWorker({
          participantId: id, adapter, policy: spec.policy, deliveries: options.deliveries, connection: options.connection,
          prefix: options.prefix, lockDurationMs: options.lockDurationMs, logger, held: () => plan.isSuspended(id),
          ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
          ...(options.checkReceipt ? { checkReceipt: options.checkReceipt } : {}),
        });
        running.set(id, { key: keyOf(spec), adapter, worker, paused: false });
      } catch (error) {
        // One participant's adapter failing to start (its intake port taken) leaves the others working.
        logger.error({ err: error, participant: id, adapter: spec.adapter }, 'starting a delivery worker failed; its deliveries wait');
      }
    }
    for (const [id, entry] of running) {
      const suspended = plan.isSuspended(id);
      if (suspended && !entry.paused) {
        await entry.worker.pause(true);
        entry.paused = true;
        logger.info({ participant: id }, 'participant suspended: its deliveries wait');
      } else if (!suspended && entry.paused) {
        entry.paused = false;
        entry.worker.resume();
        logger.info({ participant: id }, 'participant reinstated: its deliveries resume');
      }
    }
  };
  // One step at a time, in order; a failed step does not stop the next.
  const sync = () => (syncing = syncing.then(step, step).catch((error: unknown) => logger.error({ err: error }, 'bringing delivery workers in step failed')));
  const unsubscribe = plan.onChange(() => void sync());

  return {
    adapter: (id) => running.get(id)?.adapter,
    count: () => running.size,
    paused: (id) => running.get(id)?.paused ?? false,
    sync,
    async close() {
      unsubscribe();
      closed = true;
      await within(options.graceMs, syncing);
      await Promise.all([...running].map(([id, entry]) => stop(id, entry)));
    },
  };
}

/** What, when it changes, makes a new worker. */
const keyOf = (spec: PushSpec) => JSON.stringify([spec.adapter, spec.endpoint, spec.settings, spec.policy]);
