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
    // Coercion turns `1e999` and `Infinity` into a number the schema's integer check lets through.
    for (const [name, value] of Object.entries(query)) {
      if (typeof value === 'number' && !Number.isFinite(value)) violations.push({ pointer: `#/query/${name}`, message: 'must be a finite number', keyword: 'type' });
    }
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    return query as T;
  };
}

/**
 * Text PostgreSQL cannot store (a NUL) or that is not Unicode (a lone surrogate, which
 * JSON's `\\uD800` escapes can carry): anywhere in a body, in a value or a member name.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** No message of the contract nests deeper than this; a body that does is refused unread. */
const MAX_DEPTH = 32;

/**
 * Pointers (at most 20) to the strings and member names of `value` holding {@link UNSTORABLE}
 * text, and to where it nests deeper than {@link MAX_DEPTH}.
 */
export function unstorableText(value: unknown, pointer = '', found: Array<{ pointer: string; depth?: true }> = [], depth = 0): Array<{ pointer: string; depth?: true }> {
  if (found.length >= 20) return found;
  if (depth > MAX_DEPTH && value !== null && typeof value === 'object') {
    found.push({ pointer, depth: true });
  } else if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) found.push({ pointer });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableText(item, `${pointer}/${i}`, found, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (UNSTORABLE.test(key)) found.push({ pointer: at });
      else unstorableText(item, at, found, depth + 1);
    }
  }
  return found;
}

/** Middleware after the JSON parser: a body with text that can never be stored is a 400, naming where. */
export function refuseUnstorableText() {
  return (req: Request, _res: unknown, next: () => void): void => {
    const found = req.body === undefined ? [] : unstorableText(req.body);
    if (found.length > 0) {
      throw new GatewayError('GW_VALIDATION_FAILED', {
        detail: 'Text may not hold a NUL character or an unpaired UTF-16 surrogate (it is not storable Unicode), and no message nests this deep.',
        violations: found.map(({ pointer, depth }) => depth
          ? { pointer, message: `nests deeper than ${MAX_DEPTH} levels`, keyword: 'depth' }
          : { pointer, message: 'holds a NUL character or an unpaired surrogate', keyword: 'text' }),
      });
    }
    next();
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
