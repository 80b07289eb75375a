/** Finding 4, the tail: a webhook URL that keeps failing is suspended, not retried for every event forever. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchangeStore, createWebhookStore, WEBHOOK_SUSPEND_AFTER } from '../gateway/index.ts';
import { openTestDatabase } from '../testing/test-gateway.ts';

describe('a webhook that keeps failing', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
  });
  afterAll(() => db?.dispose());

  it(`is suspended after ${WEBHOOK_SUSPEND_AFTER} final failures in a row, gets no more notifications, and says so; a success starts the count again`, async () => {
    const webhooks = createWebhookStore(db);
    const hook = await webhooks.register('BG-MOI', 'https://93.184.215.14/hook', 'participant:BG-MOI');
    for (let i = 0; i < WEBHOOK_SUSPEND_AFTER - 1; i++) expect(await webhooks.failedForGood(hook.id)).toBe(false);
    await webhooks.notified(hook.id); // one success: the count starts again
    for (let i = 0; i < WEBHOOK_SUSPEND_AFTER - 1; i++) expect(await webhooks.failedForGood(hook.id)).toBe(false);
    expect(await webhooks.failedForGood(hook.id)).toBe(true);
    expect(await webhooks.failedForGood(hook.id)).toBe(false); // suspended once
    expect((await webhooks.list('BG-MOI'))[0]).toMatchObject({ id: hook.id, suspendedAt: expect.any(String) });

    // Events of BG-MOI's exchanges make no notification jobs for it any more.
    const id = randomUUID();
    await createExchangeStore(db).accept({
      id, sender: 'BG-MOI', messageId: `m-${id}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000001',
      createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:1',
      deliveries: [{ id: randomUUID(), recipient: 'BG-NCCTHB', expiresAt: null }], response: { id } as never, actor: 'participant:BG-MOI', auditDetails: {},
    });
    const jobs: unknown[] = [];
    await webhooks.dispatch(100, async (batch) => void jobs.push(...batch));
    expect(jobs).toEqual([]);

    // Registered again, it is a new webhook and is notified.
    await webhooks.remove('BG-MOI', hook.id, 'participant:BG-MOI');
    const again = await webhooks.register('BG-MOI', 'https://93.184.215.14/hook', 'participant:BG-MOI');
    expect(again.suspendedAt).toBeUndefined();
  });
});
