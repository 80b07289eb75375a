/**
 * Finding 10: dates that cannot be true are refused with a pointer — an identification, a
 * completed measure or a birth after today — and a date of birth in the future does not
 * make anyone a child. Dates that may lie ahead are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('dates that cannot be true', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
  });
  afterAll(() => gw?.close());
  const post = (sender: string, message: unknown) => gw.as(pki.participant(sender)).post('/v1/exchanges', message);

  it.each([
    ['an identification a year ahead', 'Alert', 'BG-MOI', (m: any) => (m.payload.detectedOn = inDays(365)), '/payload/detectedOn'],
    ['a date of birth in the future (not a child: a mistake)', 'Alert', 'BG-MOI', (m: any) => (m.payload.subject.identity.dateOfBirth = inDays(30)), '/payload/subject/identity/dateOfBirth'],
    ['a measure completed next month', 'CaseUpdate', 'BG-NGO-ANIMUS', (m: any) => (m.payload.measures[0].completedOn = inDays(30)), '/payload/measures/0/completedOn'],
    ['a createdAt a year ahead', 'Alert', 'BG-MOI', (m: any) => (m.createdAt = new Date(Date.now() + 365 * 86_400_000).toISOString()), '/createdAt'],
  ] as const)('refuses %s, naming it', async (_name, example, sender, change, pointer) => {
    const message = freshExample(example);
    change(message);
    const response = await post(sender, message);
    expect([response.status, response.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer }));
  });

  it('takes today\'s dates, and a measure that only starts later', async () => {
    const today = freshExample('Alert');
    today.payload.detectedOn = inDays(0);
    expect((await post('BG-MOI', today)).status).toBe(202);
    const update = freshExample('CaseUpdate');
    update.payload.measures[1].startedOn = inDays(0);
    update.payload.measures[0].completedOn = inDays(0);
    const taken = await post('BG-NGO-ANIMUS', update);
    expect(taken.status, taken.text).toBe(202);
  });
});
