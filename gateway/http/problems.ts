/** Turns every failure into an RFC 9457 problem+json answer; never an HTML page or a stack trace. */
import type { NextFunction, Request, Response } from 'express';
import { GatewayError, toProblem } from '../errors.ts';

/** The request's `instance` URI; its id is the `reqId` of the request's log line. */
export const instanceOf = (req: Request): string => `urn:request:${String(req.id)}`;

/** Sends `error` as problem+json. */
export function sendProblem(req: Request, res: Response, error: GatewayError): void {
  res.locals.problemCode = error.code;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).type('application/problem+json').send(JSON.stringify(toProblem(error, instanceOf(req))));
}

/** body-parser's error types and what they mean for the caller. */
const BODY_ERRORS: Record<string, GatewayError['code']> = {
  'entity.parse.failed': 'GW_MALFORMED_JSON',
  'entity.too.large': 'GW_PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'GW_UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'GW_UNSUPPORTED_MEDIA_TYPE',
  'request.size.invalid': 'GW_MALFORMED_JSON',
  'request.aborted': 'GW_MALFORMED_JSON',
};

/** The last middleware: anything thrown or passed to `next(error)` ends here. */
export function problemHandler() {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    sendProblem(req, res, asGatewayError(error, res));
  };
}

function asGatewayError(error: unknown, res: Response): GatewayError {
  if (error instanceof GatewayError) return error;
  const bodyError = BODY_ERRORS[(error as { type?: string }).type ?? ''];
  if (bodyError === 'GW_MALFORMED_JSON') {
    // The parser's message quotes the body, which may hold personal data: say only where.
    return new GatewayError(bodyError, { detail: 'The body could not be parsed as JSON.' });
  }
  if (bodyError) return new GatewayError(bodyError);
  // Any other refusal of the body parser (a gzip body that does not inflate, say) is the caller's, and final.
  const status = (error as { status?: number; type?: string }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new GatewayError('GW_MALFORMED_JSON', { detail: 'The body could not be read (its encoding or length is wrong).' });
  // Unexpected: pino-http logs `res.err` with the stack; the caller gets no internals.
  res.err = error as Error;
  return new GatewayError('GW_INTERNAL', { detail: 'The gateway failed; nothing was stored. Retry with the same messageId.' });
}
