/** The outbox relay: moves accepted deliveries from PostgreSQL onto their recipients' queues. */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Channel, DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { enqueueDeliveries, type DeliveryJob } from './delivery-queue.ts';
import { periodic } from './jobs/periodic.ts';
import { ENQUEUE_LIMIT_MS, limit } from './time-limit.ts';

/** Options for {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  deliveries: DeliveryStore;
  queueFor(participantId: string): Queue<DeliveryJob>;
  /** How each participant receives now; a participant not listed pulls. */
  channels(): Readonly<Record<string, Channel>>;
  policyOf(participantId: string): DeliveryPolicy;
  intervalMs: number;
  batchSize?: number;
  logger: Logger;
}

/** A running relay. */
export interface OutboxRelay {
  /** Run now instead of at the next interval (after an acceptance in this process). */
  nudge(): void;
  /** Resolves when the current step has finished; no step starts after. */
  stop(): Promise<void>;
}

/**
 * Runs relay steps until the outbox is empty, then waits for a nudge or the interval.
 * A step that fails (Redis down) leaves the rows in the outbox and is tried again at the
 * next interval: an accepted delivery is never lost between PostgreSQL and Redis.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batch = options.batchSize ?? 500;
  let failing = false;
  const step = () =>
    options.deliveries.relay(batch, options.channels(), (entries) =>
      limit(ENQUEUE_LIMIT_MS, 'enqueueing deliveries', enqueueDeliveries(entries, options.queueFor, options.policyOf)),
    );
  const task = periodic(
    options.intervalMs,
    async () => {
      while ((await step()) > 0) {
        /* keep going while there is work */
      }
      if (failing) options.logger.info('outbox relay recovered');
      failing = false;
    },
    (error) => {
      if (!failing) options.logger.warn({ err: error }, 'outbox relay step failed; deliveries stay in the outbox');
      failing = true;
    },
  );
  task.nudge();
  return { nudge: task.nudge, stop: task.stop };
}
