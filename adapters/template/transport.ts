/**
 * On the wire: each delivery is POSTed as JSON to the agency system's endpoint, which answers
 * `{ "received": true, "reference": … }` once it has stored the document; the agency system
 * POSTs its own documents to the adapter's intake (`/intake`) and is answered
 * `{ "status": "accepted" | "already-accepted" | "refused" | "unavailable", … }`.
 */
import { createJsonPoster, serveHttps, type HttpsAnswer, type HttpsHost } from '../shared/https.ts';
import { takeIn, type IntakeOutcome, type IntakeServerOptions } from '../shared/intake.ts';
import { TransientDeliveryError, type AdapterContext } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';

/** The answer the agency system gets from the intake. */
export function answerJson(outcome: IntakeOutcome): HttpsAnswer {
  const json = (status: number, body: object, headers: Record<string, string> = {}): HttpsAnswer => ({ status, contentType: JSON_TYPE, headers, body: JSON.stringify(body) });
  switch (outcome.outcome) {
    case 'accepted':
      return json(202, { status: 'accepted', messageId: outcome.messageId, gatewayReference: outcome.exchangeId });
    case 'replayed':
      return json(200, { status: 'already-accepted', messageId: outcome.messageId });
    case 'refused':
      return json(outcome.status === 400 ? 400 : 422, { status: 'refused', code: outcome.code, detail: outcome.detail });
    case 'unavailable':
      return json(503, { status: 'unavailable', detail: outcome.detail }, { 'retry-after': '5' });
  }
}

/** POSTs documents to the agency system; resolves with its reference once it has stored one. */
export function createClient(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>) {
  const poster = createJsonPoster(context.endpoint, context.tls, context.timeoutMs);
  return {
    async send(body: string, signal: AbortSignal): Promise<string | undefined> {
      const answer = await poster.post({ body, signal, headers: {} });
      let parsed: { received?: unknown; reference?: unknown } | undefined;
      try {
        parsed = JSON.parse(answer.body) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (parsed?.received !== true) throw new TransientDeliveryError('The agency system did not confirm it stored the document', { code: 'NOT_CONFIRMED' });
      return typeof parsed.reference === 'string' ? parsed.reference : undefined;
    },
    close: () => poster.close(),
  };
}

/** The intake: the agency system POSTs its documents to `https://<host>:<port>/intake` with a certificate naming the participant. */
export async function startIntake(options: IntakeServerOptions): Promise<HttpsHost> {
  return serveHttps({
    tls: options.tls, clients: options.checkClient, host: options.host, port: options.port,
    async handle(request) {
      if (request.method !== 'POST' || request.path !== '/intake') return { status: 404 };
      if (!request.participants.includes(options.participantId)) return { status: 403, contentType: JSON_TYPE, body: '{"status":"refused","code":"FORBIDDEN"}' };
      return answerJson(await takeIn({ contentType: JSON_TYPE, body: request.body }, options));
    },
  });
}
