import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { example, uniqueId } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { mapping } from './mapping.ts';
import type { SaaSimulator } from './simulator.ts';
import { DIRECTORIES } from './transport.ts';

describe('saa adapter against the gateway (SFTP batches)', () => {
  let system: TestSystem;
  const saa = () => system.running.agencies.get('BG-SAA')!.system as SaaSimulator;

  beforeAll(async () => {
    system = await startTestSystem({ overrides: { demoProtocols: 'native', demoPartner: false } });
  });
  afterAll(() => system?.close());

  it('writes a referral as an SAA file; the agency\'s acknowledgement file becomes the receipt', async () => {
    const { id, messageId } = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
    await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    const [name, document] = [...saa().documents].find(([, d]) => d.documentNumber === messageId)!;
    expect(name).toBe(`RG_BG-NCCTHB_${messageId}.json`);
    expect(document).toMatchObject({ documentKind: 'NAPRAVLENIE', beneficiary: { givenName: 'Desislava' } });
    // Turned into the receipt, then cleared away (just after the receipt is recorded).
    await vi.waitFor(() => expect(readdirSync(join(saa().directory, DIRECTORIES.fromGatewayAck))).toEqual([]), { timeout: 5_000, interval: 20 });
  });

  it('retries while the SFTP server is down, then delivers', async () => {
    await saa().stop();
    try {
      const { id } = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      await system.settle(id, 'BG-NCCTHB', ['retrying']);
      await saa().start();
      await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    } finally {
      await saa().start().catch(() => {});
    }
  });

  it('reads a batch: accepts the good files once, rejects the malformed one, acknowledges each, and moves them aside', async () => {
    const documents = Array.from({ length: 4 }, () => {
      const update = example('CaseUpdate');
      update.messageId = uniqueId('asp');
      return { messageId: update.messageId as string, document: mapping.toNative({ ...update, id: 'x' }, { deliveryId: 'none', envelopeDigest: 'none' }) };
    });
    const names = saa().drop([...documents.map((d) => d.document), { contentType: 'application/json', body: '{"documentKind": "NAPRAVLENIE", ' }]);
    const ackOf = (name: string) => join(saa().directory, DIRECTORIES.toGatewayAck, `${name}.ack.json`);
    await vi.waitFor(() => expect(names.every((n) => existsSync(ackOf(n)))).toBe(true), { timeout: 15_000, interval: 100 });
    const acks = names.map((n) => JSON.parse(readFileSync(ackOf(n), 'utf8')) as { status: string; code?: string });
    expect(acks.map((a) => a.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'REJECTED']);
    expect(acks[4]).toMatchObject({ code: 'NATIVE_MALFORMED' });
    await vi.waitFor(() => {
      expect(readdirSync(join(saa().directory, DIRECTORIES.processed))).toEqual(expect.arrayContaining(names.slice(0, 4)));
      expect(readdirSync(join(saa().directory, DIRECTORIES.rejected))).toContain(names[4]);
    });
    for (const { messageId } of documents) {
      const count = await system.running.db.query<{ n: string }>('SELECT count(*) AS n FROM exchanges WHERE sender = $1 AND message_id = $2', ['BG-SAA', messageId]);
      expect(Number(count.rows[0]!.n)).toBe(1);
    }
  });
});
