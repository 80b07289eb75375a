/** Webhook notifications: status events of what a participant sent, POSTed to its webhooks with the delivery retry machinery. */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createJsonPoster, PermanentDeliveryError, TransientDeliveryError, type ClientTls, type JsonPoster } from '../adapters/index.ts';
import type { DeliveryPolicy, WebhookStore } from '../gateway/index.ts';
import { backoffDelay } from './delivery-queue.ts';
import { ENQUEUE_LIMIT_MS, limit } from './time-limit.ts';

/** What a notification job carries: two ids. */
export interface WebhookJob {
  eventId: string;
  webhookId: string;
}

export const WEBHOOK_QUEUE = 'webhooks';

/** The producer side. */
export function createWebhookQueue(connection: Redis, prefix: string): Queue<WebhookJob> {
  return new Queue<WebhookJob>(WEBHOOK_QUEUE, { connection, prefix });
}

/** One dispatch step: new status events become notification jobs. */
export function dispatchWebhooks(webhooks: WebhookStore, queue: Queue<WebhookJob>, policy: DeliveryPolicy): Promise<number> {
  return webhooks.dispatch(1000, async (jobs) => {
    if (jobs.length === 0) return;
    await limit(ENQUEUE_LIMIT_MS, 'enqueueing webhook notifications', queue.addBulk(jobs.map(({ event, webhookId }) => ({
      name: 'notify',
      data: { eventId: event.eventId, webhookId },
      opts: { jobId: `${event.eventId}-${webhookId}`, attempts: policy.attempts, backoff: { type: 'gateway' }, removeOnComplete: true, removeOnFail: true },
    }))));
  });
}

/** Options for {@link createWebhookWorker}. */
export interface WebhookWorkerOptions {
  webhooks: WebhookStore;
  connection: Redis;
  /** This gateway's key prefix in Redis. */
  prefix: string;
  tls: ClientTls;
  policy: DeliveryPolicy;
  logger: Logger;
}

/** The worker that POSTs notifications. */
export function createWebhookWorker(options: WebhookWorkerOptions): { worker: Worker<WebhookJob>; close(force?: boolean): Promise<void> } {
  const posters = new Map<string, JsonPoster>();
  const posterFor = (url: string) => {
    let poster = posters.get(url);
    if (!poster) posters.set(url, (poster = createJsonPoster(url, options.tls, options.policy.timeoutMs)));
    return poster;
  };
  const processor = async (job: Job<WebhookJob>): Promise<string> => {
    const [webhook, event] = await Promise.all([options.webhooks.get(job.data.webhookId), options.webhooks.event(job.data.eventId)]);
    if (!webhook || !event) return 'skipped';
    const { sender: _sender, ...body } = event;
    try {
      await posterFor(webhook.url).post({ body: JSON.stringify(body), headers: { 'referral-event-id': event.eventId }, signal: AbortSignal.timeout(options.policy.timeoutMs) });
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnrecoverableError(error.code);
      throw error;
    }
    return 'notified';
  };
  const worker = new Worker<WebhookJob>(WEBHOOK_QUEUE, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 8,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        backoffDelay(attemptsMade, options.policy, error instanceof TransientDeliveryError ? error.retryAfterMs : undefined),
    },
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'webhook worker error'));
  return {
    worker,
    async close(force = false) {
      await worker.close(force);
      await Promise.all([...posters.values()].map((p) => p.close()));
    },
  };
}
