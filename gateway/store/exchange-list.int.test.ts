/**
 * The exchange listing on real PostgreSQL, held against the plainest statement of what a
 * viewer may see (sender, or a recipient of a delivery; a status of a delivery the viewer may
 * see): every viewer — an administrator, a sender, a recipient, a participant with none —
 * with and without a case thread and a status filter, page after page by the cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../testing/test-gateway.ts';
import { fillExchanges } from '../../testing/fill-exchanges.ts';
import { createExchangeStore, migrate, openDatabase } from './index.ts';
import type { Database } from './database.ts';
import type { DeliveryStatus } from '../../schemas/index.ts';

describe('listing exchanges', () => {
  let created: { url: string; drop(): Promise<void> };
  let db: Database;
  beforeAll(async () => {
    created = await createPostgresDatabase();
    db = await openDatabase({ url: created.url });
    await migrate(db);
    await fillExchanges(created.url, 3000);
  });
  afterAll(async () => {
    await db?.close();
    await created?.drop();
  });

  /** What `viewer` may see, newest first: the definition, without regard to speed. */
  const reference = async (viewer: string | null, correlationId: string | undefined, status: DeliveryStatus | undefined) => (await db.query<{ id: string }>(
    `SELECT e.id FROM exchanges e
      WHERE ($1::text IS NULL OR e.sender = $1 OR EXISTS (SELECT 1 FROM deliveries v WHERE v.exchange_id = e.id AND v.recipient = $1))
        AND ($2::text IS NULL OR e.correlation_id = $2)
        AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM deliveries s WHERE s.exchange_id = e.id AND s.status = $3 AND ($1::text IS NULL OR e.sender = $1 OR s.recipient = $1)))
      ORDER BY e.seq DESC`, [viewer, correlationId ?? null, status ?? null],
  )).rows.map((r) => r.id);

  it.each([
    ['a status with few deliveries read from them, one with many by walking the participant\'s', 20_000],
    ['every status by walking the participant\'s', 1],
  ])('gives every viewer, filter and page exactly what the definition gives: %s', async (_, rareStatusRows) => {
    const store = createExchangeStore(db, { rareStatusRows });
    let compared = 0;
    for (const viewer of [null, 'BG-NCCTHB', 'BG-NGO-ANIMUS', 'BG-SACP', 'BG-MOI', 'BG-SAA']) {
      for (const correlationId of [undefined, 'fill-case-120']) {
        for (const status of [undefined, 'failed', 'acknowledged'] as const) {
          const expected = await reference(viewer, correlationId, status);
          const got: string[] = [];
          let beforeSeq: bigint | undefined;
          // Pages of 37, the first four (or to the end).
          for (let page = 0; page < 4; page += 1) {
            const items = await store.list({ viewer, ...(correlationId ? { correlationId } : {}), ...(status ? { status } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}), limit: 37 });
            got.push(...items.map((e) => e.id));
            if (items.length < 37) break;
            beforeSeq = items.at(-1)!.seq;
          }
          expect(got, `${viewer} ${correlationId} ${status}`).toEqual(expected.slice(0, got.length));
          expect(got.length, `${viewer} ${correlationId} ${status}`).toBe(Math.min(expected.length, 4 * 37));
          compared += got.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it('shows each viewer only its own delivery of an exchange', async () => {
    const store = createExchangeStore(db);
    const [mine] = await store.list({ viewer: 'BG-NGO-ANIMUS', status: 'failed', limit: 1 });
    expect(mine!.deliveries.map((d) => [d.recipient, d.status])).toEqual([['BG-NGO-ANIMUS', 'failed']]);
    expect(await store.list({ viewer: 'BG-SAA', limit: 10 })).toEqual([]);
  });
});
