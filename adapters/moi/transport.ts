/**
 * MoI on the wire: outbound documents are POSTed to the ministry's endpoint, which answers
 * with an `<Acknowledgement>` (or a `<Rejection>`); the ministry POSTs its signals to the
 * adapter's intake and gets the same two answers back.
 */
import { createJsonPoster, serveHttps, type HttpsAnswer, type HttpsHost } from '../shared/https.ts';
import { takeIn, type IntakeOutcome, type IntakeServerOptions } from '../shared/intake.ts';
import { TransientDeliveryError, type AdapterContext } from '../types.ts';
import { readDocument, writeDocument, XML } from './mapping.ts';

/** The ministry's answer to a document, as XML. */
export function answerXml(outcome: IntakeOutcome | { outcome: 'forbidden'; code?: string; detail?: string }): HttpsAnswer {
  switch (outcome.outcome) {
    case 'accepted':
    case 'replayed':
      return {
        status: outcome.outcome === 'accepted' ? 202 : 200,
        contentType: XML,
        body: writeDocument('Acknowledgement', {
          DocumentNumber: outcome.messageId,
          ...(outcome.exchangeId ? { GatewayReference: outcome.exchangeId } : {}),
          Status: outcome.outcome === 'accepted' ? 'PRIETO' : 'VECHE_PRIETO',
        }),
      };
    case 'refused':
      return { status: outcome.status === 400 ? 400 : 422, contentType: XML, body: writeDocument('Rejection', { Code: outcome.code, Reason: outcome.detail }) };
    case 'unavailable':
      return { status: 503, contentType: XML, headers: { 'retry-after': '5' }, body: writeDocument('Rejection', { Code: 'GATEWAY_UNAVAILABLE', Reason: outcome.detail }) };
    case 'forbidden':
      return {
        status: 403, contentType: XML,
        body: writeDocument('Rejection', { Code: outcome.code ?? 'FORBIDDEN', Reason: outcome.detail ?? 'The client certificate does not name the participant this intake serves' }),
      };
  }
}

/** POSTs documents to the ministry and reads its acknowledgement. */
export function createMoiClient(context: Pick<AdapterContext, 'endpoint' | 'tls' | 'timeoutMs'>) {
  const poster = createJsonPoster(context.endpoint, context.tls, context.timeoutMs);
  return {
    /** Resolves with the ministry's registration number once it has registered the document. */
    async send(body: string, signal: AbortSignal): Promise<string | undefined> {
      const answer = await poster.post({ body, signal, contentType: XML, headers: {} });
      let document;
      try {
        document = readDocument(answer.body);
      } catch (error) {
        // The ministry said 2xx but not what it registered: ask again; it deduplicates by DocumentNumber.
        throw new TransientDeliveryError('The ministry answered without an acknowledgement', { code: 'NO_ACKNOWLEDGEMENT', cause: error });
      }
      if (document.root !== 'Acknowledgement') throw new TransientDeliveryError('The ministry answered without an acknowledgement', { code: 'NO_ACKNOWLEDGEMENT' });
      const number = document.content.RegistrationNumber;
      return typeof number === 'string' ? number : undefined;
    },
    close: () => poster.close(),
  };
}

/** The intake the ministry POSTs its signals to: `https://<host>:<port>/nrm/signals`. */
export async function startMoiIntake(options: IntakeServerOptions): Promise<HttpsHost> {
  return serveHttps({
    tls: options.tls, clients: options.checkClient, host: options.host, port: options.port,
    refuse: (verdict) => answerXml({ outcome: 'forbidden', code: verdict.code, detail: verdict.detail }),
    async handle(request) {
      if (request.method !== 'POST' || request.path !== '/nrm/signals') return { status: 404 };
      if (!request.participants.includes(options.participantId)) return answerXml({ outcome: 'forbidden' });
      return answerXml(await takeIn({ contentType: XML, body: request.body }, options));
    },
  });
}
