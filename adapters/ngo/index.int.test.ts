import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, uniqueId } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { mapping } from './mapping.ts';
import type { NgoSimulator } from './simulator.ts';

describe('ngo adapter against the gateway (HMAC-signed webhooks)', () => {
  let system: TestSystem;
  const shelter = () => system.running.agencies.get('BG-NGO-ANIMUS')!.system as NgoSimulator;
  const accepted = async (messageId: string) =>
    Number((await system.running.db.query<{ n: string }>('SELECT count(*) AS n FROM exchanges WHERE sender = $1 AND message_id = $2', ['BG-NGO-ANIMUS', messageId])).rows[0]!.n);

  beforeAll(async () => {
    system = await startTestSystem({ overrides: { demoProtocols: 'native', demoPartner: false } });
  });
  afterAll(() => system?.close());

  it('posts a referral to the shelter\'s webhook, signed; the shelter\'s answer becomes the receipt', async () => {
    const { id, messageId } = await system.submit('Referral');
    await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    expect(shelter().messages.get(messageId)).toMatchObject({ type: 'referral', sender: 'BG-NCCTHB' });
    expect(shelter().badSignatures).toBe(0);
    expect(shelter().sealsVerified).toBeGreaterThan(0);
  });

  it('retries while the shelter\'s system is down, then delivers', async () => {
    await shelter().stop();
    try {
      const { id } = await system.submit('Referral');
      await system.settle(id, 'BG-NCCTHB', ['retrying']);
      await shelter().start();
      await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    } finally {
      await shelter().start().catch(() => {});
    }
  });

  it('takes a case update the shelter signs, and refuses a wrong signature or a malformed body', async () => {
    const update = example('CaseUpdate');
    update.messageId = uniqueId('animus');
    const document = mapping.toNative({ ...update, id: 'x' }, { deliveryId: 'none', envelopeDigest: 'none' });
    const forged = await shelter().send(document, { secret: randomBytes(32) });
    expect(forged.accepted).toBe(false);
    expect(JSON.parse(forged.detail)).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(await accepted(update.messageId)).toBe(0);

    const malformed = await shelter().send({ ...document, body: '{"message": ' });
    expect(JSON.parse(malformed.detail)).toMatchObject({ status: 'refused', code: 'NATIVE_MALFORMED' });

    const answer = await shelter().send(document);
    expect(JSON.parse(answer.detail)).toMatchObject({ status: 'accepted', messageId: update.messageId });
    expect(await accepted(update.messageId)).toBe(1);
  });
});
