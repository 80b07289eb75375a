import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, openTestDatabase, STORE_KINDS } from '../../testing/test-gateway.ts';
import { createExchangeStore, type ExchangeRecord } from './exchange-store.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Database } from './database.ts';

function record(overrides: Partial<ExchangeRecord> = {}): ExchangeRecord {
  const id = randomUUID();
  const recipients = ['BG-NCCTHB', 'BG-SACP'];
  return {
    id, sender: 'BG-MOI', messageId: `m-${randomUUID()}`, type: 'alert', schemaVersion: '1.0', correlationId: 'case-00000001',
    createdAt: '2026-11-20T08:00:00Z', acceptedAt: new Date(), envelope: { id }, envelopeDigest: 'sha256:0', seal: 'h..s',
    requestDigest: 'sha256:1', deliveries: recipients.map((recipient) => ({ id: randomUUID(), recipient, expiresAt: null })),
    response: { id } as never, actor: 'participant:BG-MOI', auditDetails: {},
    ...overrides,
  };
}

/** Every migration in the folder, in order. */
const MIGRATIONS = readdirSync(new URL('./migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort();

describe.each(STORE_KINDS)('the store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it('applies each migration once', async () => {
    db = await openTestDatabase(kind);
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
    expect(MIGRATIONS).toContain('004_consents');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS);
  });

  it('accepts once, replays an identical submission, and reports a different one as a conflict', async () => {
    db = await openTestDatabase(kind);
    const store = createExchangeStore(db);
    const first = record();
    expect(await store.accept(first)).toEqual({ outcome: 'accepted', response: first.response });
    expect(await store.accept({ ...first, id: randomUUID() })).toEqual({ outcome: 'replayed', response: first.response });
    expect(await store.accept({ ...first, requestDigest: 'sha256:other' })).toEqual({ outcome: 'conflict' });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchanges');
    expect(rows[0]!.n).toBe(1);
  });

  it('rolls the whole acceptance back when one insert fails', async () => {
    db = await openTestDatabase(kind);
    const store = createExchangeStore(db);
    // Two deliveries to the same recipient break UNIQUE (exchange_id, recipient) after the exchange row is written.
    const broken = record({ deliveries: [{ id: randomUUID(), recipient: 'BG-SACP', expiresAt: null }, { id: randomUUID(), recipient: 'BG-SACP', expiresAt: null }] });
    await expect(store.accept(broken)).rejects.toThrow();
    const { rows } = await db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM exchanges) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM idempotency_keys) + (SELECT count(*) FROM audit_log) AS n',
    );
    expect(Number(rows[0]!.n)).toBe(0);
    expect((await store.accept(record({ messageId: broken.messageId }))).outcome).toBe('accepted');
  });
});

describe('migrations on PostgreSQL', () => {
  it('let several gateway processes start at once against one database', async () => {
    const created = await createPostgresDatabase();
    const dbs: Database[] = await Promise.all([1, 2, 3].map(() => openDatabase({ url: created.url, maxConnections: 2 })));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await created.drop();
    }
  });

  it('reports an unreachable server as the store being unavailable', async () => {
    await expect(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'GW_STORE_UNAVAILABLE' });
  });
});
