/** Structured logging (pino). Personal data never reaches a log line: bodies are not logged, and paths that could hold them are redacted. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout when absent. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

/**
 * Redacted as defence in depth: the gateway's own code never logs these, but a future
 * `logger.info({ envelope })` must not leak a victim's name.
 */
const REDACT = [
  'payload', '*.payload', 'envelope', '*.envelope', 'body', '*.body', 'identity', '*.identity',
  'subject', '*.subject', 'req.headers.authorization', 'req.headers.cookie', 'pseudonymKey', '*.pseudonymKey',
];

/** The gateway's root logger. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'referral-gateway' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/**
 * Errors are logged by name, code and stack frames only. Messages of foreign errors can
 * quote input (`JSON.parse` does, so do database errors), so they are left out; the
 * gateway's own errors have messages written not to contain personal data.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const own = error.name === 'GatewayError';
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    ...((error as { code?: unknown }).code !== undefined ? { code: String((error as { code?: unknown }).code) } : {}),
    ...(own ? { message: error.message } : {}),
    stack: frames.join('\n'),
    ...(error.cause !== undefined ? { cause: serializeError(error.cause) } : {}),
  };
}
