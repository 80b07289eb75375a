/**
 * Requests a foreign web page can forge. A browser holding a client certificate presents it
 * to any page's request, as it sends a cookie; so a state-changing request is refused when a
 * page elsewhere could have made it: a body that is not JSON (an HTML form sends
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, even with no
 * body), or an `Origin` / `Sec-Fetch-Site` of another site. Agency systems send neither
 * header; the console, served by the gateway itself, is same-origin.
 */
import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseForgeable() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    if ((site && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== `https://${req.get('host') ?? ''}`)) {
      throw new GatewayError('GW_CROSS_SITE_REQUEST', {
        detail: `A ${req.method} from another site (Origin ${origin ?? 'absent'}, Sec-Fetch-Site ${site ?? 'absent'}) is refused: it could be a page forging the request with your certificate.`,
      });
    }
    // A content type that is not JSON is refused, body or not; so is a body without a content type.
    const type = req.get('content-type');
    const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
    if ((type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) || (type === undefined && hasBody)) {
      throw new GatewayError('GW_UNSUPPORTED_MEDIA_TYPE', { detail: `Send Content-Type: application/json (got ${type ?? 'none'}).` });
    }
    next();
  };
}
