/** Webhook notifications: status events of what a participant sent, POSTed to its webhooks with the delivery retry machinery. */
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createJsonPoster, PermanentDeliveryError, TransientDeliveryError, type ClientTls, type JsonPoster } from '../adapters/index.ts';
import { addressAllowed, alertLink, WEBHOOK_SUSPEND_AFTER, type DeliveryPolicy, type WebhookAllowList, type WebhookStore } from '../gateway/index.ts';
import { backoffDelay } from './delivery-queue.ts';
import { ENQUEUE_LIMIT_MS, limit } from './time-limit.ts';

/** What a notification job carries: two ids — a status event's or an alert's, and the webhook's. */
export type WebhookJob = { eventId: string; webhookId: string } | { alertId: string; webhookId: string };

export const WEBHOOK_QUEUE = 'webhooks';

/** The producer side. */
export function createWebhookQueue(connection: Redis, prefix: string): Queue<WebhookJob> {
  return new Queue<WebhookJob>(WEBHOOK_QUEUE, { connection, prefix });
}

/** One dispatch step: new status events and new alerts become notification jobs. */
export async function dispatchWebhooks(webhooks: WebhookStore, queue: Queue<WebhookJob>, policy: DeliveryPolicy): Promise<number> {
  const opts = (jobId: string) => ({ jobId, attempts: policy.attempts, backoff: { type: 'gateway' }, removeOnComplete: true, removeOnFail: true });
  const events = await webhooks.dispatch(1000, async (jobs) => {
    if (jobs.length === 0) return;
    await limit(ENQUEUE_LIMIT_MS, 'enqueueing webhook notifications', queue.addBulk(jobs.map(({ event, webhookId }) => ({
      name: 'notify', data: { eventId: event.eventId, webhookId }, opts: opts(`${event.eventId}-${webhookId}`),
    }))));
  });
  const alerts = await webhooks.dispatchAlerts(1000, async (jobs) => {
    if (jobs.length === 0) return;
    await limit(ENQUEUE_LIMIT_MS, 'enqueueing alert notifications', queue.addBulk(jobs.map(({ alertId, webhookId }) => ({
      name: 'alert', data: { alertId, webhookId }, opts: opts(`alert-${alertId}-${webhookId}`),
    }))));
  });
  return events + alerts;
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
  /** Non-public destinations an operator allowed, per participant; every other non-public address is refused at connect. */
  allow: WebhookAllowList;
  /** The console's URL, for the link in an alert's notification. */
  consoleUrl: string;
}

/** The worker that POSTs notifications. */
export function createWebhookWorker(options: WebhookWorkerOptions): { worker: Worker<WebhookJob>; close(force?: boolean): Promise<void> } {
  const posters = new Map<string, JsonPoster>();
  const posterFor = (url: string, participant: string) => {
    const key = `${participant} ${url}`;
    let poster = posters.get(key);
    // The address is checked where the connection is made, so a name that resolves elsewhere later (DNS rebinding) gains nothing.
    if (!poster) posters.set(key, (poster = createJsonPoster(url, options.tls, options.policy.timeoutMs, { lookup: guardedLookup(participant, options.allow) })));
    return poster;
  };
  const processor = async (job: Job<WebhookJob>): Promise<string> => {
    const data = job.data;
    const [webhook, notification] = await Promise.all([
      options.webhooks.get(data.webhookId),
      'alertId' in data ? options.webhooks.alert(data.alertId) : options.webhooks.event(data.eventId),
    ]);
    if (!webhook || !notification || webhook.suspendedAt) return 'skipped';
    const forGood = async () => {
      if (await options.webhooks.failedForGood(webhook.id)) {
        options.logger.warn({ webhookId: webhook.id, participant: webhook.participant, failures: WEBHOOK_SUSPEND_AFTER }, 'webhook suspended: its notifications keep failing; register it again to resume');
      }
    };
    // A status event goes to its exchange's sender (not named in it); an alert to its participant, with a link to the case.
    const { body, id } = 'alertId' in notification
      ? { body: { ...notification, link: alertLink(notification, options.consoleUrl) }, id: `alert-${notification.alertId}` }
      : (({ sender: _sender, ...rest }) => ({ body: rest, id: rest.eventId }))(notification);
    const host = new URL(webhook.url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !addressAllowed(host, host, webhook.participant, options.allow)) {
      options.logger.warn({ webhookId: webhook.id, participant: webhook.participant }, 'webhook address not public and not allowed; not notified');
      await forGood();
      throw new UnrecoverableError('WEBHOOK_ADDRESS_REFUSED');
    }
    try {
      await posterFor(webhook.url, webhook.participant).post({ body: JSON.stringify(body), headers: { 'referral-event-id': id }, signal: AbortSignal.timeout(options.policy.timeoutMs) });
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await forGood();
      if (permanent) throw new UnrecoverableError(error.code);
      throw error;
    }
    await options.webhooks.notified(webhook.id);
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

/** How {@link guardedLookup} resolves a name: every address, as `dns.lookup` with `all` gives them. */
export type WebhookResolver = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: Array<{ address: string; family: number }>) => void) => void;

const resolveAll: WebhookResolver = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * A DNS lookup that answers only with addresses the participant's webhooks may reach. It runs
 * for every connection, so a name that resolved to a public address at registration and
 * resolves to a private one later (DNS rebinding) is refused then, and the connection goes to
 * the address checked, not to one resolved again.
 */
export function guardedLookup(participant: string, allow: WebhookAllowList, resolve: WebhookResolver = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((a) => addressAllowed(a.address, hostname, participant, allow));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves only to addresses that are not public`), { code: 'WEBHOOK_ADDRESS_REFUSED' });
        return callback(refused, '', 0);
      }
      // Node asks for every address when it races address families (`all`), else for one.
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
