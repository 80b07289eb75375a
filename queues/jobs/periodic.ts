/** A background task run every interval and on demand, never twice at once. */

/** Periodic work the queue registry runs in the processes with the `relay` role (one scheduler for all of it). */
export interface PeriodicJob {
  /** For logs: `trust maintenance`. */
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<unknown>;
}

/** A running periodic task. */
export interface Periodic {
  /** Run now; if a run is under way, run once more after it. */
  nudge(): void;
  /** Run now (or join the run under way) and resolve when it has finished. */
  run(): Promise<void>;
  /** No run starts after this; resolves when the one under way has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` and whenever nudged, one run at a time; a nudge during a
 * run is remembered, so work that arrives mid-run is not left for the next interval.
 * A failing run is reported to `onError` and the task is simply tried again later.
 */
export function periodic(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): Periodic {
  let stopped = false;
  let again = false;
  let running: Promise<void> | undefined;

  const loop = async () => {
    do {
      again = false;
      try {
        await task();
      } catch (error) {
        onError(error);
      }
    } while (again && !stopped);
  };
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= loop().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void run(), intervalMs);

  return {
    nudge() {
      if (running) again = true;
      else void run();
    },
    run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
