/** A simulated Ministry of Interior system: takes MoI XML over HTTPS, acknowledges it, and sends signals to the adapter's intake. */
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { sendAnswer, chainOnly, serveHttps, type SendAnswer } from '../shared/https.ts';
import type { ClientTls, NativeDocument } from '../types.ts';
import { MOI_NAMESPACE, writeDocument, XML } from './mapping.ts';

export interface MoiSimulator extends SimulatedSystem {
  /** Where the adapter delivers. */
  readonly endpoint: string;
  /** Documents taken, by DocumentNumber: the XML as received. */
  readonly documents: Map<string, string>;
  /** Tells the simulator where the adapter's intake is (known once the adapter started). */
  intakeAt(url: () => string | undefined): void;
  send(document: NativeDocument): Promise<SendAnswer>;
}

/** Starts the ministry: `server` is its HTTPS certificate, `client` the one it presents to the adapter's intake. */
export async function createMoiSimulator(options: { server: ClientTls; client: ClientTls }): Promise<MoiSimulator> {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });
  const documents = new Map<string, string>();
  const taken: string[] = [];
  let failure: 'busy' | 'refuse' | undefined;
  let intakeUrl: () => string | undefined = () => undefined;
  const agent = new Agent({ connect: { ca: options.client.caPem, cert: options.client.certPem, key: options.client.keyPem } });

  const host = await serveHttps({
    tls: options.server, clients: chainOnly,
    async handle(req) {
      if (req.method !== 'POST' || req.path !== '/mvr/inbound') return { status: 404 };
      if (failure) {
        const kind = failure;
        failure = undefined;
        if (kind === 'busy') return { status: 503, headers: { 'retry-after': '1' } };
        return { status: 422, contentType: XML, body: writeDocument('Rejection', { Code: 'OTHVARLENO', Reason: 'Document refused by the registry' }) };
      }
      let number: string | undefined;
      try {
        const parsed = parser.parse(req.body) as Record<string, Record<string, unknown>>;
        const root = Object.keys(parsed).find((k) => !k.startsWith('?'))!;
        if (parsed[root]?.['@xmlns'] === MOI_NAMESPACE && typeof parsed[root]?.DocumentNumber === 'string') number = parsed[root].DocumentNumber;
      } catch {
        // refused below
      }
      if (!number) return { status: 400, contentType: XML, body: writeDocument('Rejection', { Code: 'NEVALIDEN', Reason: 'Not an MoI NRM document' }) };
      // Registered once; a repeat gets the same registration number back.
      if (!documents.has(number)) {
        documents.set(number, req.body);
        taken.push(number);
      }
      return { status: 200, contentType: XML, body: writeDocument('Acknowledgement', { DocumentNumber: number, RegistrationNumber: `URI-${1000 + taken.indexOf(number)}` }) };
    },
  });

  return {
    get endpoint() {
      return `${host.url}/mvr/inbound`;
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
      if (!url) throw new Error('moi simulator: the adapter has no intake address yet');
      const response = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': XML }, body: document.body });
      const text = await response.body.text();
      return sendAnswer(response.statusCode, text);
    },
    start: () => host.start(),
    stop: () => host.stop(),
    async close() {
      await host.stop();
      await agent.close();
    },
  };
}
