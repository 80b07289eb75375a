/**
 * The typed client for agency integrators: every route of `openapi.yaml` with its types
 * (openapi-fetch), over mutual TLS from certificate files, plus what each integrator would
 * otherwise write by hand — RFC 8785 canonical JSON, signing a receipt, verifying the
 * gateway's seal, and following an exchange's event stream (reconnecting where it left off).
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createParser } from 'eventsource-parser';
import { CompactSign, flattenedVerify, importPKCS8, importX509 } from 'jose';
import createFetchClient, { type Client } from 'openapi-fetch';
import { Agent, fetch as undiciFetch, Request as UndiciRequest } from 'undici';
import { canonicalize, type Acceptance, type Envelope, type Exchange, type NewExchange, type paths, type Problem, type StatusEvent } from '../schemas/index.ts';
import { GatewayProblem, unwrap } from './problem.ts';

export { GatewayProblem, unwrap } from './problem.ts';

/** A client certificate and the gateway CA, as PEM text or as files. */
export type ClientCredentials =
  | { caPem: string; certPem: string; keyPem: string }
  | { caFile: string; certFile: string; keyFile: string };

/** Options for {@link createReferralClient}. */
export interface ReferralClientOptions {
  /** The gateway, e.g. `https://referral-gateway.nrm.example:8443`. */
  baseUrl: string;
  credentials: ClientCredentials;
}

/** The client. */
export interface ReferralClient {
  /** Every route, typed from the contract: `client.api.GET('/v1/exchanges/{id}', { params: { path: { id } } })`. */
  readonly api: Client<paths>;
  /**
   * Submits a message; resolves with the acceptance, or rejects with a {@link GatewayProblem}.
   * `sign: true` sends `Referral-Signature`, a detached JWS over the message's RFC 8785 form
   * made with this client's key (required of some participants).
   */
  submit(message: NewExchange, options?: { sign?: boolean }): Promise<Acceptance>;
  /** The `Referral-Signature` of `message`: detached JWS (RS256, x5c, sigT) over its canonical JSON. */
  signSubmission(message: NewExchange): Promise<string>;
  /** The exchange as its sender (or a recipient) sees it. */
  track(exchangeId: string): Promise<Exchange>;
  /**
   * The exchange's status events, history first, as they happen; reconnects after a dropped
   * connection from the last event seen. Ends when `signal` aborts.
   */
  follow(exchangeId: string, options?: { signal?: AbortSignal; lastEventId?: string }): AsyncIterable<StatusEvent>;
  /** Signs a receipt for a delivery this participant received (with its own key), for `POST /v1/receipts` or the inbox ack. */
  signReceipt(statement: { deliveryId: string; envelopeDigest: string; receivedAt?: string }): Promise<{ receipt: string }>;
  /** Verifies the gateway's seal over a received envelope (detached JWS, certificate chain to the gateway CA). */
  verifySeal(envelope: Envelope | Record<string, unknown>, seal: string): Promise<{ signedAt: string; signer: string }>;
  close(): Promise<void>;
}

/** Builds a client presenting the certificate in `options.credentials`. */
export function createReferralClient(options: ReferralClientOptions): ReferralClient {
  const pem = 'caPem' in options.credentials ? options.credentials : {
    caPem: readFileSync(options.credentials.caFile, 'utf8'),
    certPem: readFileSync(options.credentials.certFile, 'utf8'),
    keyPem: readFileSync(options.credentials.keyFile, 'utf8'),
  };
  const agent = new Agent({ connect: { ca: pem.caPem, cert: pem.certPem, key: pem.keyPem } });
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const api = createFetchClient<paths>({
    baseUrl,
    Request: UndiciRequest as unknown as typeof Request,
    fetch: (request) => undiciFetch(request as unknown as UndiciRequest, { dispatcher: agent }) as unknown as Promise<Response>,
  });
  const ca = new X509Certificate(pem.caPem);
  const own = new X509Certificate(pem.certPem);

  /** A compact JWS with this client's key, its certificate in `x5c` and the signing time in `sigT`; detached leaves the payload out. */
  const sign = async (payload: string, attached: boolean): Promise<string> => {
    const key = await importPKCS8(pem.keyPem, 'RS256');
    const header = { alg: 'RS256', x5c: [own.raw.toString('base64')], sigT: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const jws = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(key);
    if (attached) return jws;
    const [head, , signature] = jws.split('.');
    return `${head}..${signature}`;
  };

  return {
    api,
    async submit(message, submitOptions = {}) {
      const headers = submitOptions.sign ? { 'referral-signature': await sign(canonicalize(message), false) } : undefined;
      return unwrap(await api.POST('/v1/exchanges', { body: message, ...(headers ? { headers } : {}) })) as Acceptance;
    },
    signSubmission: (message) => sign(canonicalize(message), false),
    async track(exchangeId) {
      return unwrap(await api.GET('/v1/exchanges/{id}', { params: { path: { id: exchangeId } } })) as Exchange;
    },
    follow(exchangeId, followOptions = {}) {
      return followEvents(`${baseUrl}/v1/exchanges/${encodeURIComponent(exchangeId)}/events`, agent, followOptions);
    },
    async signReceipt(statement) {
      return { receipt: await sign(JSON.stringify({ receivedAt: new Date().toISOString(), ...statement }), true) };
    },
    async verifySeal(envelope, seal) {
      const [protectedHeader, empty, signature] = seal.split('.');
      if (!protectedHeader || empty !== '' || !signature) throw new Error('The seal is not a detached compact JWS (header..signature).');
      const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { x5c?: string[]; sigT?: string };
      const signer = new X509Certificate(Buffer.from(header.x5c?.[0] ?? '', 'base64'));
      if (!signer.checkIssued(ca) || !signer.verify(ca.publicKey)) throw new Error('The seal was not made with a certificate of the gateway CA.');
      const key = await importX509(signer.toString(), signer.publicKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'RS256');
      await flattenedVerify({ protected: protectedHeader, payload: Buffer.from(canonicalize(envelope)).toString('base64url'), signature }, key);
      return { signedAt: header.sigT ?? '', signer: signer.subject };
    },
    close: () => agent.close(),
  };
}

/** Reads the event stream, reconnecting with `Last-Event-ID` until `signal` aborts. */
async function* followEvents(url: string, agent: Agent, options: { signal?: AbortSignal; lastEventId?: string }): AsyncGenerator<StatusEvent> {
  let lastEventId = options.lastEventId;
  while (!options.signal?.aborted) {
    const queue: StatusEvent[] = [];
    const parser = createParser({
      onEvent(event) {
        if (event.event !== 'status') return;
        if (event.id) lastEventId = event.id;
        queue.push(JSON.parse(event.data) as StatusEvent);
      },
    });
    try {
      const response = await undiciFetch(url, {
        dispatcher: agent, ...(options.signal ? { signal: options.signal } : {}),
        headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
      if (!response.ok) throw new GatewayProblem((await response.json()) as Problem);
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
        while (queue.length > 0) {
          yield queue.shift()!;
          if (options.signal?.aborted) return;
        }
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      // A refusal that retrying cannot change ends the stream; a dropped connection does not.
      if (error instanceof GatewayProblem && !error.retryable) throw error;
    }
    if (!options.signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
