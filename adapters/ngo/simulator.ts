/** A simulated NGO case system: a webhook receiver that checks the HMAC, and a sender that signs what it posts to the adapter's intake. */
import { Agent, request } from 'undici';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { canonicalize } from '../../schemas/index.ts';
import { sendAnswer, serveHttps, type SendAnswer } from '../shared/https.ts';
import { createSealCheck } from '../shared/seal-check.ts';
import type { ClientTls, NativeDocument } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';
import { SIGNATURE_HEADER, signBody, verifyBody } from './transport.ts';

export interface NgoSimulator extends SimulatedSystem {
  readonly endpoint: string;
  /** Messages stored, by messageId. */
  readonly messages: Map<string, Record<string, unknown>>;
  /** Webhooks refused because their signature did not verify. */
  readonly badSignatures: number;
  /** Messages whose gateway seal verified (with `jose`, against the gateway CA). */
  readonly sealsVerified: number;
  intakeAt(url: () => string | undefined): void;
  send(document: NativeDocument, options?: { secret?: Buffer }): Promise<SendAnswer>;
}

/** `server`: the webhook's HTTPS certificate (its `caPem` is what the NGO trusts for the adapter's intake). */
export async function createNgoSimulator(options: { server: ClientTls; secret: Buffer }): Promise<NgoSimulator> {
  const messages = new Map<string, Record<string, unknown>>();
  const taken: string[] = [];
  let badSignatures = 0;
  let sealsVerified = 0;
  const sealVerifies = createSealCheck(options.server.caPem);
  let failure: 'busy' | 'refuse' | undefined;
  let intakeUrl: () => string | undefined = () => undefined;
  const agent = new Agent({ connect: { ca: options.server.caPem } });

  const host = await serveHttps({
    tls: options.server, clients: 'none',
    async handle(req) {
      if (req.method !== 'POST' || req.path !== '/webhooks/referral-gateway') return { status: 404 };
      if (!verifyBody(options.secret, req.body, req.headers[SIGNATURE_HEADER])) {
        badSignatures++;
        return { status: 401 };
      }
      if (failure) {
        const kind = failure;
        failure = undefined;
        return kind === 'busy' ? { status: 503, headers: { 'retry-after': '1' } } : { status: 422 };
      }
      const { message, seal } = JSON.parse(req.body) as { message: Record<string, unknown> & { messageId: string }; seal?: string };
      // What a careful NGO does: the seal must be the gateway's, over the message's canonical form.
      if (seal !== undefined) {
        if (!(await sealVerifies(seal, canonicalize(message)))) return { status: 400 };
        sealsVerified++;
      }
      if (!messages.has(message.messageId)) {
        messages.set(message.messageId, message);
        taken.push(message.messageId);
      }
      return { status: 200, contentType: JSON_TYPE, body: '{"stored":true}' };
    },
  });

  return {
    get endpoint() {
      return `${host.url}/webhooks/referral-gateway`;
    },
    messages,
    get badSignatures() {
      return badSignatures;
    },
    get sealsVerified() {
      return sealsVerified;
    },
    taken: () => taken,
    failNext(kind) {
      failure = kind;
    },
    intakeAt(url) {
      intakeUrl = url;
    },
    async send(document, sendOptions = {}) {
      const url = intakeUrl();
      if (!url) throw new RangeError('ngo simulator: the adapter has no intake yet');
      const response = await request(url, {
        method: 'POST', dispatcher: agent, body: document.body,
        headers: { 'content-type': JSON_TYPE, [SIGNATURE_HEADER]: signBody(sendOptions.secret ?? options.secret, document.body) },
      });
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
