/** Queued delivery: outbox relay, BullMQ queues and workers, reconciler, webhooks, Redis. */
export { startQueues } from './queue-registry.ts';
export type { QueueDeps, QueueSystem } from './queue-registry.ts';
export type { DeliveryPlan, PushSpec } from './delivery-workers.ts';
export { resolveRedis, checkRedis, connectRedis, RedisRefusedError } from './redis.ts';
export type { ResolvedRedis } from './redis.ts';
export { startRedisServer, freePort, REDIS_MISSING } from './redis-server.ts';
export type { PrivateRedis, RedisServerOptions } from './redis-server.ts';
export { backoffDelay, deliveryQueueName, deliveryJobKey } from './delivery-queue.ts';
export { trustMaintenance, TRUST_MAINTENANCE_INTERVAL_MS } from './jobs/trust-maintenance.ts';
export { auditChaining } from './jobs/audit-chaining.ts';
export { caseProjection } from './jobs/case-projection.ts';
export { caseClocks } from './jobs/case-clocks.ts';
export { retentionPurge } from './jobs/retention.ts';
export type { PeriodicJob } from './jobs/periodic.ts';
