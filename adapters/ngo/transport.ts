/**
 * NGO webhooks: HTTPS POST, authenticated by an HMAC over the body with a secret shared with
 * the NGO (`referral-webhook-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`),
 * the scheme Stripe and GitHub use, so NGOs can verify with a few lines in any language.
 * The same header authenticates what an NGO posts to the adapter's intake. Signatures older
 * than five minutes are refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createJsonPoster, serveHttps, type HttpsAnswer, type HttpsHost } from '../shared/https.ts';
import { takeIn, type IntakeOutcome, type IntakeServerOptions } from '../shared/intake.ts';
import type { AdapterContext } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';

export const SIGNATURE_HEADER = 'referral-webhook-signature';
const TOLERANCE_SECONDS = 300;

/** The signature header for `body` at `now`. */
export function signBody(secret: Buffer, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Whether `header` is a fresh, valid signature of `body`. */
export function verifyBody(secret: Buffer, body: string, header: string | string[] | undefined, now = Date.now()): boolean {
  if (typeof header !== 'string') return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > TOLERANCE_SECONDS || typeof parts.v1 !== 'string') return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const json = (status: number, body: object, headers: Record<string, string> = {}): HttpsAnswer => ({ status, contentType: JSON_TYPE, headers, body: JSON.stringify(body) });

function answer(outcome: IntakeOutcome): HttpsAnswer {
  switch (outcome.outcome) {
    case 'accepted':
    case 'replayed':
      return json(outcome.outcome === 'accepted' ? 202 : 200, { status: outcome.outcome, messageId: outcome.messageId, ...(outcome.exchangeId ? { exchangeId: outcome.exchangeId } : {}) });
    case 'refused':
      return json(outcome.status === 400 ? 400 : 422, { status: 'refused', code: outcome.code, detail: outcome.detail });
    case 'unavailable':
      return json(503, { status: 'unavailable', detail: outcome.detail }, { 'retry-after': '5' });
  }
}

/** Posts signed webhooks to the NGO. */
export function createWebhookClient(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>, secret: Buffer, publicCertificate: boolean) {
  const poster = createJsonPoster(context.endpoint, publicCertificate ? 'public' : context.tls, context.timeoutMs);
  return {
    send: (body: string, signal: AbortSignal, deliveryId: string) =>
      poster.post({ body, signal, headers: { [SIGNATURE_HEADER]: signBody(secret, body), 'referral-delivery-id': deliveryId } }),
    close: () => poster.close(),
  };
}

/** The intake NGOs post to: `https://<host>:<port>/ngo/messages`, signed with the shared secret instead of a client certificate. */
export async function startNgoIntake(options: IntakeServerOptions & { secret: Buffer }): Promise<HttpsHost> {
  return serveHttps({
    tls: options.tls, host: options.host, port: options.port, clients: 'none',
    async handle(request) {
      if (request.method !== 'POST' || request.path !== '/ngo/messages') return { status: 404 };
      if (!verifyBody(options.secret, request.body, request.headers[SIGNATURE_HEADER])) {
        options.logger.warn({ participant: options.participantId }, 'intake refused: missing, stale or wrong signature');
        return json(401, { status: 'refused', code: 'SIGNATURE_INVALID', detail: `The ${SIGNATURE_HEADER} header is missing, older than five minutes, or does not match the body` });
      }
      return answer(await takeIn({ contentType: JSON_TYPE, body: request.body }, options));
    },
  });
}
