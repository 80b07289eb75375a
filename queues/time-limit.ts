/** Time limits for calls into Redis, which can wait for a server that is not coming back. */

/** An enqueue that takes longer fails its step; the work is tried again from PostgreSQL. */
export const ENQUEUE_LIMIT_MS = 10_000;

/** Whether `work` settled within `ms`; it is left running when not. */
export async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`, or a rejection naming `what` after `ms`. */
export async function limit<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
