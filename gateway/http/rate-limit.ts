/**
 * How fast one certificate may ask: requests per second to `/v1` (a burst allowed), and —
 * far fewer — pseudonyms computed per hour, since guessing names and dates of birth against
 * `POST /v1/pseudonyms` is how one would find out whether a person is known to the mechanism.
 * Past a limit: 429 with `Retry-After`. Per process (several processes each allow as much).
 */
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../errors.ts';

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
      if (req.method === 'POST' && req.path === '/pseudonyms') await pseudonyms.consume(serial);
    } catch (error) {
      if (error instanceof RateLimiterRes) return next(refuse(error, req.path === '/pseudonyms' ? 'pseudonyms computed' : 'requests'));
      return next(error);
    }
    next();
  };
}
