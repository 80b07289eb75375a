/**
 * A simulated peer gateway, for the conformance kit: the `/v1/peer/exchanges` route of a
 * Referral Gateway abroad, checking the seal with `jose` against the sending gateway's CA.
 * The real thing — two gateways on loopback — is in `index.int.test.ts`.
 */
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { canonicalize } from '../../schemas/index.ts';
import { chainOnly, serveHttps } from '../shared/https.ts';
import { createSealCheck } from '../shared/seal-check.ts';
import type { ClientTls } from '../types.ts';

export interface PeerSimulator extends SimulatedSystem {
  readonly endpoint: string;
  readonly sealsVerified: number;
}

/** `server.caPem` is the sending gateway's CA: its gateway certificate and its seals chain to it. */
export async function createPeerSimulator(options: { server: ClientTls }): Promise<PeerSimulator> {
  const taken: string[] = [];
  let failure: 'busy' | 'refuse' | undefined;
  let sealsVerified = 0;
  const sealVerifies = createSealCheck(options.server.caPem);

  const host = await serveHttps({
    tls: options.server, clients: chainOnly,
    async handle(req) {
      if (req.method !== 'POST' || req.path !== '/v1/peer/exchanges') return { status: 404 };
      if (failure) {
        const kind = failure;
        failure = undefined;
        return kind === 'busy' ? { status: 503, headers: { 'retry-after': '1' } } : { status: 422, contentType: 'application/problem+json', body: '{"code":"GW_VALIDATION_FAILED"}' };
      }
      let submission: { envelope?: { id?: string; messageId?: string }; seal?: string };
      try {
        submission = JSON.parse(req.body) as typeof submission;
      } catch {
        return { status: 400 };
      }
      // As the receiving gateway does: the seal over the envelope's RFC 8785 form.
      if (!submission.envelope?.messageId || !submission.seal || !(await sealVerifies(submission.seal, canonicalize(submission.envelope)))) return { status: 422 };
      sealsVerified++;
      const first = !taken.includes(submission.envelope.messageId);
      if (first) taken.push(submission.envelope.messageId);
      return { status: first ? 202 : 200, contentType: 'application/json', body: JSON.stringify({ id: submission.envelope.id, status: 'accepted' }) };
    },
  });

  return {
    get endpoint() {
      return host.url;
    },
    get sealsVerified() {
      return sealsVerified;
    },
    taken: () => taken,
    failNext(kind) {
      failure = kind;
    },
    start: () => host.start(),
    stop: () => host.stop(),
    close: () => host.stop(),
  };
}
