/**
 * The moves a delivery may make: one list in code, the same list in the database, which
 * refuses every other move and writes the event of each one.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../schemas/index.ts';
import { openTestDatabase, STORE_KINDS } from '../../testing/test-gateway.ts';
import { createExchangeStore } from '../store/exchange-store.ts';
import { mayMove, TERMINAL, TRANSITIONS } from './status.ts';

const STATUSES = Object.keys(TRANSITIONS) as DeliveryStatus[];

describe.each(STORE_KINDS)('delivery status changes on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let deliveryId: string;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    const id = randomUUID();
    deliveryId = randomUUID();
    await createExchangeStore(db).accept({
      id, sender: 'BG-MOI', messageId: `m-${id}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000001',
      createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id }, envelopeDigest: 'sha256:0', seal: 'h..s', requestDigest: 'sha256:1',
      deliveries: [{ id: deliveryId, recipient: 'BG-NCCTHB', expiresAt: null }], response: { id } as never, actor: 'participant:BG-MOI', auditDetails: {},
    });
  });
  afterAll(() => db?.dispose());

  const events = async () =>
    (await db.query<{ status: string; detail: Record<string, unknown> }>('SELECT status, detail FROM delivery_events WHERE delivery_id = $1 ORDER BY id', [deliveryId])).rows;
  /** Puts the delivery in `status` behind the rules' back (triggers off for one statement), as a test fixture. */
  const place = (status: DeliveryStatus) =>
    db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('UPDATE deliveries SET status = $2 WHERE id = $1', [deliveryId, status]);
    });

  it('holds the same moves as the code', async () => {
    const { rows } = await db.query<{ from_status: DeliveryStatus; to_status: DeliveryStatus }>('SELECT from_status, to_status FROM delivery_transitions');
    const inDatabase = rows.map((r) => `${r.from_status}→${r.to_status}`).sort();
    const inCode = STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from}→${to}`)).sort();
    expect(inDatabase).toEqual(inCode);
    expect(TERMINAL).toEqual(['acknowledged', 'cancelled', 'withheld', 'expired']);
  });

  it('writes the acceptance event when a delivery is created', async () => {
    expect(await events()).toEqual([{ status: 'accepted', detail: {} }]);
  });

  it('allows exactly the listed moves, each writing its event with the detail given, and keeps no detail at rest', async () => {
    for (const from of STATUSES) {
      for (const to of STATUSES.filter((s) => s !== from)) {
        await place(from);
        const before = (await events()).length;
        const move = db.query('UPDATE deliveries SET status = $2, status_detail = $3::jsonb WHERE id = $1', [deliveryId, to, JSON.stringify({ test: `${from}→${to}` })]);
        if (!mayMove(from, to)) {
          await expect(move, `${from}→${to}`).rejects.toThrow(`may not move from ${from} to ${to}`);
          expect((await events()).length).toBe(before);
          continue;
        }
        await move;
        const written = (await events()).slice(before);
        // A receipt overtaking the worker: `delivered` is written before `acknowledged`.
        const expected = from === 'delivering' && to === 'acknowledged' ? ['delivered', to] : [to];
        expect(written.map((e) => e.status), `${from}→${to}`).toEqual(expected);
        expect(written.at(-1)!.detail).toEqual({ test: `${from}→${to}` });
        const { rows } = await db.query<{ status_detail: unknown }>('SELECT status_detail FROM deliveries WHERE id = $1', [deliveryId]);
        expect(rows[0]!.status_detail).toBeNull();
      }
    }
  });

  it('writes an event for a new attempt at a delivery left delivering, and none for an update that changes neither status nor detail', async () => {
    await place('delivering');
    const before = (await events()).length;
    await db.query("UPDATE deliveries SET status = 'delivering', status_detail = '{\"attempt\":2}' WHERE id = $1", [deliveryId]);
    await db.query("UPDATE deliveries SET status = 'delivering', channel = 'push' WHERE id = $1", [deliveryId]);
    expect((await events()).slice(before)).toEqual([{ status: 'delivering', detail: { attempt: 2 } }]);
  });
});

describe('delivery events', () => {
  it('are written by the database alone: no production code inserts them', () => {
    const found = execFileSync('git', ['grep', '-l', '-i', 'insert into delivery_events', '--', '*.ts', '*.sql', ':!*.test.ts'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' })
      .trim().split('\n');
    expect(found).toEqual(['gateway/store/migrations/010_delivery_status_changes.sql']);
  });
});
