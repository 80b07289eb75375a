/** HTTPS POST with mutual TLS, and the classification of what comes back into transient and permanent failures. */
import { Agent, request } from 'undici';
import { PermanentDeliveryError, TransientDeliveryError } from '../types.ts';

/** TLS material for calling out: the CA the endpoint's certificate must chain to, and our client certificate. */
export interface ClientTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A POST client for one endpoint. */
export interface JsonPoster {
  /** Resolves with the response status when it is 2xx; throws a classified error otherwise. */
  post(options: { body: string; headers: Record<string, string>; signal: AbortSignal }): Promise<number>;
  close(): Promise<void>;
}

/** Errors of the network or TLS layer: the endpoint may come back. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

/** A poster for `endpoint` over mutual TLS, keeping connections alive between deliveries. */
export function createJsonPoster(endpoint: string, tls: ClientTls, timeoutMs: number): JsonPoster {
  const agent = new Agent({
    connect: { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async post({ body, headers, signal }) {
      let status: number;
      let responseHeaders: Record<string, string | string[] | undefined>;
      try {
        const response = await request(endpoint, {
          method: 'POST', dispatcher: agent, signal, body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        status = response.statusCode;
        responseHeaders = response.headers;
        await response.body.dump();
      } catch (error) {
        throw classifyNetworkError(error);
      }
      if (status >= 200 && status < 300) return status;
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
  if (e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED' || e.name === 'TimeoutError') {
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
