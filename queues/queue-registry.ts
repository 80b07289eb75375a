/** Starts the queue machinery a process's roles call for, and stops it in order: relay, workers (finishing in-flight deliveries), queues, connections. */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Adapter, ClientTls } from '../adapters/index.ts';
import {
  createDeliveryStore,
  consoleUrlOf,
  createWebhookStore,
  type Channel,
  type Config,
  type Database,
  type Peers,
} from '../gateway/index.ts';
import type { JwsSigner } from '../certs/index.ts';
import { createPeerReceiptForwarder } from './peer-receipts.ts';
import { createDeliveryQueue, type DeliveryJob, type ReceiptCheck } from './delivery-queue.ts';
import { createDeliveryWorkers, type DeliveryPlan, type DeliveryWorkers, type PushSpec } from './delivery-workers.ts';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.ts';
import { createReconciler, type Reconciler } from './reconciler.ts';
import { checkRedis, connectRedis } from './redis.ts';
import { periodic, type PeriodicJob } from './jobs/periodic.ts';
import { limit, within } from './time-limit.ts';
import { createWebhookQueue, createWebhookWorker, dispatchWebhooks } from './webhook-queue.ts';

/** What the queues need: built once by the app and passed in; the registry only starts and stops. */
export interface QueueDeps {
  db: Database;
  logger: Logger;
  redisUrl: string;
  /** The gateway's client certificate, for webhooks and receipts to peer gateways. */
  clientTls: ClientTls;
  /** How each participant receives now (the participant registry, with the demo's simulated agencies over it), and when that changes. */
  plan: DeliveryPlan;
  /**
   * Builds the adapter pushing to a participant (role `worker`). The workers start each
   * (`start()`: its intake) before its worker and close it after; rebuilt when the
   * participant's delivery settings change.
   */
  buildAdapter?(participantId: string, spec: PushSpec): Adapter;
  /** Gateways abroad, and the seal key that signs receipts back to them. */
  peers?: { peers: Peers; sealer: JwsSigner };
  /** How long to wait for Redis at start before giving up with a clear message (default 10 s). */
  connectTimeoutMs?: number;
  /** Periodic work for the `relay` role (trust maintenance today), each run one at a time. */
  jobs?: readonly PeriodicJob[];
  /** A delivery was made, `seconds` after its job was queued (metrics). */
  onDelivered?: (recipient: string, seconds: number) => void;
  /** Checks a receipt a recipient's system answered a delivery with, as `POST /v1/receipts` checks one (role `worker`). */
  checkReceipt?: ReceiptCheck;
}

/** The running queue machinery. */
export interface QueueSystem {
  /** Makes the relay look at the outbox now. */
  nudge(): void;
  /** Resolves while Redis answers. */
  ready(): Promise<void>;
  /** One reconciler pass now (tests and operators). */
  reconcile(): Promise<number>;
  /** The adapter pushing to `participantId` in this process now, if any. */
  adapter(participantId: string): Adapter | undefined;
  /** Whether this process's worker for `participantId` holds its deliveries (the participant is suspended). */
  holding(participantId: string): boolean;
  /** Jobs waiting, delayed or running in each recipient queue this process has used (metrics). */
  depths(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Redis could not be reached at start; says where (without credentials) and why. */
export class RedisUnreachableError extends Error {
  constructor(url: string, timeoutMs: number, cause: unknown) {
    super(`cannot reach Redis at ${redactUrl(url)} within ${timeoutMs} ms (${(cause as Error | undefined)?.message ?? 'no answer'}); check RG_REDIS_URL and that Redis runs`);
    this.name = 'RedisUnreachableError';
  }
}

/** Starts relay and reconciler (role `relay`) and workers (role `worker`); whatever started is stopped again if a later step fails. */
export async function startQueues(config: Config, deps: QueueDeps): Promise<QueueSystem> {
  const { logger } = deps;
  const prefix = config.queuePrefix;
  const stops: Array<() => Promise<unknown>> = [];
  const stopStarted = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping a queue part failed'));
  };
  try {
    const producer = await connectAtStart(deps.redisUrl, deps.connectTimeoutMs ?? 10_000);
    stops.push(async () => {
      await within(1_000, producer.quit()).catch(() => false);
      producer.disconnect();
    });
    const redisFacts = await checkRedis(producer, logger);
    logger.info({ redis: redactUrl(deps.redisUrl), ...redisFacts, prefix }, 'queues use this Redis');
    const workerConnection = config.roles.includes('worker') ? connectRedis(deps.redisUrl, 'worker') : undefined;
    if (workerConnection) {
      workerConnection.on('error', () => {});
      stops.push(async () => {
        await within(1_000, workerConnection.quit()).catch(() => false);
        workerConnection.disconnect();
      });
    }

    const deliveries = createDeliveryStore(deps.db);
    const webhooks = createWebhookStore(deps.db);
    const policyOf = (id: string) => deps.plan.policyOf(id);
    const queues = new Map<string, Queue<DeliveryJob>>();
    const queueFor = (id: string) => {
      let queue = queues.get(id);
      if (!queue) queues.set(id, (queue = createDeliveryQueue(id, producer, prefix)));
      return queue;
    };
    const webhookQueue = createWebhookQueue(producer, prefix);
    stops.push(() => within(2_000, Promise.all([...queues.values(), webhookQueue].map((q) => q.close()))));

    // Workers stop after the producers and before the queues (stops run in reverse).
    const workers: Array<{ close(force?: boolean): Promise<void> }> = [];
    const grace = config.delivery.timeoutMs + 2_000;
    let pool: DeliveryWorkers | undefined;
    stops.push(async () => {
      // In-flight deliveries get as long as one attempt may take, then are closed by force;
      // the delivery workers (and their adapters) and the webhook worker together.
      const webhookWorkers = async () => {
        if (!(await within(grace, Promise.all(workers.map((w) => w.close()))))) {
          logger.warn({ graceMs: grace }, 'workers did not finish in time; closing them by force');
          await within(2_000, Promise.all(workers.map((w) => w.close(true))));
        }
      };
      await Promise.all([webhookWorkers(), pool?.close()]);
    });
    if (workerConnection) {
      if (deps.buildAdapter) {
        pool = createDeliveryWorkers({
          plan: deps.plan, buildAdapter: deps.buildAdapter, deliveries, connection: workerConnection, prefix,
          lockDurationMs: config.delivery.lockDurationMs, graceMs: grace, logger, ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}),
          ...(deps.checkReceipt ? { checkReceipt: deps.checkReceipt } : {}),
        });
        await pool.sync();
      }
      workers.push(createWebhookWorker({ webhooks, connection: workerConnection, prefix, tls: deps.clientTls, policy: config.delivery, logger, allow: config.webhooks.allowPrivate, consoleUrl: consoleUrlOf(config) }));
    }

    let relay: OutboxRelay | undefined;
    let reconciler: Reconciler | undefined;
    if (config.roles.includes('relay')) {
      // Every stage is bounded: with Redis gone, BullMQ would wait for it forever. What is
      // cut short is safe: outbox rows stay for the next relay, stalled jobs are redone.
      const channels = () => Object.fromEntries([...deps.plan.pushed().keys()].map((id) => [id, 'push' as Channel]));
      const started = relay = createOutboxRelay({ deliveries, queueFor, channels, policyOf, intervalMs: config.delivery.relayIntervalMs, logger });
      stops.push(() => within(grace, started.stop()));
      const reconciling = reconciler = createReconciler({
        deliveries, redis: producer, prefix, queueFor, policyOf, intervalMs: config.delivery.reconcileIntervalMs, quietMs: config.delivery.reconcileQuietMs, logger,
      });
      stops.push(() => within(grace, reconciling.stop()));
      const dispatcher = periodic(
        config.delivery.relayIntervalMs,
        () => dispatchWebhooks(webhooks, webhookQueue, config.delivery),
        (error) => logger.warn({ err: error }, 'webhook dispatch failed'),
      );
      stops.push(() => within(grace, dispatcher.stop()));
      if (deps.peers && deps.peers.peers.list.length > 0) {
        const forwarder = createPeerReceiptForwarder({ deliveries, peers: deps.peers.peers, sealer: deps.peers.sealer, clientTls: deps.clientTls, logger });
        const task = periodic(config.delivery.relayIntervalMs * 5, () => forwarder.forward(), (error) => logger.warn({ err: error }, 'receipts to peers failed'));
        stops.push(async () => {
          await within(grace, task.stop());
          await forwarder.close();
        });
      }
      for (const job of deps.jobs ?? []) {
        const task = periodic(job.intervalMs, () => job.run(), (error) => logger.error({ err: error, job: job.name }, 'periodic job failed'));
        stops.push(() => within(grace, task.stop()));
      }
    }
    logger.info({ roles: config.roles, workers: workers.length + (pool?.count() ?? 0), jobs: (deps.jobs ?? []).map((j) => j.name) }, 'queues started');

    return {
      nudge: () => relay?.nudge(),
      async ready() {
        if ((await producer.ping()) !== 'PONG') throw new Error('Redis did not answer PING');
      },
      reconcile: () => reconciler?.reconcile() ?? Promise.resolve(0),
      adapter: (id) => pool?.adapter(id),
      holding: (id) => pool?.paused(id) ?? false,
      async depths() {
        const entries = await Promise.all([...queues].map(async ([id, queue]) => {
          const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
          return [id, Object.values(counts).reduce((a, b) => a + b, 0)] as const;
        }));
        return Object.fromEntries(entries);
      },
      stop: stopStarted,
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/** A producer connection that is ready, or a {@link RedisUnreachableError} after `timeoutMs`: never a silent wait. */
async function connectAtStart(url: string, timeoutMs: number): Promise<Redis> {
  const producer = connectRedis(url, 'producer');
  let lastError: unknown;
  producer.on('error', (error) => (lastError = error)); // reported by the steps that fail
  try {
    await limit(timeoutMs, 'connecting to Redis', new Promise<void>((resolve, reject) => {
      producer.once('ready', () => resolve());
      producer.once('end', () => reject(lastError ?? new Error('connection closed')));
    }));
    return producer;
  } catch (error) {
    producer.disconnect();
    throw new RedisUnreachableError(url, timeoutMs, lastError ?? error);
  }
}

/** A Redis URL fit for logs: the password (and user) left out. */
export function redactUrl(url: string): string {
  if (url.startsWith('redis-sentinel://')) return url.replace(/\/\/[^@/]*@/, '//');
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable URL';
  }
}
