/**
 * Long-held requests — event streams and waiting long polls — are counted per certificate
 * and in all, so one participant cannot hold every connection (and every poll of the store)
 * of a process: past the limit the request is answered 429 with `Retry-After`.
 */
import { GatewayError } from '../errors.ts';

export interface Holds {
  /** Takes a place for `holder`, or refuses with `GW_TOO_MANY_HELD`; call the returned function when the request ends. */
  take(holder: string): () => void;
}

export function createHolds(limits: { perHolder: number; total: number }): Holds {
  const held = new Map<string, number>();
  let total = 0;
  return {
    take(holder) {
      const mine = held.get(holder) ?? 0;
      if (mine >= limits.perHolder || total >= limits.total) {
        throw new GatewayError('GW_TOO_MANY_HELD', {
          detail: mine >= limits.perHolder
            ? `This certificate holds ${mine} event streams and long polls open, the most allowed; close one first.`
            : 'The gateway holds as many event streams and long polls as it allows; retry shortly.',
          headers: { 'Retry-After': '5' },
        });
      }
      held.set(holder, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (held.get(holder) ?? 1) - 1;
        if (left > 0) held.set(holder, left);
        else held.delete(holder);
      };
    },
  };
}
