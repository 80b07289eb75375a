/** HTTPS POST with mutual TLS, shared by the adapters that speak HTTPS, and the classification of what comes back into transient and permanent failures. */
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { TLS_SERVER_OPTIONS } from '../../certs/index.ts';
import { PermanentDeliveryError, TransientDeliveryError, type ClientCertificateCheck, type ClientTls, type ClientVerdict } from '../types.ts';

/** What a 2xx answer carried. */
export interface PostAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A POST client for one endpoint. */
export interface JsonPoster {
  /** Resolves with the answer when it is 2xx; throws a classified error otherwise. */
  post(options: { body: string; headers: Record<string, string>; signal: AbortSignal; contentType?: string }): Promise<PostAnswer>;
  close(): Promise<void>;
}

/** Errors of the network or TLS layer: the endpoint may come back. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

/**
 * undici's own deadlines for the answer: they are set to the attempt's timeout, and which of
 * the two fires first is a race (seen on Node 22 under load), so both read as the attempt
 * timing out.
 */
const ANSWER_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A poster for `endpoint` over mutual TLS, keeping connections alive between deliveries;
 * `lookup` resolves (and may refuse) the address each connection goes to.
 * `tls: 'public'` for endpoints with a publicly trusted certificate that authenticate the
 * gateway otherwise (an NGO's webhook checks an HMAC): no client certificate, system CAs.
 */
export function createJsonPoster(endpoint: string, tls: ClientTls | 'public', timeoutMs: number, options: { lookup?: LookupFunction } = {}): JsonPoster {
  const agent = new Agent({
    connect: { ...(tls === 'public' ? {} : { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem }), timeout: timeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async post({ body, headers, signal, contentType = 'application/json' }) {
      let status: number;
      let responseHeaders: Record<string, string | string[] | undefined>;
      let text = '';
      try {
        const response = await request(endpoint, {
          method: 'POST', dispatcher: agent, signal, body,
          headers: { 'content-type': contentType, ...headers },
        });
        status = response.statusCode;
        responseHeaders = response.headers;
        if (status >= 200 && status < 300) text = await response.body.text();
        else await response.body.dump();
      } catch (error) {
        throw classifyNetworkError(error);
      }
      const type = responseHeaders['content-type'];
      if (status >= 200 && status < 300) return { status, contentType: Array.isArray(type) ? type[0] : type, body: text };
      if (status === 408 || status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']);
        throw new TransientDeliveryError(`The endpoint answered ${status}`, { code: `HTTP_${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      }
      throw new PermanentDeliveryError(`The endpoint refused the envelope with ${status}`, { code: `HTTP_${status}` });
    },
    close: () => agent.close(),
  };
}

function classifyNetworkError(error: unknown): TransientDeliveryError {
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  if (e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED' || e.name === 'TimeoutError' || ANSWER_TIMEOUTS.has(e.code ?? '')) {
    return new TransientDeliveryError('The attempt timed out', { code: 'TIMEOUT', cause: error });
  }
  const code = e.code ?? e.cause?.code ?? 'NETWORK';
  // TLS failures (the endpoint's certificate does not verify) are retried too: they are
  // configuration faults an operator can fix while the delivery waits.
  return new TransientDeliveryError(`The endpoint could not be reached (${code})`, { code: NETWORK_CODES.has(code) ? code : `NETWORK_${code}`, cause: error });
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** What an agency system was told when it sent a document: taken, or not — and whether to send it again. */
export interface SendAnswer {
  accepted: boolean;
  detail: string;
  /** The gateway (or adapter) was unavailable: the system should send the document again later. */
  again: boolean;
}

/** A send's answer from an HTTP status and body (the simulated agency systems' view). */
export const sendAnswer = (status: number, detail: string): SendAnswer => ({
  accepted: status >= 200 && status < 300, detail, again: status === 429 || status >= 500,
});

/** What a handler answers. */
export interface HttpsAnswer {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** A request as a handler sees it: the body read whole, and the participant ids the client certificate names. */
export interface HttpsRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The participant the client certificate names, as the check found it (empty with `clients: 'none'`). */
  participants: string[];
}

/**
 * The TLS layer's verdict alone — chain to `caPem` and validity — and the participant the
 * certificate names. For the simulated agency systems (which check the gateway's client
 * certificate as an agency would); never for a listener of the gateway: those take the
 * gateway's own check (`AdapterContext.checkClient`), which adds revocation and the registry.
 */
export const chainOnly: ClientCertificateCheck = (socket) => {
  if (!socket.authorized) return { ok: false, code: 'CLIENT_CERT_UNTRUSTED', detail: `Certificate verification failed: ${String(socket.authorizationError ?? 'no certificate')}.` };
  const peer = socket.getPeerCertificate() as { subjectaltname?: string } | null;
  const uris = (peer?.subjectaltname ?? '').split(', ').filter((n) => n.startsWith('URI:urn:nrm:')).map((n) => n.slice(4));
  const participant = uris.find((u) => u.startsWith('urn:nrm:participant:'))?.slice('urn:nrm:participant:'.length)
    ?? uris.find((u) => u.startsWith('urn:nrm:gateway:'));
  return participant ? { ok: true, participantId: participant } : { ok: false, code: 'CLIENT_CERT_UNKNOWN', detail: 'The certificate names no participant.' };
};

/** The answer to a refused client certificate when the adapter gives none of its own: 403, the code and why. */
const defaultRefusal = (verdict: Extract<ClientVerdict, { ok: false }>): HttpsAnswer => ({
  status: 403, contentType: 'application/json', body: JSON.stringify({ code: verdict.code, detail: verdict.detail }),
});

/** An HTTPS server that can go away and come back on the same port (agency systems in tests, adapters' intake). */
export interface HttpsHost {
  readonly url: string;
  start(): Promise<void>;
  /** Stops listening and drops open connections. */
  stop(): Promise<void>;
}

/** Options for {@link serveHttps}. */
export interface ServeOptions {
  /** Server certificate and key; `caPem` is the CA clients' certificates chain to. */
  tls: ClientTls;
  /**
   * Who may call: a check of each request's client certificate (the gateway's
   * `AdapterContext.checkClient` for an intake; {@link chainOnly} for a simulated agency
   * system), or `'none'` for clients that authenticate otherwise (an HMAC).
   */
  clients: ClientCertificateCheck | 'none';
  /** The answer to a refused certificate, in the agency's own terms; default a 403 with the code. */
  refuse?(verdict: Extract<ClientVerdict, { ok: false }>): HttpsAnswer;
  host?: string;
  port?: number;
  /** Largest body read; bigger requests are answered 413. Default 5 MB. */
  bodyLimitBytes?: number;
  handle(request: HttpsRequest): Promise<HttpsAnswer>;
}

/** Serves HTTPS with mutual TLS; `url` is `https://localhost:<port>`. */
export async function serveHttps(options: ServeOptions): Promise<HttpsHost> {
  const limit = options.bodyLimitBytes ?? 5 * 1024 * 1024;
  const sockets = new Set<TLSSocket>();
  const server = https.createServer(
    {
      ...TLS_SERVER_OPTIONS,
      key: options.tls.keyPem, cert: options.tls.certPem, ca: options.tls.caPem,
      // The handshake lets every client in; each request is then checked, so a refused one is told why.
      requestCert: options.clients !== 'none', rejectUnauthorized: false,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) chunks.push(chunk);
      });
      req.on('end', () => {
        void (async () => {
          let answer: HttpsAnswer;
          const verdict: ClientVerdict = options.clients === 'none' ? { ok: true, participantId: '' } : options.clients(req.socket as TLSSocket);
          if (!verdict.ok) answer = (options.refuse ?? defaultRefusal)(verdict);
          else if (size > limit) answer = { status: 413 };
          else {
            try {
              answer = await options.handle({
                method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'),
                participants: verdict.participantId ? [verdict.participantId] : [],
              });
            } catch {
              answer = { status: 500 };
            }
          }
          if (res.destroyed) return;
          res.writeHead(answer.status, { ...(answer.contentType ? { 'content-type': answer.contentType } : {}), ...answer.headers });
          res.end(answer.body ?? '');
        })();
      });
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await start();
  return {
    get url() {
      return `https://localhost:${port}`;
    },
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
