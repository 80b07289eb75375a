/**
 * The one status feed of a process: a single reader of new delivery events that wakes the
 * event streams and long polls waiting on them, so a thousand open streams cost one store
 * read per pass instead of a thousand.
 */
import type { DeliveryStore } from '../store/index.ts';

/** What a waiter watches: one exchange's events, or the pull deliveries of one recipient. */
export type FeedTopic = { exchange: string } | { inbox: string };

/** One waiter's place on the feed. */
export interface FeedWatch {
  /**
   * Resolves `true` when something changed on the topic since the last call (at once if it
   * already has); `false` when `signal` aborts or `ms` pass without news, so a waiter can
   * look at what changes with time alone (a revocation, a lease running out).
   */
  next(signal: AbortSignal, ms: number): Promise<boolean>;
  /** Leaves the feed. */
  close(): void;
}

export interface StatusFeed {
  /** Starts watching `topic`; the first {@link FeedWatch.next} waits for news after this call. */
  watch(topic: FeedTopic): FeedWatch;
  /** Stops reading; waiters still waiting are released. */
  stop(): void;
}

export interface StatusFeedOptions {
  store: Pick<DeliveryStore, 'changesAfter' | 'latestEventId'>;
  /** How often the feed reads while anyone watches. */
  pollMs: number;
  /** Called when a read fails (the feed tries again next pass). */
  onError?: (error: unknown) => void;
  /** Events read per pass at most; the feed reads again at once when a pass was full. */
  batch?: number;
}

const keyOf = (topic: FeedTopic) => ('exchange' in topic ? `exchange:${topic.exchange}` : `inbox:${topic.inbox}`);

interface Waiter {
  key: string;
  changed: boolean;
  wake?: () => void;
}

/** The feed on `store`. It reads only while someone watches. */
export function createStatusFeed(options: StatusFeedOptions): StatusFeed {
  const batch = options.batch ?? 1000;
  const waiters = new Map<string, Set<Waiter>>();
  let cursor: bigint | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resumeLoop: (() => void) | undefined;

  const notify = (key: string) => {
    for (const waiter of waiters.get(key) ?? []) {
      waiter.changed = true;
      waiter.wake?.();
    }
  };

  /** One read; true when it was full and more may wait. */
  async function pass(): Promise<boolean> {
    if (cursor === undefined) {
      cursor = await options.store.latestEventId();
      // Whoever started watching while the feed found its place looks once more, so an
      // event settling in between is not left to the backstop.
      for (const key of waiters.keys()) notify(key);
      return false;
    }
    const changes = await options.store.changesAfter(cursor, batch);
    cursor = changes.latest;
    for (const exchange of changes.exchanges) notify(`exchange:${exchange}`);
    for (const recipient of changes.pullRecipients) notify(`inbox:${recipient}`);
    return changes.full;
  }

  async function loop(): Promise<void> {
    while (!stopped && waiters.size > 0) {
      let more = false;
      try {
        more = await pass();
      } catch (error) {
        options.onError?.(error);
      }
      if (stopped || waiters.size === 0) break;
      if (more) continue;
      await new Promise<void>((resolve) => {
        resumeLoop = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
      resumeLoop = undefined;
    }
    running = undefined;
    // Nobody watches: the next watcher starts from the newest event again.
    if (waiters.size === 0) cursor = undefined;
  }

  return {
    watch(topic) {
      const key = keyOf(topic);
      const waiter: Waiter = { key, changed: false };
      let set = waiters.get(key);
      if (!set) waiters.set(key, (set = new Set()));
      set.add(waiter);
      if (!running && !stopped) running = loop();
      return {
        next(signal, ms) {
          if (waiter.changed || signal.aborted || stopped) {
            const news = waiter.changed;
            waiter.changed = false;
            return Promise.resolve(news);
          }
          return new Promise<boolean>((resolve) => {
            const done = () => {
              clearTimeout(timeout);
              signal.removeEventListener('abort', done);
              waiter.wake = undefined;
              const news = waiter.changed;
              waiter.changed = false;
              resolve(news);
            };
            const timeout = setTimeout(done, ms);
            signal.addEventListener('abort', done, { once: true });
            waiter.wake = done;
          });
        },
        close() {
          waiter.wake?.();
          const mine = waiters.get(key);
          mine?.delete(waiter);
          if (mine?.size === 0) waiters.delete(key);
        },
      };
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      resumeLoop?.();
      for (const set of waiters.values()) for (const waiter of set) waiter.wake?.();
    },
  };
}
