/** Open-loop load at a fixed rate and closed-loop maximum throughput, with latency percentiles. */
import { Pool } from 'undici';

/** Builds the body of request number `i`. */
export type BodyFactory = (i: number) => string;

/** Figures of one load step. */
export interface LoadResult {
  label: string;
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Options of the load steps. */
export interface LoadTarget {
  pool: Pool;
  path: string;
  body: BodyFactory;
  /** Status a successful answer has. */
  expect: number;
  /** Called with the request number and `performance.now()` when a successful answer arrives. */
  onOk?: (i: number, at: number) => void;
}

/**
 * Sends `rate` requests per second for `seconds`, on schedule whatever the answers do.
 * Latency is measured from the scheduled send time, so a stalled server shows in p99
 * instead of silently slowing the load (no coordinated omission).
 */
export async function fixedRate(target: LoadTarget, rate: number, seconds: number, offset: number): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      send(target, offset + i).then((good) => {
        latencies.push(performance.now() - due);
        if (good) ok++;
        else failed++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  return summarise(`${rate}/s fixed`, total, ok, failed, elapsed, latencies);
}

/** `concurrency` requests always in flight for `seconds`: the most the server answers. */
export async function maxThroughput(target: LoadTarget, concurrency: number, seconds: number, offset: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = offset;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const good = await send(target, next++);
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return summarise(`max (${concurrency} in flight)`, ok + failed, ok, failed, elapsed, latencies);
}

async function send(target: LoadTarget, i: number): Promise<boolean> {
  try {
    const response = await target.pool.request({
      method: 'POST', path: target.path, headers: { 'content-type': 'application/json' }, body: target.body(i),
    });
    await response.body.dump();
    const ok = response.statusCode === target.expect;
    if (ok) target.onOk?.(i, performance.now());
    return ok;
  } catch {
    return false;
  }
}

function summarise(label: string, sent: number, ok: number, failed: number, seconds: number, latencies: number[]): LoadResult {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { label, sent, ok, failed, seconds, perSecond: ok / seconds, p50: at(0.5), p99: at(0.99) };
}
