/** The status feed: one read per pass however many wait, and each waiter woken by its own news only. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStatusFeed } from './status-feed.ts';

interface FakeEvent { id: bigint; exchange: string; recipient: string; channel: 'push' | 'pull' }

/** A store holding `events`, counting its reads. */
function fakeStore() {
  const events: FakeEvent[] = [];
  const reads = { changes: 0, latest: 0 };
  return {
    events,
    reads,
    add(exchange: string, recipient = 'BG-SAA', channel: 'push' | 'pull' = 'push') {
      events.push({ id: BigInt(events.length + 1), exchange, recipient, channel });
    },
    store: {
      async latestEventId() {
        reads.latest++;
        return events.at(-1)?.id ?? 0n;
      },
      async changesAfter(after: bigint, limit: number) {
        reads.changes++;
        const rows = events.filter((e) => e.id > after).slice(0, limit);
        return {
          latest: rows.at(-1)?.id ?? after,
          exchanges: [...new Set(rows.map((r) => r.exchange))],
          pullRecipients: [...new Set(rows.filter((r) => r.channel === 'pull').map((r) => r.recipient))],
          full: rows.length === limit,
        };
      },
    },
  };
}

const quiet = () => new AbortController().signal;

describe('status feed', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('reads the store once per pass while fifty streams wait, and not at all when nobody waits', async () => {
    const fake = fakeStore();
    const feed = createStatusFeed({ store: fake.store, pollMs: 250 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.reads).toEqual({ changes: 0, latest: 0 });

    const watches = Array.from({ length: 50 }, (_, i) => feed.watch({ exchange: `x${i}` }));
    const waiting = watches.map((w) => w.next(quiet(), 60_000));
    await vi.advanceTimersByTimeAsync(2_500);
    // One read to find its place, then one per 250 ms pass: about ten, not five hundred.
    expect(fake.reads.latest).toBe(1);
    expect(fake.reads.changes).toBeGreaterThanOrEqual(9);
    expect(fake.reads.changes).toBeLessThanOrEqual(11);

    for (const w of watches) w.close();
    await Promise.all(waiting);
    const after = fake.reads.changes;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.reads.changes).toBeLessThanOrEqual(after + 1);
    feed.stop();
  });

  it('wakes only the waiters whose exchange or inbox has news', async () => {
    const fake = fakeStore();
    const feed = createStatusFeed({ store: fake.store, pollMs: 250 });
    const mine = feed.watch({ exchange: 'x1' });
    const other = feed.watch({ exchange: 'x2' });
    const inbox = feed.watch({ inbox: 'BG-NGO-ANIMUS' });
    // The first pass finds the feed's place and has every waiter look once.
    await vi.advanceTimersByTimeAsync(0);
    expect(await mine.next(quiet(), 1)).toBe(true);
    await other.next(quiet(), 1);
    await inbox.next(quiet(), 1);

    const woke: string[] = [];
    const wait = (name: string, w: typeof mine) => w.next(quiet(), 60_000).then((news) => news && woke.push(name));
    const all = [wait('mine', mine), wait('other', other), wait('inbox', inbox)];
    fake.add('x1');
    fake.add('x3', 'BG-NGO-ANIMUS', 'pull');
    await vi.advanceTimersByTimeAsync(300);
    expect(woke.sort()).toEqual(['inbox', 'mine']);

    feed.stop();
    await Promise.all(all);
    expect(woke).not.toContain('other');
  });

  it('keeps news that arrives while nobody is waiting for the next call', async () => {
    const fake = fakeStore();
    const feed = createStatusFeed({ store: fake.store, pollMs: 250 });
    const watch = feed.watch({ exchange: 'x1' });
    await vi.advanceTimersByTimeAsync(0);
    await watch.next(quiet(), 1);
    fake.add('x1');
    await vi.advanceTimersByTimeAsync(300);
    // The stream was busy writing; its next call returns at once with the news.
    expect(await watch.next(quiet(), 60_000)).toBe(true);
    feed.stop();
  });

  it('answers false after the time given, and when the stream closes, without news', async () => {
    const fake = fakeStore();
    const feed = createStatusFeed({ store: fake.store, pollMs: 250 });
    const watch = feed.watch({ exchange: 'x1' });
    await vi.advanceTimersByTimeAsync(0);
    await watch.next(quiet(), 1);
    const timed = watch.next(quiet(), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await timed).toBe(false);

    const closed = new AbortController();
    const waiting = watch.next(closed.signal, 60_000);
    closed.abort();
    expect(await waiting).toBe(false);
    feed.stop();
  });

  it('reads on at once after a full page, and goes on after a failed read', async () => {
    const fake = fakeStore();
    const errors: unknown[] = [];
    let fail = true;
    const store = {
      ...fake.store,
      async changesAfter(after: bigint, limit: number) {
        if (fail) {
          fail = false;
          throw new Error('connection reset');
        }
        return fake.store.changesAfter(after, limit);
      },
    };
    const feed = createStatusFeed({ store, pollMs: 250, batch: 2, onError: (e) => errors.push(e) });
    const watch = feed.watch({ exchange: 'x9' });
    await vi.advanceTimersByTimeAsync(0);
    await watch.next(quiet(), 1);
    for (const x of ['x1', 'x2', 'x3', 'x4', 'x9']) fake.add(x);
    const news = watch.next(quiet(), 60_000);
    // The failed pass, then one pass reads all three pages.
    await vi.advanceTimersByTimeAsync(600);
    expect(errors).toHaveLength(1);
    expect(await news).toBe(true);
    feed.stop();
  });
});
