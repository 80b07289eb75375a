/**
 * The gateway as an adapter's inbound side reaches it: its public API over mutual TLS with
 * the adapter's own certificate (which names the participant it acts for), so the core
 * checks an adapter's submissions and receipts like any other caller's.
 */
import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import { createJwsSigner } from '../../certs/index.ts';
import type { Problem } from '../../schemas/index.ts';
import type { HttpsHost } from './https.ts';
import { MappingError, type AdapterContext, type ClientCertificateCheck, type ClientTls, type Intake, type IntakeAnswer, type Mapping, type NativeDocument, type Transmission } from '../types.ts';

/** Options for {@link createGatewayIntake}. */
export interface GatewayIntakeOptions {
  /** E.g. `https://gateway.nrm.bg`. */
  gatewayUrl: string;
  /** The adapter's certificate and key, and the gateway CA. Receipts are signed with the same key. */
  tls: ClientTls;
  logger: Logger;
  /** How long to keep trying a receipt the gateway cannot take yet (its hand-over still on its way). Default 10 s. */
  acknowledgeWithinMs?: number;
}

/** An {@link Intake} that calls the gateway; `close()` releases its connections. */
export function createGatewayIntake(options: GatewayIntakeOptions): Intake & { close(): Promise<void> } {
  const agent = new Agent({ connect: { ca: options.tls.caPem, cert: options.tls.certPem, key: options.tls.keyPem } });
  const signer = createJwsSigner({ certPem: options.tls.certPem, keyPem: options.tls.keyPem }, [options.tls.caPem]);
  const limit = options.acknowledgeWithinMs ?? 10_000;

  async function post(path: string, body: unknown): Promise<IntakeAnswer> {
    const response = await request(`${options.gatewayUrl}${path}`, {
      method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await response.body.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      return { ok: true, status, replayed: response.headers['idempotent-replay'] === 'true', ...(typeof parsed.id === 'string' ? { exchangeId: parsed.id } : {}) };
    }
    return { ok: false, status, problem: parsed as unknown as Problem };
  }

  return {
    submit: (exchange) => post('/v1/exchanges', exchange),
    async acknowledge(transmission) {
      const receipt = signer.sign(JSON.stringify({ ...transmission, receivedAt: new Date().toISOString() }));
      const until = Date.now() + limit;
      for (let attempt = 1; ; attempt++) {
        let answer: IntakeAnswer | undefined;
        try {
          answer = await post('/v1/receipts', { receipt });
        } catch (error) {
          if (Date.now() > until) throw error;
        }
        // 409: the worker has not recorded the hand-over yet; 5xx: the gateway is busy or restarting.
        if (answer && (answer.ok || (answer.status !== 409 && answer.status < 500) || Date.now() > until)) {
          if (!answer.ok) options.logger.warn({ deliveryId: transmission.deliveryId, status: answer.status, code: answer.problem.code }, 'receipt refused');
          return answer;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 1_000)));
      }
    },
    close: () => agent.close(),
  };
}

/** What became of one native document handed in. `detail` never carries values from the document. */
export type IntakeOutcome =
  | { readonly outcome: 'accepted' | 'replayed'; readonly messageId: string; readonly exchangeId?: string }
  | { readonly outcome: 'refused'; /** The mapping's or the gateway's code. */ readonly code: string; readonly detail: string; readonly status: number }
  | { readonly outcome: 'unavailable'; readonly detail: string };

/**
 * The steps every intake takes for one native document: map it (a document the mapping
 * cannot read is refused before anything reaches the gateway), submit it, and say what
 * happened in terms the adapter turns into the agency system's own answer. The same
 * document maps to the same messageId, so a repeat is answered as a replay.
 */
export async function takeIn(
  document: NativeDocument,
  options: { mapping: Mapping; participantId: string; intake: Intake; logger: Logger },
): Promise<IntakeOutcome> {
  let message;
  try {
    message = options.mapping.fromNative(document, options.participantId);
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    options.logger.info({ code: error.code, path: error.path }, 'native document refused');
    return { outcome: 'refused', code: error.code, detail: error.message, status: 400 };
  }
  let answer: IntakeAnswer;
  try {
    answer = await options.intake.submit(message);
  } catch (error) {
    options.logger.warn({ err: { message: (error as Error).message } }, 'gateway unreachable; the agency system is asked to send again');
    return { outcome: 'unavailable', detail: 'The gateway cannot be reached; send the document again later' };
  }
  if (answer.ok) {
    options.logger.info({ messageId: message.messageId, type: message.type, replayed: answer.replayed }, 'native document submitted');
    return { outcome: answer.replayed ? 'replayed' : 'accepted', messageId: message.messageId, ...(answer.exchangeId ? { exchangeId: answer.exchangeId } : {}) };
  }
  if (answer.status >= 500) return { outcome: 'unavailable', detail: 'The gateway is unavailable; send the document again later' };
  const { problem } = answer;
  options.logger.info({ messageId: message.messageId, code: problem.code, status: answer.status }, 'gateway refused the document');
  const where = (problem.violations ?? []).slice(0, 3).map((v) => `${v.pointer}: ${v.message}`).join('; ');
  return { outcome: 'refused', code: problem.code, status: answer.status, detail: `${problem.detail ?? problem.title}${where ? ` (${where})` : ''}` };
}

/**
 * Receipts an adapter sends on the participant's behalf once the agency system confirmed a
 * delivery, in the background (the gateway takes them only after it recorded the hand-over);
 * `settled()` waits for those still on their way, at shutdown.
 */
export function createReceiptSender(context: { intake?: Intake; logger: Logger }) {
  const pending = new Set<Promise<unknown>>();
  return {
    send(transmission: Transmission): void {
      if (!context.intake) return;
      const receipt = context.intake.acknowledge({ deliveryId: transmission.deliveryId, envelopeDigest: transmission.envelopeDigest }).catch((error: unknown) => {
        context.logger.warn({ deliveryId: transmission.deliveryId, err: { message: (error as Error).message } }, 'receipt not sent');
      });
      pending.add(receipt);
      void receipt.finally(() => pending.delete(receipt));
    },
    settled: () => Promise.allSettled([...pending]),
  };
}

/** What an adapter's intake server is started with. */
export interface IntakeServerOptions {
  participantId: string;
  mapping: Mapping;
  intake: Intake;
  logger: Logger;
  /** The gateway's server certificate and CA. */
  tls: ClientTls;
  /** The gateway's check of each caller's certificate: give it to `serveHttps`. */
  checkClient: ClientCertificateCheck;
  host: string;
  port: number;
}

/**
 * The listening side of an adapter: `start()` serves when the participant has intake and a
 * port is configured (else the adapter only delivers); `url` is where the agency system
 * sends, `path` under the server.
 */
export function createIntakeListener(
  context: AdapterContext,
  mapping: Mapping,
  listen: { host: string; port: number | undefined; path: string },
  serve: (options: IntakeServerOptions) => Promise<HttpsHost>,
) {
  let host: HttpsHost | undefined;
  return {
    get url(): string | undefined {
      return host ? `${host.url}${listen.path}` : undefined;
    },
    async start(): Promise<void> {
      if (!context.intake || listen.port === undefined) return;
      if (!context.serverTls) throw new RangeError(`${context.participantId}: an intake needs the gateway's server certificate (serverTls)`);
      host = await serve({
        participantId: context.participantId, mapping, intake: context.intake, logger: context.logger, tls: context.serverTls,
        checkClient: context.checkClient, host: listen.host, port: listen.port,
      });
    },
    stop: async (): Promise<void> => {
      await host?.stop();
    },
  };
}
