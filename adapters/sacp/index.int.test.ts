import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, uniqueId } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { mapping } from './mapping.ts';
import type { SacpSimulator } from './simulator.ts';

describe('sacp adapter against the gateway (REST, receipts by callback)', () => {
  let system: TestSystem;
  const agency = () => system.running.agencies.get('BG-SACP')!.system as SacpSimulator;
  const childReferral = (m: any) => {
    m.recipients = ['BG-SACP'];
    m.payload.subject.child = { age: 15, unaccompanied: true, guardian: { status: 'appointed', organisation: 'Child protection department Vidin (synthetic)' } };
  };

  beforeAll(async () => {
    system = await startTestSystem({ overrides: { demoProtocols: 'native', demoPartner: false } });
  });
  afterAll(() => system?.close());

  it('notifies SACP about a child in its own terms, and is acknowledged only when SACP calls back', async () => {
    agency().callBack(false);
    const { id, messageId } = await system.submit('Referral', childReferral);
    await system.settle(id, 'BG-NCCTHB', ['delivered']);
    const notification = agency().notifications.get(messageId)!;
    expect(notification).toMatchObject({
      notificationType: 'REFERRAL',
      child: { firstName: 'Desislava', age: 15, unaccompanied: true },
      guardian: { status: 'APPOINTED' },
      childProtectionDepartment: 'Child protection department Vidin (synthetic)',
      bestInterestsAssessment: { riskLevel: 'high' },
    });
    agency().callBack(true);
    const exchange = await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    expect(exchange.deliveries[0].receipt).toBeTruthy();
  });

  it('retries while SACP is down, then delivers', async () => {
    await agency().stop();
    try {
      const { id } = await system.submit('Referral', childReferral);
      await system.settle(id, 'BG-NCCTHB', ['retrying']);
      await agency().start();
      await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    } finally {
      await agency().start().catch(() => {});
    }
  });

  it('forwards a notification SACP sends, and refuses a malformed or invalid one with a clear error', async () => {
    const update = example('CaseUpdate');
    update.messageId = uniqueId('sacp');
    update.sender = 'BG-SACP';
    const document = mapping.toNative({ ...update, id: 'not-sent' }, { deliveryId: 'none', envelopeDigest: 'none' });
    const answer = await agency().send(document);
    expect(answer).toMatchObject({ accepted: true });
    expect(JSON.parse(answer.detail)).toMatchObject({ state: 'FORWARDED', notificationId: update.messageId });

    const malformed = await agency().send({ ...document, body: document.body.slice(0, 100) });
    expect(JSON.parse(malformed.detail)).toMatchObject({ state: 'REJECTED', errorCode: 'NATIVE_MALFORMED' });
    const invalid = JSON.parse(document.body);
    invalid.messageId = undefined;
    invalid.notificationId = uniqueId('sacp');
    delete invalid.caseRef;
    const refused = await agency().send({ ...document, body: JSON.stringify(invalid) });
    expect(JSON.parse(refused.detail)).toMatchObject({ state: 'REJECTED', errorCode: 'NATIVE_INVALID', errorDescription: expect.stringContaining('/caseRef') });
    const count = await system.running.db.query<{ n: string }>('SELECT count(*) AS n FROM exchanges WHERE sender = $1 AND message_id = $2', ['BG-SACP', invalid.notificationId]);
    expect(Number(count.rows[0]!.n)).toBe(0);
  });
});
