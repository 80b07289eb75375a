/** The agency system, simulated: takes documents over HTTPS and confirms them, and sends its own to the adapter's intake. Tests and the demo use it. */
import { Agent, request } from 'undici';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { sendAnswer, chainOnly, serveHttps, type SendAnswer } from '../shared/https.ts';
import type { ClientTls, NativeDocument } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';

export interface AgencySimulator extends SimulatedSystem {
  /** Where the adapter delivers. */
  readonly endpoint: string;
  /** Documents stored, by messageId, as received. */
  readonly documents: Map<string, unknown>;
  /** Where the adapter's intake is (known once the adapter has started). */
  intakeAt(url: () => string | undefined): void;
  send(document: NativeDocument): Promise<SendAnswer>;
}

/** `server`: the system's HTTPS certificate; `client`: the one it presents to the adapter's intake. */
export async function createSimulator(options: { server: ClientTls; client: ClientTls }): Promise<AgencySimulator> {
  const documents = new Map<string, unknown>();
  const taken: string[] = [];
  let failure: 'busy' | 'refuse' | undefined;
  let intakeUrl: () => string | undefined = () => undefined;
  const agent = new Agent({ connect: { ca: options.client.caPem, cert: options.client.certPem, key: options.client.keyPem } });

  const host = await serveHttps({
    tls: options.server, clients: chainOnly,
    async handle(req) {
      if (req.method !== 'POST' || req.path !== '/documents') return { status: 404 };
      if (failure) {
        const kind = failure;
        failure = undefined;
        return kind === 'busy' ? { status: 503, headers: { 'retry-after': '1' } } : { status: 422, contentType: JSON_TYPE, body: '{"error":"refused"}' };
      }
      let messageId: unknown;
      try {
        messageId = (JSON.parse(req.body) as { document?: { messageId?: unknown } }).document?.messageId;
      } catch {
        messageId = undefined;
      }
      if (typeof messageId !== 'string') return { status: 400, contentType: JSON_TYPE, body: '{"error":"not a document"}' };
      // Stored once; a repeat is confirmed again.
      if (!documents.has(messageId)) {
        documents.set(messageId, JSON.parse(req.body));
        taken.push(messageId);
      }
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify({ received: true, reference: `REF-${taken.indexOf(messageId) + 1}` }) };
    },
  });

  return {
    get endpoint() {
      return `${host.url}/documents`;
    },
    documents,
    taken: () => taken,
    failNext(kind) {
      failure = kind;
    },
    intakeAt(url) {
      intakeUrl = url;
    },
    async send(document) {
      const url = intakeUrl();
      if (!url) throw new RangeError('simulator: the adapter has no intake address yet');
      const response = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': document.contentType }, body: document.body });
      const detail = await response.body.text();
      return sendAnswer(response.statusCode, detail);
    },
    start: () => host.start(),
    stop: () => host.stop(),
    async close() {
      await host.stop();
      await agent.close();
    },
  };
}
