/** The delivery queues: one per recipient, job id = delivery id, job data = the delivery id only. */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PermanentDeliveryError, TransientDeliveryError, type Adapter, type DeliveryOutcome } from '../adapters/index.ts';
import type { AnsweredReceipt, AttemptError, DeliveryPolicy, DeliveryStore } from '../gateway/index.ts';
import { canonicalize, type Envelope } from '../schemas/index.ts';

/** The longest recipient reference kept on an attempt (the contract's limit). */
const REMOTE_REFERENCE_MAX = 200;

/** What a delivery job carries: nothing personal. */
export interface DeliveryJob {
  deliveryId: string;
}

/** The queue of one recipient. BullMQ queue names may not contain `:`. */
export const deliveryQueueName = (participantId: string): string => `deliver-${participantId}`;

/** The Redis key BullMQ keeps a job under (the reconciler checks it exists). */
export const deliveryJobKey = (prefix: string, participantId: string, deliveryId: string): string =>
  `${prefix}:${deliveryQueueName(participantId)}:${deliveryId}`;

/** Job options for a delivery: the recipient's attempts, our backoff, nothing kept in Redis once finished. */
export function deliveryJobOptions(deliveryId: string, policy: DeliveryPolicy) {
  return {
    jobId: deliveryId,
    attempts: policy.attempts,
    backoff: { type: 'gateway' },
    // PostgreSQL keeps every attempt; Redis keeps only what is still to do.
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** Puts deliveries on their recipients' queues, one `addBulk` per recipient. Safe to repeat: the job id is the delivery id. */
export async function enqueueDeliveries(
  entries: ReadonlyArray<{ deliveryId: string; recipient: string }>,
  queueFor: (participantId: string) => Queue<DeliveryJob>,
  policyOf: (participantId: string) => DeliveryPolicy,
): Promise<void> {
  const byRecipient = new Map<string, string[]>();
  for (const e of entries) byRecipient.set(e.recipient, [...(byRecipient.get(e.recipient) ?? []), e.deliveryId]);
  await Promise.all(
    [...byRecipient].map(([recipient, ids]) =>
      queueFor(recipient).addBulk(ids.map((deliveryId) => ({ name: 'deliver', data: { deliveryId }, opts: deliveryJobOptions(deliveryId, policyOf(recipient)) }))),
    ),
  );
}

/** A producer-side queue for `participantId`, under this gateway's key `prefix` (`config.queuePrefix`). */
export function createDeliveryQueue(participantId: string, connection: Redis, prefix: string): Queue<DeliveryJob> {
  return new Queue<DeliveryJob>(deliveryQueueName(participantId), { connection, prefix });
}

/** The longest a recipient's `Retry-After` can hold a delivery back per attempt. */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/**
 * Exponential backoff with equal jitter, so recipients coming back are not hit by every
 * retry at once. A recipient's own `Retry-After` wins over the exponential cap (up to six
 * hours): it knows when it can take the delivery.
 */
export function backoffDelay(attemptsMade: number, policy: Pick<DeliveryPolicy, 'backoffMs' | 'maxBackoffMs'>, retryAfterMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS), jittered));
}

/** Options for {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  participantId: string;
  adapter: Adapter;
  policy: DeliveryPolicy;
  deliveries: DeliveryStore;
  connection: Redis;
  /** This gateway's key prefix in Redis (`config.queuePrefix`). */
  prefix: string;
  lockDurationMs: number;
  logger: Logger;
  /** Whether the recipient's deliveries are held now (it is suspended): a job taken is put back, unattempted. */
  held?: () => boolean;
  /** A delivery was made, `seconds` after its job was queued (metrics). */
  onDelivered?: (recipient: string, seconds: number) => void;
  /** Checks a receipt the recipient's system answered with (as `POST /v1/receipts` does); without it such receipts are ignored. */
  checkReceipt?: ReceiptCheck;
}

/** Verifies `jws` as `recipient`'s signed receipt and returns its statement; throws (with a `code`) when it is not one. */
export type ReceiptCheck = (recipient: string, jws: string) => { deliveryId: string; envelopeDigest: string };

/** How long a held delivery waits before its job looks again. */
const HELD_RECHECK_MS = 2_000;

/** The worker of one recipient's queue. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJob> {
  const { participantId, adapter, policy, deliveries, logger } = options;
  const log = logger.child({ queue: deliveryQueueName(participantId) });

  /**
   * The receipt the answer carried, when it is the recipient's own for this delivery and
   * envelope. One that is not is logged (code only) and left: the delivery is `delivered`
   * and waits for a receipt by `POST /v1/receipts`, which says what is wrong with it.
   */
  const answeredReceipt = (jws: string, deliveryId: string, envelopeDigest: string): AnsweredReceipt | undefined => {
    if (!options.checkReceipt) return undefined;
    let code: string;
    try {
      const statement = options.checkReceipt(participantId, jws);
      if (statement.deliveryId === deliveryId && statement.envelopeDigest === envelopeDigest) return { jws, actor: `participant:${participantId}` };
      code = statement.deliveryId === deliveryId ? 'GW_RECEIPT_DIGEST_MISMATCH' : 'RECEIPT_OTHER_DELIVERY';
    } catch (error) {
      code = (error as { code?: unknown }).code ? String((error as { code: unknown }).code) : 'RECEIPT_UNREADABLE';
    }
    log.warn({ deliveryId, code }, 'the receipt in the answer was refused; the delivery waits for one by POST /v1/receipts');
    return undefined;
  };

  const processor = async (job: Job<DeliveryJob>, token?: string, signal?: AbortSignal): Promise<string> => {
    const { deliveryId } = job.data;
    // A suspended recipient's worker is paused too; this catches a job taken just as it paused.
    if (options.held?.()) {
      await job.moveToDelayed(Date.now() + HELD_RECHECK_MS, token);
      throw new DelayedError();
    }
    const attempt = job.attemptsMade + 1;
    // One statement: deliverable and unexpired → `delivering`, with the envelope. A
    // cancellation that got there first wins, and this attempt is not made.
    const work = await deliveries.startAttempt(deliveryId, { attempt });
    if (!work) {
      if (await deliveries.expireIfDue(deliveryId)) return 'expired';
      return (await deliveries.withholdIfNoBasis(deliveryId)) ? 'withheld' : 'skipped';
    }

    const startedAt = new Date();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    let outcome: DeliveryOutcome | void;
    try {
      outcome = await adapter.deliver({
        deliveryId,
        attempt,
        recipient: participantId,
        envelope: work.envelope as unknown as Envelope,
        canonical: canonicalize(work.envelope),
        envelopeDigest: work.envelopeDigest,
        seal: work.seal,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const attemptError: AttemptError = {
        code: error instanceof TransientDeliveryError || permanent ? error.code : 'ADAPTER_ERROR',
        message: error instanceof Error ? error.message : 'adapter failed',
        permanent,
      };
      const record = { startedAt, durationMs: Date.now() - startedAt.getTime(), outcome: permanent ? 'permanent-error' : 'transient-error', error: attemptError } as const;
      if (permanent || attempt >= (job.opts.attempts ?? 1)) {
        await deliveries.finishAttempt(deliveryId, record, 'failed', { code: attemptError.code });
        log.warn({ deliveryId, code: attemptError.code, attempt }, 'delivery failed');
        throw new UnrecoverableError(attemptError.code);
      }
      await deliveries.finishAttempt(deliveryId, record, 'retrying', { code: attemptError.code });
      log.info({ deliveryId, code: attemptError.code, attempt }, 'delivery will be retried');
      throw error;
    }
    // An agency's reference is short; a system answering more gets it cut, not stored whole.
    const remoteReference = outcome?.remoteReference?.slice(0, REMOTE_REFERENCE_MAX) || undefined;
    const record = { startedAt, durationMs: Date.now() - startedAt.getTime(), outcome: 'delivered', ...(remoteReference ? { remoteReference } : {}) } as const;
    const receipt = outcome?.receipt ? answeredReceipt(outcome.receipt, deliveryId, work.envelopeDigest) : undefined;
    if (receipt) await deliveries.finishAttempt(deliveryId, record, 'acknowledged', { via: 'answer' }, receipt);
    else await deliveries.finishAttempt(deliveryId, record, 'delivered');
    options.onDelivered?.(participantId, (Date.now() - job.timestamp) / 1000);
    return 'delivered';
  };

  const worker = new Worker<DeliveryJob>(deliveryQueueName(participantId), processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: policy.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
    maxStalledCount: 2,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        backoffDelay(attemptsMade, policy, error instanceof TransientDeliveryError ? error.retryAfterMs : undefined),
    },
  });
  worker.on('error', (error) => log.error({ err: error }, 'delivery worker error'));
  return worker;
}
