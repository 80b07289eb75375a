/**
 * Finding 11: people without documents. A subject whose identity cannot give a pseudonym (no
 * date of birth) gets one the gateway issues — random, recorded with the acceptance, told to
 * the sender for the case thread — instead of a refusal that pushed senders to invent their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('a subject without documents', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki });
  });
  afterAll(() => gw?.close());
  const moi = () => gw.as(pki.participant('BG-MOI'));

  it('gets a gateway-issued pseudonym, in the envelope, the answer and the record, the same on a replay', async () => {
    const message = freshExample('Alert');
    delete message.payload.subject.identity.dateOfBirth;
    const first = await moi().post('/v1/exchanges', message);
    expect(first.status, first.text).toBe(202);
    const issued = first.body.subjectPseudonym as string;
    expect(issued).toMatch(/^psn_[A-Za-z0-9_-]{43}$/);
    const { rows } = await gw.db.query<{ pseudonym: string }>(`SELECT envelope->'payload'->'subject'->>'pseudonym' AS pseudonym FROM exchanges WHERE id = $1`, [first.body.id]);
    expect(rows).toEqual([{ pseudonym: issued }]);
    const recorded = await gw.db.query(`SELECT issued_to, exchange_id FROM issued_pseudonyms WHERE pseudonym = $1`, [issued]);
    expect(recorded.rows).toEqual([{ issued_to: 'BG-MOI', exchange_id: first.body.id }]);
    const replay = await moi().post('/v1/exchanges', message);
    expect([replay.status, replay.body.subjectPseudonym]).toEqual([202, issued]);
    expect((await gw.db.query(`SELECT 1 FROM issued_pseudonyms WHERE issued_to = 'BG-MOI'`)).rows).toHaveLength(1);
  });

  it('keeps the issued pseudonym on the next message of the case thread, and issues a different one for another person', async () => {
    const first = freshExample('Alert');
    delete first.payload.subject.identity.dateOfBirth;
    const issued = (await moi().post('/v1/exchanges', first)).body.subjectPseudonym as string;
    const next = freshExample('Alert');
    next.correlationId = first.correlationId;
    delete next.payload.subject.identity.dateOfBirth;
    next.payload.subject.pseudonym = issued;
    const again = await moi().post('/v1/exchanges', next);
    expect(again.status).toBe(202);
    expect(again.body).not.toHaveProperty('subjectPseudonym');
    const other = freshExample('Alert');
    delete other.payload.subject.identity.dateOfBirth;
    expect((await moi().post('/v1/exchanges', other)).body.subjectPseudonym).not.toBe(issued);
  });

  it('still computes the pseudonym of a documented person, and tells nobody anything new', async () => {
    const documented = await moi().post('/v1/exchanges', freshExample('Alert'));
    expect(documented.status).toBe(202);
    expect(documented.body).not.toHaveProperty('subjectPseudonym');
  });
});
