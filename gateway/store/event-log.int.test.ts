import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../testing/test-gateway.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { createExchangeStore } from './exchange-store.ts';
import { createWebhookStore } from './webhook-store.ts';

describe('readers of the event log', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase('postgresql');
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('never pass an event whose transaction commits after a later one', async () => {
    const exchangeId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    await createExchangeStore(db).accept({
      id: exchangeId, sender: 'BG-MOI', messageId: `m-${exchangeId}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000001',
      createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id: exchangeId }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:1',
      deliveries: [{ id: first, recipient: 'BG-NCCTHB', expiresAt: null }, { id: second, recipient: 'BG-SACP', expiresAt: null }],
      response: { id: exchangeId } as never, actor: 'participant:BG-MOI', auditDetails: {},
    });
    const webhooks = createWebhookStore(db);
    await webhooks.register('BG-MOI', 'https://localhost/hook', 'participant:BG-MOI');
    const deliveries = createDeliveryStore(db);
    const insert = (q: { query: typeof db.query }, id: string) =>
      q.query("INSERT INTO delivery_events (delivery_id, status, at) VALUES ($1, 'queued', now())", [id]);
    const dispatched: string[] = [];
    const dispatch = () => webhooks.dispatch(100, async (jobs) => void dispatched.push(...jobs.map((j) => `${j.event.deliveryId}:${j.event.status}`)));
    await dispatch(); // the two 'accepted' events

    // The first delivery's event takes the lower id, but its transaction is still open
    // when the second delivery's event commits.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const idTaken = new Promise<void>((r) => (taken = r));
    const slow = db.transaction(async (tx) => {
      await insert(tx, first);
      taken();
      await held;
    });
    await idTaken;
    await insert(db, second);

    const during = await deliveries.events(exchangeId, 0n);
    expect(during.map((e) => e.status)).toEqual(['accepted', 'accepted']);
    await dispatch();
    expect(dispatched).toEqual([`${first}:accepted`, `${second}:accepted`]);

    release();
    await slow;
    const after = await deliveries.events(exchangeId, BigInt(during[1]!.eventId));
    expect(after.map((e) => e.deliveryId)).toEqual([first, second]);
    await dispatch();
    expect(dispatched.slice(2)).toEqual([`${first}:queued`, `${second}:queued`]);
  });
});
