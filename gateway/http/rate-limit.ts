/**
 * How fast one certificate may ask: requests per second to `/v1` (a burst allowed), and —
 * far fewer — pseudonyms computed per hour, since guessing names and dates of birth against
 * `POST /v1/pseudonyms` is how one would find out whether a person is known to the mechanism
 * (withdrawal codes tried count against the same allowance).
 * Past a limit: 429 with `Retry-After`. Per process (several processes each allow as much).
 */
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../errors.ts';

/** Routes an attacker could use to guess (identities, withdrawal codes): they share the hourly allowance. */
const GUESSABLE = new Set(['/pseudonyms', '/consents/withdraw-by-code']);

export interface RateLimits {
  requestsPerSecond: number;
  burst: number;
  pseudonymsPerHour: number;
}

export function rateLimit(limits: RateLimits) {
  // A window of whole seconds holding `burst` requests: the rate on average, the burst at once.
  const window = Math.max(1, Math.round(limits.burst / limits.requestsPerSecond));
  const requests = new RateLimiterMemory({ points: Math.max(limits.burst, limits.requestsPerSecond * window), duration: window });
  const pseudonyms = new RateLimiterMemory({ points: limits.pseudonymsPerHour, duration: 3600 });
  const refuse = (res: RateLimiterRes, what: string) =>
    new GatewayError('GW_RATE_LIMITED', {
      detail: `Too many ${what} from this certificate; retry after ${Math.ceil(res.msBeforeNext / 1000)} s.`,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))) },
    });
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const serial = res.locals.serial as string | undefined;
    if (serial === undefined) return next(); // a peer gateway: its relays are bounded by its own queue
    try {
      await requests.consume(serial);
      if (req.method === 'POST' && GUESSABLE.has(req.path)) await pseudonyms.consume(serial);
    } catch (error) {
      if (error instanceof RateLimiterRes) return next(refuse(error, GUESSABLE.has(req.path) ? 'pseudonyms computed or withdrawal codes tried' : 'requests'));
      return next(error);
    }
    next();
  };
}
