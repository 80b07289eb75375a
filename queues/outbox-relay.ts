/** The outbox relay: moves accepted deliveries from PostgreSQL onto their recipients' queues. */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Channel, DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { enqueueDeliveries, type DeliveryJob } from './delivery-queue.ts';
import { limit } from './time-limit.ts';

/** An enqueue that takes longer fails the step; the rows are claimed again. */
const ENQUEUE_LIMIT_MS = 10_000;

/** Options for {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  deliveries: DeliveryStore;
  queueFor(participantId: string): Queue<DeliveryJob>;
  /** How each participant receives. */
  channels: Readonly<Record<string, Channel>>;
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
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let failing = false;

  const step = () =>
    options.deliveries.relay(batch, options.channels, (entries) =>
      limit(ENQUEUE_LIMIT_MS, 'enqueueing deliveries', enqueueDeliveries(entries, options.queueFor, options.policyOf)),
    );

  const run = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await step()) > 0) {
          /* keep going while there is work */
        }
        if (failing) options.logger.info('outbox relay recovered');
        failing = false;
      } catch (error) {
        if (!failing) options.logger.warn({ err: error }, 'outbox relay step failed; deliveries stay in the outbox');
        failing = true;
      }
    } while (again && !stopped);
  };

  const nudge = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => (running = undefined));
  };
  const timer = setInterval(nudge, options.intervalMs);
  nudge();

  return {
    nudge,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
