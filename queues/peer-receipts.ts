/**
 * Receipts back to peer gateways abroad: once a recipient here acknowledged an envelope a
 * peer relayed, this gateway signs a receipt for the peer's own delivery (its seal key, so
 * the peer can check it against this gateway's CA) and posts it to the peer. Pending
 * receipts live in the store, not in memory: one that cannot go now goes on a later pass.
 */
import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import type { ClientTls } from '../adapters/index.ts';
import type { JwsSigner } from '../certs/index.ts';
import type { DeliveryStore, PeerReceiptDue, Peers } from '../gateway/index.ts';
import { canonicalize } from '../schemas/index.ts';

/** One pass: sends what is due; returns how many the peers took (or refused for good). */
export function createPeerReceiptForwarder(options: { deliveries: DeliveryStore; peers: Peers; sealer: JwsSigner; clientTls: ClientTls; logger: Logger }) {
  const agents = new Map<string, Agent>();
  const agentFor = (peer: { name: string; caPem: string }) => {
    let agent = agents.get(peer.name);
    if (!agent) agents.set(peer.name, (agent = new Agent({ connect: { ca: peer.caPem, cert: options.clientTls.certPem, key: options.clientTls.keyPem } })));
    return agent;
  };
  /** This pass could not send `due` now: back off, or give up once it has been owed too long. */
  const defer = async (due: PeerReceiptDue, why: string) => {
    const { abandoned, nextAttemptAt } = await options.deliveries.peerReceiptDeferred(due.deliveryId);
    if (abandoned) options.logger.error({ deliveryId: due.deliveryId, peer: due.peer, attempts: due.attempts + 1, why }, 'receipt to the peer abandoned after a week of trying');
    else options.logger.warn({ deliveryId: due.deliveryId, peer: due.peer, attempts: due.attempts + 1, why, nextAttemptAt }, 'receipt to the peer deferred');
  };
  return {
    async forward(): Promise<number> {
      let done = 0;
      const unreachable = new Set<string>();
      for (const due of await options.deliveries.peerReceiptsDue(50)) {
        const peer = options.peers.get(due.peer);
        if (!peer) {
          await defer(due, 'peer not configured');
          continue;
        }
        if (unreachable.has(peer.name)) {
          await defer(due, 'peer unreachable');
          continue;
        }
        const receipt = options.sealer.sign(canonicalize({ deliveryId: due.peerDeliveryId, envelopeDigest: due.envelopeDigest, receivedAt: due.acknowledgedAt }));
        let status: number;
        let code: unknown;
        try {
          const response = await request(`${peer.endpoint}/v1/peer/receipts`, {
            method: 'POST', dispatcher: agentFor(peer), headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receipt }),
            headersTimeout: 10_000, bodyTimeout: 10_000,
          });
          status = response.statusCode;
          code = status >= 400 ? ((await response.body.json().catch(() => ({}))) as { code?: unknown }).code : await response.body.dump();
        } catch (error) {
          options.logger.warn({ peer: peer.name, err: { message: (error as Error).message } }, 'peer unreachable; its receipts wait');
          unreachable.add(peer.name);
          await defer(due, 'peer unreachable');
          continue;
        }
        // 409: the peer has not recorded its hand-over yet; 5xx: try later. Anything else is final.
        if (status === 409 || status >= 500) {
          await defer(due, `peer answered ${status}`);
          continue;
        }
        if (status >= 400) options.logger.warn({ peer: peer.name, deliveryId: due.deliveryId, status, code }, 'peer refused the receipt');
        await options.deliveries.peerReceiptSent(due.deliveryId);
        done++;
      }
      return done;
    },
    close: () => Promise.all([...agents.values()].map((a) => a.close())).then(() => undefined),
  };
}
