/**
 * SACP on the wire. Outbound: `POST <endpoint>` with the notification; the agency answers
 * `202 { "trackingId" }` and later confirms registration by calling back
 * `POST <adapter>/sacp/receipts { deliveryRef, envelopeDigest, status: "REGISTERED" }`.
 * Inbound: the agency POSTs its own notifications to `<adapter>/sacp/notifications`.
 * Both calls come with the agency's certificate, which must name the participant.
 */
import { createJsonPoster, serveHttps, type HttpsAnswer, type HttpsHost } from '../shared/https.ts';
import { takeIn, type IntakeOutcome, type IntakeServerOptions } from '../shared/intake.ts';
import type { AdapterContext } from '../types.ts';
import { isUuid } from '../../schemas/index.ts';
import { JSON_TYPE } from './mapping.ts';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

const json = (status: number, body: object, headers: Record<string, string> = {}): HttpsAnswer => ({ status, contentType: JSON_TYPE, headers, body: JSON.stringify(body) });

/** The answer to a notification the agency sent. */
function answerNotification(outcome: IntakeOutcome): HttpsAnswer {
  switch (outcome.outcome) {
    case 'accepted':
    case 'replayed':
      return json(outcome.outcome === 'accepted' ? 202 : 200, {
        notificationId: outcome.messageId, state: outcome.outcome === 'accepted' ? 'FORWARDED' : 'ALREADY_FORWARDED',
        ...(outcome.exchangeId ? { gatewayReference: outcome.exchangeId } : {}),
      });
    case 'refused':
      return json(outcome.status === 400 ? 400 : 422, { state: 'REJECTED', errorCode: outcome.code, errorDescription: outcome.detail });
    case 'unavailable':
      return json(503, { state: 'TRY_LATER', errorDescription: outcome.detail }, { 'retry-after': '5' });
  }
}

/** Sends notifications to the agency; resolves with its tracking id. */
export function createSacpClient(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>) {
  const poster = createJsonPoster(context.endpoint, context.tls, context.timeoutMs);
  return {
    async send(body: string, signal: AbortSignal): Promise<string | undefined> {
      const answer = await poster.post({ body, signal, headers: {} });
      try {
        const { trackingId } = JSON.parse(answer.body) as { trackingId?: unknown };
        return typeof trackingId === 'string' ? trackingId : undefined;
      } catch {
        return undefined;
      }
    },
    close: () => poster.close(),
  };
}

/** The adapter's side: notifications in, registration callbacks in. */
export async function startSacpServer(options: IntakeServerOptions): Promise<HttpsHost> {
  return serveHttps({
    tls: options.tls, clients: options.checkClient, host: options.host, port: options.port,
    refuse: (verdict) => json(403, { state: 'REJECTED', errorCode: verdict.code, errorDescription: verdict.detail }),
    async handle(request) {
      if (request.method !== 'POST') return { status: 405 };
      if (!request.participants.includes(options.participantId)) return json(403, { state: 'REJECTED', errorCode: 'FORBIDDEN' });
      if (request.path === '/sacp/notifications') return answerNotification(await takeIn({ contentType: JSON_TYPE, body: request.body }, options));
      if (request.path !== '/sacp/receipts') return { status: 404 };
      let callback: { deliveryRef?: unknown; envelopeDigest?: unknown; status?: unknown };
      try {
        callback = JSON.parse(request.body) as typeof callback;
      } catch {
        return json(400, { errorCode: 'NATIVE_MALFORMED', errorDescription: 'The callback is not well-formed JSON' });
      }
      if (typeof callback.deliveryRef !== 'string' || typeof callback.envelopeDigest !== 'string' || callback.status !== 'REGISTERED') {
        return json(400, { errorCode: 'NATIVE_INVALID', errorDescription: 'A callback needs deliveryRef, envelopeDigest and status REGISTERED' });
      }
      // Only what the notification carried can come back: anything else is refused before it reaches a log line.
      if (!isUuid(callback.deliveryRef) || !DIGEST.test(callback.envelopeDigest)) {
        return json(400, { errorCode: 'NATIVE_INVALID', errorDescription: 'deliveryRef and envelopeDigest must be the ones the notification carried' });
      }
      const answer = await options.intake.acknowledge({ deliveryId: callback.deliveryRef, envelopeDigest: callback.envelopeDigest }).catch(() => undefined);
      if (!answer || (!answer.ok && answer.status >= 500)) return json(503, { errorDescription: 'The gateway is unavailable; call back later' }, { 'retry-after': '5' });
      if (!answer.ok) {
        options.logger.info({ deliveryId: callback.deliveryRef, code: answer.problem.code }, 'registration callback refused by the gateway');
        return json(422, { errorCode: answer.problem.code, errorDescription: answer.problem.detail ?? answer.problem.title });
      }
      return json(200, { state: 'RECEIPT_RECORDED' });
    },
  });
}
