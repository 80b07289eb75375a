/** Starts the queue machinery a process's roles call for, and stops it in order: relay, workers (finishing in-flight deliveries), queues, connections. */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ADAPTERS, checkAdapterSettings, DEFAULT_ADAPTER, createGatewayIntake, type Adapter, type ClientTls } from '../adapters/index.ts';
import {
  createDeliveryStore,
  createWebhookStore,
  deliveryPolicy,
  type Channel,
  type Config,
  type Database,
  type Peers,
} from '../gateway/index.ts';
import type { JwsSigner } from '../certs/index.ts';
import { createPeerReceiptForwarder } from './peer-receipts.ts';
import { createDeliveryQueue, createDeliveryWorker, type DeliveryJob } from './delivery-queue.ts';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.ts';
import { createReconciler, type Reconciler } from './reconciler.ts';
import { checkRedis, connectRedis } from './redis.ts';
import { periodic, type Periodic } from './jobs/periodic.ts';
import { within } from './time-limit.ts';
import { createWebhookQueue, createWebhookWorker, dispatchWebhooks } from './webhook-queue.ts';

/** What the queues need. */
export interface QueueDeps {
  db: Database;
  logger: Logger;
  redisUrl: string;
  /** The gateway's client certificate, for recipients' endpoints and webhooks. */
  clientTls: ClientTls;
  /** The gateway's server certificate, for adapters that listen for their agency system. */
  serverTls?: ClientTls;
  /** Adapters that override the configuration (the demo's simulated agencies). */
  agencies?: Record<string, { adapter: string; endpoint: string; settings: Record<string, unknown> }>;
  /**
   * Intake: where adapters hand what their agency systems send (the gateway's own URL), and
   * the certificate each participant's adapter uses for it. Adapters without one only deliver.
   */
  intake?: { gatewayUrl: string; tlsFor(participantId: string): ClientTls | undefined };
  /** Gateways abroad, and the seal key that signs receipts back to them. */
  peers?: { peers: Peers; sealer: JwsSigner };
}

/** The running queue machinery. */
export interface QueueSystem {
  /** Makes the relay look at the outbox now. */
  nudge(): void;
  /** Resolves while Redis answers. */
  ready(): Promise<void>;
  /** The adapter delivering to `participantId` in this process, if any. */
  adapter(participantId: string): Adapter | undefined;
  /** One reconciler pass now (tests and operators). */
  reconcile(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts relay and reconciler (role `relay`) and workers (role `worker`). */
export async function startQueues(config: Config, deps: QueueDeps): Promise<QueueSystem> {
  const { logger } = deps;
  const producer = connectRedis(deps.redisUrl, 'producer');
  producer.on('error', () => {}); // reported by the steps that fail
  await new Promise<void>((resolve, reject) => {
    producer.once('ready', () => resolve());
    producer.once('end', () => reject(new Error(`cannot reach Redis at ${deps.redisUrl}`)));
  });
  try {
    await checkRedis(producer, logger);
  } catch (error) {
    producer.disconnect();
    throw error;
  }
  const workerConnection = config.roles.includes('worker') ? connectRedis(deps.redisUrl, 'worker') : undefined;
  workerConnection?.on('error', () => {});

  const deliveries = createDeliveryStore(deps.db);
  const webhooks = createWebhookStore(deps.db);
  const endpointOf = (id: string) => deps.agencies?.[id]?.endpoint ?? config.delivery.participants[id]?.endpoint;
  const channelOf = (id: string): Channel => (deps.agencies?.[id] || config.delivery.participants[id]?.mode === 'push' ? 'push' : 'pull');
  const policyOf = (id: string) => deliveryPolicy(config, id);
  const queues = new Map<string, Queue<DeliveryJob>>();
  const queueFor = (id: string) => {
    let queue = queues.get(id);
    if (!queue) queues.set(id, (queue = createDeliveryQueue(id, producer)));
    return queue;
  };
  const webhookQueue = createWebhookQueue(producer);

  let relay: OutboxRelay | undefined;
  let reconciler: Reconciler | undefined;
  let dispatcher: Periodic | undefined;
  let peerReceipts: { task: Periodic; close(): Promise<void> } | undefined;
  if (config.roles.includes('relay')) {
    const channels = Object.fromEntries(config.participants.map((p) => [p.id, channelOf(p.id)]));
    relay = createOutboxRelay({ deliveries, queueFor, channels, policyOf, intervalMs: config.delivery.relayIntervalMs, logger });
    reconciler = createReconciler({
      deliveries, redis: producer, queueFor, policyOf, intervalMs: config.delivery.reconcileIntervalMs, quietMs: config.delivery.reconcileQuietMs, logger,
    });
    dispatcher = periodic(
      config.delivery.relayIntervalMs,
      () => dispatchWebhooks(webhooks, webhookQueue, config.delivery),
      (error) => logger.warn({ err: error }, 'webhook dispatch failed'),
    );
    if (deps.peers && deps.peers.peers.list.length > 0) {
      const forwarder = createPeerReceiptForwarder({ deliveries, peers: deps.peers.peers, sealer: deps.peers.sealer, clientTls: deps.clientTls, logger });
      peerReceipts = {
        task: periodic(config.delivery.relayIntervalMs * 5, () => forwarder.forward(), (error) => logger.warn({ err: error }, 'receipts to peers failed')),
        close: () => forwarder.close(),
      };
    }
  }

  const adapters = new Map<string, Adapter>();
  const intakes: Array<{ close(): Promise<void> }> = [];
  const workers: Array<{ close(force?: boolean): Promise<void> }> = [];
  if (workerConnection) {
    for (const participant of config.participants) {
      const endpoint = endpointOf(participant.id);
      if (channelOf(participant.id) !== 'push' || !endpoint) continue;
      const policy = policyOf(participant.id);
      // Configured settings were checked (and their defaults filled) when the configuration
      // loaded; the demo's simulated agencies bring their own, checked here the same way.
      const override = deps.agencies?.[participant.id];
      const configured = override ?? config.delivery.participants[participant.id];
      const name = configured?.adapter ?? DEFAULT_ADAPTER;
      const settings = { ...configured?.settings };
      const problems = override ? checkAdapterSettings(name, settings) : [];
      if (problems.length > 0) throw new RangeError(`${participant.id}: adapter ${name} settings: ${problems.join('; ')}`);
      const factory = ADAPTERS[name]!;
      const intakeTls = deps.intake?.tlsFor(participant.id);
      const intake = intakeTls && deps.intake ? createGatewayIntake({ gatewayUrl: deps.intake.gatewayUrl, tls: intakeTls, logger }) : undefined;
      if (intake) intakes.push(intake);
      const adapter = factory.create({
        participantId: participant.id, endpoint, settings, timeoutMs: policy.timeoutMs,
        // A participant abroad is reached through its peer gateway, whose certificate chains to the peer's CA.
        tls: { ...deps.clientTls, caPem: deps.peers?.peers.reaching(participant.id)?.caPem ?? deps.clientTls.caPem },
        ...(deps.serverTls ? { serverTls: deps.serverTls } : {}),
        logger: logger.child({ adapter: factory.meta.name, participant: participant.id }),
        ...(intake ? { intake } : {}),
      });
      await adapter.start?.();
      adapters.set(participant.id, adapter);
      workers.push(createDeliveryWorker({
        participantId: participant.id, adapter, policy, deliveries, connection: workerConnection, lockDurationMs: config.delivery.lockDurationMs, logger,
      }));
    }
    workers.push(createWebhookWorker({ webhooks, connection: workerConnection, tls: deps.clientTls, policy: config.delivery, logger }));
  }
  logger.info({ roles: config.roles, workers: workers.length }, 'queues started');

  return {
    nudge: () => relay?.nudge(),
    adapter: (id) => adapters.get(id),
    async ready() {
      if ((await producer.ping()) !== 'PONG') throw new Error('Redis did not answer PING');
    },
    reconcile: () => reconciler?.reconcile() ?? Promise.resolve(0),
    async stop() {
      // Every stage is bounded: with Redis gone, BullMQ would wait for it forever. What is
      // cut short is safe: outbox rows stay for the next relay, stalled jobs are redone.
      const grace = config.delivery.timeoutMs + 2_000;
      await within(grace, Promise.all([relay?.stop(), reconciler?.stop(), dispatcher?.stop(), peerReceipts?.task.stop()]));
      await peerReceipts?.close();
      // In-flight deliveries get as long as one attempt may take, then are closed by force.
      if (!(await within(grace, Promise.all(workers.map((w) => w.close()))))) {
        logger.warn({ graceMs: grace }, 'workers did not finish in time; closing them by force');
        await within(2_000, Promise.all(workers.map((w) => w.close(true))));
      }
      await Promise.all([...adapters.values()].map((a) => a.close()));
      await Promise.all(intakes.map((i) => i.close()));
      await within(2_000, Promise.all([...queues.values(), webhookQueue].map((q) => q.close())));
      await within(1_000, producer.quit()).catch(() => false);
      producer.disconnect();
      if (workerConnection) {
        await within(1_000, workerConnection.quit()).catch(() => false);
        workerConnection.disconnect();
      }
    },
  };
}

