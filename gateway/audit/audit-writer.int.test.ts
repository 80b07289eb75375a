import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, openTestDatabase, STORE_KINDS } from '../../testing/test-gateway.ts';
import { AUDIT_ACTIONS } from './audit-writer.ts';
import { appendAudit, createAuditStore, createDeliveryStore, createExchangeStore, createWebhookStore } from '../store/index.ts';

describe('the audit log has one writer', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase('postgresql');
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const entries = async (action: string) =>
    (await db.query<{ actor: string; details: Record<string, unknown> }>('SELECT actor, details FROM audit_log WHERE action = $1 ORDER BY seq', [action])).rows;

  it('records cancels, dead-letter actions and webhook changes with the change, and nothing when nothing changed', async () => {
    const exchangeId = randomUUID();
    const deliveryIds = [randomUUID(), randomUUID()];
    await createExchangeStore(db).accept({
      id: exchangeId, sender: 'BG-MOI', messageId: `m-${exchangeId}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000002',
      createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id: exchangeId }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:1',
      deliveries: deliveryIds.map((id, i) => ({ id, recipient: ['BG-NCCTHB', 'BG-SACP'][i]!, expiresAt: null })),
      response: { id: exchangeId } as never, actor: 'participant:BG-MOI', auditDetails: {},
    });
    const deliveries = createDeliveryStore(db);
    expect(await deliveries.cancel(exchangeId, 'participant:BG-MOI', 'sent in error')).toHaveLength(2);
    expect(await deliveries.cancel(exchangeId, 'participant:BG-MOI', 'again')).toEqual([]);
    expect(await entries('exchange.cancelled')).toEqual([{ actor: 'participant:BG-MOI', details: { cancelled: expect.arrayContaining(deliveryIds), reason: 'sent in error' } }]);

    expect(await deliveries.retryDeadLetters({}, 'admin:operator')).toEqual([]);
    expect(await deliveries.discardDeadLetter(deliveryIds[0]!, 'not a dead letter', 'admin:operator')).toBe(false);
    expect([...(await entries('dead-letter.retried')), ...(await entries('dead-letter.discarded'))]).toEqual([]);
    // A fixture: the cancelled delivery made a dead letter behind the rules' back (the database allows no such move).
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query("UPDATE deliveries SET status = 'failed' WHERE id = $1", [deliveryIds[0]]);
    });
    expect(await deliveries.discardDeadLetter(deliveryIds[0]!, 'the shelter closed', 'admin:operator')).toBe(true);
    expect(await entries('dead-letter.discarded')).toEqual([{ actor: 'admin:operator', details: { deliveryId: deliveryIds[0], reason: 'the shelter closed' } }]);

    const webhooks = createWebhookStore(db);
    const hook = await webhooks.register('BG-MOI', 'https://localhost/hook', 'participant:BG-MOI');
    expect(await webhooks.remove('BG-SACP', hook.id, 'participant:BG-SACP')).toBe(false);
    expect(await webhooks.remove('BG-MOI', hook.id, 'participant:BG-MOI')).toBe(true);
    expect(await entries('webhook.registered')).toHaveLength(1);
    expect(await entries('webhook.removed')).toEqual([{ actor: 'participant:BG-MOI', details: { webhookId: hook.id } }]);
  });

  it('is the only code that writes audit rows', () => {
    const files = execFileSync('git', ['grep', '-l', '-i', 'insert into audit_log', '--', '*.ts', ':!*.test.ts'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(['gateway/audit/audit-writer.ts']);
    expect(readFileSync(new URL('./audit-writer.ts', import.meta.url), 'utf8')).toContain('export const AUDIT_ACTIONS');
    // The database writes one kind itself: a delivery's outcome, from its status (migration 019).
    const sql = execFileSync('git', ['grep', '-l', '-i', 'insert into audit_log', '--', '*.sql'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).trim().split('\n');
    expect(sql).toEqual(['gateway/store/migrations/019_audit_chain.sql']);
  });

  it('lists in the contract every action it writes', () => {
    expect(new Set((contract.document as any).components.schemas.AuditAction.enum)).toEqual(new Set(AUDIT_ACTIONS));
  });

  it('records a delivery\'s outcome as its status changes, and not its attempts', async () => {
    const exchangeId = randomUUID();
    const deliveryId = randomUUID();
    await createExchangeStore(db).accept({
      id: exchangeId, sender: 'BG-MOI', messageId: `m-${exchangeId}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000003',
      createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id: exchangeId }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:2',
      deliveries: [{ id: deliveryId, recipient: 'BG-SACP', expiresAt: null }], response: { id: exchangeId } as never, actor: 'participant:BG-MOI', auditDetails: {},
    });
    for (const status of ['queued', 'delivering', 'retrying', 'delivering', 'delivered']) await db.query('UPDATE deliveries SET status = $2 WHERE id = $1', [deliveryId, status]);
    const { rows } = await db.query<{ actor: string; action: string; details: unknown }>('SELECT actor, action, details FROM audit_log WHERE exchange_id = $1 ORDER BY seq', [exchangeId]);
    expect(rows).toEqual([
      { actor: 'participant:BG-MOI', action: 'exchange.accepted', details: {} },
      { actor: 'gateway', action: 'delivery.delivered', details: { deliveryId, recipient: 'BG-SACP' } },
    ]);
  });
});

describe.each(STORE_KINDS)('the audit chain on %s', (kind) => {
  it('chains entries in the order their transactions finished, each once', async () => {
    const db = await openTestDatabase(kind);
    try {
      const store = createAuditStore(db);
      for (const n of [1, 2, 3]) await appendAudit(db, { actor: 'gateway', action: 'pseudonym.computed', details: { n } });
      expect(await store.chain(2)).toBe(2);
      expect(await store.pending()).toEqual({ count: 1, oldest: expect.any(Date) });
      expect(await store.chain(100)).toBe(1);
      expect(await store.chain(100)).toBe(0);
      expect((await store.log(0, 10)).map((r) => [r.position, r.entry?.details.n])).toEqual([[0, 1], [1, 2], [2, 3]]);
    } finally {
      await db.dispose();
    }
  });
});
