/**
 * Receipts owed to peers abroad: one that cannot go now waits with a back-off and never
 * blocks the ones behind it; one owed for a week is set aside and logged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwsSigner } from '../certs/index.ts';
import { createDeliveryStore, createExchangeStore, createLogger, createPeers } from '../gateway/index.ts';
import { captureLogs, createTestPki, openTestDatabase, STORE_KINDS } from '../testing/test-gateway.ts';
import { createPeerReceiptForwarder } from './peer-receipts.ts';

const pki = createTestPki();

/** A peer gateway's receipt route: answers each receipt with the next of `statuses` (the last repeats). */
async function startPeer(statuses: number[]): Promise<{ server: Server; url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body));
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status >= 400 ? JSON.stringify({ code: 'GW_CONFLICT' }) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe.each(STORE_KINDS)('receipts owed to peers, on %s', (kind) => {
  const open: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!();
  });

  async function setUp(peerUrl: string) {
    const db = await openTestDatabase(kind);
    open.push(() => db.dispose());
    const exchanges = createExchangeStore(db);
    const deliveries = createDeliveryStore(db);
    const logs = captureLogs();
    const forwarder = createPeerReceiptForwarder({
      deliveries, sealer: createJwsSigner(pki.seal), clientTls: { ...pki.participant('BG-GATEWAY'), caPem: pki.ca.certPem },
      peers: createPeers([{ name: 'hu-nrm', caPem: pki.ca.certPem, endpoint: peerUrl, participants: ['HU-NBI'] }], 60_000),
      logger: createLogger({ level: 'info', destination: logs.stream }),
    });
    open.push(() => forwarder.close());
    /** `count` acknowledged deliveries of envelopes relayed by `peer`, acknowledged `ageMs` ago; their ids. */
    async function owed(peer: string, count: number, ageMs: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        const delivery = randomUUID();
        await exchanges.accept({
          id, sender: 'HU-NBI', messageId: `m-${id}`, type: 'case-transfer', schemaVersion: '1.0', correlationId: 'case-00000001',
          createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id }, envelopeDigest: `sha256:${id}`, seal: 'h..s',
          requestDigest: `sha256:${id}`, deliveries: [{ id: delivery, recipient: 'BG-NCCTHB', expiresAt: null }],
          response: { id } as never, actor: `peer:${peer}`, auditDetails: {},
        });
        // The way a delivery goes (the database allows no shortcut), then back-dated.
        for (const status of ['queued', 'delivering', 'acknowledged']) await db.query('UPDATE deliveries SET status = $2 WHERE id = $1', [delivery, status]);
        await db.query(
          `UPDATE deliveries SET status_changed_at = now() - $2 * interval '1 millisecond', peer = $3, peer_delivery_id = $4 WHERE id = $1`,
          [delivery, ageMs, peer, randomUUID()],
        );
        ids.push(delivery);
      }
      return ids;
    }
    const state = async (id: string) =>
      (await db.query<{ attempts: number; waiting: boolean; sent: boolean; abandoned: boolean }>(
        `SELECT peer_receipt_attempts AS attempts, peer_receipt_next_at > now() AS waiting,
                peer_receipt_sent_at IS NOT NULL AS sent, peer_receipt_abandoned_at IS NOT NULL AS abandoned
         FROM deliveries WHERE id = $1`, [id])).rows[0]!;
    /** Moves the clock for waiting receipts: their back-off is over. */
    const backOffPassed = () => db.query('UPDATE deliveries SET peer_receipt_next_at = now() - interval \'1 second\' WHERE peer_receipt_next_at IS NOT NULL');
    return { deliveries, forwarder, logs, owed, state, backOffPassed };
  }

  it('sends a receipt although more than a pass of older ones cannot go, and leaves those waiting', async () => {
    const peer = await startPeer([200]);
    open.push(() => new Promise((resolve) => peer.server.close(resolve)));
    const { forwarder, owed, state } = await setUp(peer.url);
    const stuck = await owed('no-longer-configured', 60, 3_600_000);
    const [fresh] = await owed('hu-nrm', 1, 1_000);

    // A pass reads 50, oldest first: the first pass meets only stuck ones, and each now waits.
    expect(await forwarder.forward()).toBe(0);
    expect(await state(stuck[0]!)).toMatchObject({ attempts: 1, waiting: true, sent: false });
    // Before, every pass read the same 50 again and the fresh one never went; now the next pass reaches it.
    expect(await forwarder.forward()).toBe(1);
    expect(peer.received).toHaveLength(1);
    expect(await state(fresh!)).toMatchObject({ sent: true });
    expect(await state(stuck[59]!)).toMatchObject({ attempts: 1, waiting: true });
    // All of them wait now: a third pass tries nothing.
    expect(await forwarder.forward()).toBe(0);
    expect(await state(stuck[0]!)).toMatchObject({ attempts: 1 });
  });

  it('retries a receipt the peer answered 409 only after its back-off, which doubles', async () => {
    const peer = await startPeer([409, 503, 200]);
    open.push(() => new Promise((resolve) => peer.server.close(resolve)));
    const { deliveries, forwarder, owed, state, backOffPassed } = await setUp(peer.url);
    const [id] = await owed('hu-nrm', 1, 1_000);

    expect(await forwarder.forward()).toBe(0);
    expect(await forwarder.forward()).toBe(0);
    expect(peer.received).toHaveLength(1); // waiting: not asked again at once
    await backOffPassed();
    expect(await forwarder.forward()).toBe(0); // 503
    expect(await state(id!)).toMatchObject({ attempts: 2, waiting: true });
    // The store's own answer shows the doubling: the third wait is 4× the first.
    const third = await deliveries.peerReceiptDeferred(id!);
    expect(Date.parse(third.nextAttemptAt!) - Date.now()).toBeGreaterThan(15_000);
    expect(Date.parse(third.nextAttemptAt!) - Date.now()).toBeLessThanOrEqual(20_000);
    await backOffPassed();
    expect(await forwarder.forward()).toBe(1);
    expect(peer.received).toHaveLength(3);
    expect(await state(id!)).toMatchObject({ sent: true });
  });

  it('sets aside a receipt owed for more than a week and says so in the log', async () => {
    const { deliveries, forwarder, logs, owed, state, backOffPassed } = await setUp('https://127.0.0.1:1');
    const [old] = await owed('hu-nrm', 1, 8 * 24 * 3_600_000);
    const [recent] = await owed('hu-nrm', 1, 60_000);

    expect(await forwarder.forward()).toBe(0); // the peer is unreachable
    expect(await state(old!)).toMatchObject({ abandoned: true, sent: false });
    expect(await state(recent!)).toMatchObject({ abandoned: false, attempts: 1, waiting: true });
    expect(logs.lines.map((l) => JSON.parse(l).msg)).toContain('receipt to the peer abandoned after a week of trying');
    await backOffPassed();
    expect((await deliveries.peerReceiptsDue(50)).map((d) => d.deliveryId)).toEqual([recent]);
  });
});
