/** Query strings checked against the contract, with types coerced and defaults applied. */
import type { Request } from 'express';
import type { Validators } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';

/** A reader for one operation's query string: throws `GW_VALIDATION_FAILED` with pointers. */
export function queryReader<T>(validators: Validators, operationId: string): (req: Request) => T {
  const check = validators.query(operationId);
  return (req) => {
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    const violations = check(query); // coerces and applies defaults in place
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    return query as T;
  };
}

/** A body checked against a named contract schema. */
export function bodyReader<T>(validators: Validators, schema: string): (req: Request) => T {
  const check = validators.schema(schema);
  return (req) => {
    const violations = check(req.body);
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    return req.body as T;
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
