import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../adapters/index.ts';
import { backoffDelay } from './delivery-queue.ts';

describe('backoff', () => {
  const policy = { backoffMs: 1000, maxBackoffMs: 60_000 };

  it('doubles each attempt, between half and all of the exponential delay', () => {
    expect(backoffDelay(1, policy, undefined, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(4, policy, undefined, () => 0)).toBe(4000);
    expect(backoffDelay(4, policy, undefined, () => 1)).toBe(8000);
  });

  it('never exceeds the maximum on its own', () => {
    expect(backoffDelay(30, policy, undefined, () => 1)).toBe(60_000);
  });

  it('waits at least as long as the recipient asked, even beyond the maximum', () => {
    expect(backoffDelay(1, policy, 120_000, () => 0)).toBe(120_000);
    expect(backoffDelay(1, policy, 10 * 3_600_000, () => 0)).toBe(6 * 3_600_000);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThan(8000);
  });
});
