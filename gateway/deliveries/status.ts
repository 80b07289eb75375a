/**
 * The life of a delivery: the moves it may make, in one place. The database holds the same
 * list (`delivery_transitions`, migration 010) and refuses any other move; a test keeps the
 * two equal. Every move writes its event in the database, where the move happens.
 */
import type { DeliveryStatus } from '../../schemas/index.ts';

/** From each status, the statuses a delivery may move to. Terminal statuses have none. */
export const TRANSITIONS: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  accepted: ['queued', 'cancelled', 'withheld', 'expired'],
  // `delivered` straight from `queued`: a pull recipient fetched it from its inbox.
  queued: ['delivering', 'delivered', 'cancelled', 'withheld', 'expired'],
  retrying: ['delivering', 'cancelled', 'withheld', 'expired'],
  // `acknowledged` straight from `delivering`: the receipt overtook the worker's own record (a `delivered` event is written first).
  delivering: ['delivered', 'acknowledged', 'retrying', 'failed', 'withheld', 'expired'],
  delivered: ['acknowledged'],
  // An operator retried a dead letter.
  failed: ['queued'],
  acknowledged: [],
  cancelled: [],
  withheld: [],
  expired: [],
};

/** True when a delivery may move from `from` to `to`. */
export const mayMove = (from: DeliveryStatus, to: DeliveryStatus): boolean => TRANSITIONS[from].includes(to);

/** Statuses nothing more happens in. */
export const TERMINAL: readonly DeliveryStatus[] = (Object.keys(TRANSITIONS) as DeliveryStatus[]).filter((s) => TRANSITIONS[s].length === 0);
/** Statuses a delivery may be cancelled or expired from: not yet handed to the recipient, not in flight. */
export const NOT_YET_SENT: readonly DeliveryStatus[] = ['accepted', 'queued', 'retrying'];
/** Statuses a worker may pick a delivery up from (`delivering`: a worker died mid-attempt). */
export const DELIVERABLE: readonly DeliveryStatus[] = ['queued', 'retrying', 'delivering'];
