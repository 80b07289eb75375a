/** A simulated agency system that really speaks `https-json`: used by tests, the demo and the benchmark. */
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { CompactSign, importPKCS8 } from 'jose';
import { Agent, request } from 'undici';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { createSealCheck } from '../shared/seal-check.ts';
import type { ClientTls } from '../types.ts';
import { HEADERS } from './transport.ts';

/**
 * How the system sends its receipts: later, to the gateway's `POST /v1/receipts`
 * (`gatewayUrl`), or in its answer to the delivery (`inAnswer`: `200` with `{ receipt }`).
 * `tls` holds the certificate and key that sign them (and call the gateway).
 */
export type ReceiptMode = { tls: ClientTls; gatewayUrl: string } | { tls: ClientTls; inAnswer: true };

/** How the simulated system answers, changeable while it runs. */
export interface Behaviour {
  /** Answer this status instead of 202 (`times`: for that many requests, then recover). */
  fail?: { status: number; times?: number; retryAfter?: string };
  /** Hold each request this long before answering. */
  delayMs?: number;
  /** Sign receipts naming this instead of what was delivered (a system with a bug: another delivery, another digest). */
  receiptNames?: { deliveryId?: string; envelopeDigest?: string };
}

/** Options for {@link createRecipientSimulator}. */
export interface SimulatorOptions {
  participantId: string;
  /** Server side: certificate for `localhost` from the gateway CA; the CA also checks the gateway's client certificate. */
  server: ClientTls;
  /** When set, every envelope taken is confirmed with a receipt signed with the participant's certificate. */
  receipts?: ReceiptMode;
  port?: number;
  /** Called for each envelope applied the first time (the demo prints these). */
  onApplied?: (envelope: { messageId: string; type: string }) => void;
}

/** A running simulated system. */
export interface RecipientSimulator extends SimulatedSystem {
  /** The endpoint to configure for the participant. */
  readonly endpoint: string;
  /** How many times each messageId arrived. */
  readonly arrivals: Map<string, number>;
  /** messageIds applied, each once, in order. */
  readonly applied: string[];
  /** The last envelopes received (up to 1,000), by `sender/messageId`: what the agency system actually got. */
  readonly received: Map<string, Record<string, unknown>>;
  /** Envelopes whose seal verified (with `jose`, against the gateway CA). */
  readonly sealsVerified: number;
  behave(behaviour: Behaviour): void;
  /** Sends receipts this way from now on (for when the gateway starts after its recipients). */
  sendReceiptsTo(receipts: ReceiptMode): void;
  /** Stops listening (the system is "down"); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a simulated agency system for `participantId`. */
export async function createRecipientSimulator(options: SimulatorOptions): Promise<RecipientSimulator> {
  const arrivals = new Map<string, number>();
  const applied: string[] = [];
  const received = new Map<string, Record<string, unknown>>();
  let sealsVerified = 0;
  const sealVerifies = createSealCheck(options.server.caPem);
  let behaviour: Behaviour = {};
  let receipts = options.receipts;
  let receiptAgent: Agent | undefined;
  const useReceipts = (next: SimulatorOptions['receipts']) => {
    receipts = next;
    void receiptAgent?.close();
    receiptAgent = next && 'gatewayUrl' in next ? new Agent({ connect: { ca: next.tls.caPem, cert: next.tls.certPem, key: next.tls.keyPem } }) : undefined;
  };
  useReceipts(options.receipts);
  const sockets = new Set<TLSSocket>();

  const server = https.createServer(
    { key: options.server.keyPem, cert: options.server.certPem, ca: options.server.caPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
          if (req.method !== 'POST' || req.headers[HEADERS.envelopeDigest] !== digest) {
            res.writeHead(400).end();
            return;
          }
          // What a careful agency system does, with a standard JWS library: the seal must be
          // the gateway's (its certificate issued by the gateway CA) over exactly these bytes.
          if (!(await sealVerifies(req.headers[HEADERS.seal], body))) {
            res.writeHead(400).end();
            return;
          }
          sealsVerified++;
          const envelope = JSON.parse(body.toString('utf8')) as { messageId: string; type: string; sender: string };
          const key = `${envelope.sender}/${envelope.messageId}`;
          received.set(key, envelope);
          if (received.size > 1000) received.delete(received.keys().next().value!);
          arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
          if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
          // The caller went away while we worked: like a real system's rolled-back
          // transaction, nothing is applied and the gateway will deliver again.
          if (req.socket.destroyed) return;
          const fail = behaviour.fail;
          if (fail && (fail.times === undefined || fail.times > 0)) {
            if (fail.times !== undefined) fail.times--;
            res.writeHead(fail.status, fail.retryAfter ? { 'retry-after': fail.retryAfter } : {}).end();
            return;
          }
          // Deduplicate by messageId: a repeated delivery is answered, not applied again.
          if (!applied.includes(key)) {
            applied.push(key);
            options.onApplied?.(envelope);
          }
          const deliveryId = req.headers[HEADERS.deliveryId];
          if (receipts && 'inAnswer' in receipts && typeof deliveryId === 'string') {
            const receipt = await signReceipt({ deliveryId, envelopeDigest: digest, receivedAt: new Date().toISOString() });
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ receipt }));
            return;
          }
          res.writeHead(202).end();
          if (receiptAgent && typeof deliveryId === 'string') void sendReceipt(deliveryId, digest);
        })();
      });
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // The participant's own key is imported once per configuration.
  let signing: { certPem: string; key: Promise<CryptoKey>; leaf: string } | undefined;

  /** A receipt signed with the participant's own key, with `jose`: what the gateway requires. */
  async function signReceipt(statement: { deliveryId: string; envelopeDigest: string; receivedAt: string }): Promise<string> {
    const { tls } = receipts!;
    statement = { ...statement, ...behaviour.receiptNames };
    if (signing?.certPem !== tls.certPem) {
      signing = { certPem: tls.certPem, key: importPKCS8(tls.keyPem, 'RS256'), leaf: new X509Certificate(tls.certPem).raw.toString('base64') };
    }
    return new CompactSign(Buffer.from(JSON.stringify(statement)))
      .setProtectedHeader({ alg: 'RS256', x5c: [signing.leaf], sigT: `${new Date().toISOString().slice(0, 19)}Z` })
      .sign(await signing.key);
  }

  async function sendReceipt(deliveryId: string, envelopeDigest: string): Promise<void> {
    const receipt = await signReceipt({ deliveryId, envelopeDigest, receivedAt: new Date().toISOString() });
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const response = await request(`${(receipts as { gatewayUrl: string }).gatewayUrl}/v1/receipts`, {
          method: 'POST', dispatcher: receiptAgent!, headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ receipt }),
        });
        await response.body.dump();
        // 409: the gateway has not yet recorded the hand-over (our 202 is still on its way).
        if (response.statusCode !== 409 && response.statusCode < 500) return;
      } catch {
        // the gateway is restarting: try again
      }
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }

  let port = options.port ?? 0;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await start();

  return {
    get endpoint() {
      return `https://localhost:${port}/referral-gateway/inbound`;
    },
    arrivals,
    applied,
    received,
    get sealsVerified() {
      return sealsVerified;
    },
    behave(next) {
      behaviour = next;
    },
    taken: () => applied.map((key) => key.slice(key.indexOf('/') + 1)),
    failNext(kind) {
      behaviour = { ...behaviour, fail: kind === 'busy' ? { status: 503, times: 1, retryAfter: '1' } : { status: 422, times: 1 } };
    },
    sendReceiptsTo: useReceipts,
    start,
    stop,
    async close() {
      await stop();
      await receiptAgent?.close();
    },
  };
}
