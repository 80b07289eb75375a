/**
 * Finding 11: people without documents. A subject whose identity cannot give a pseudonym (no
 * date of birth) gets one the gateway issues — random, recorded with the acceptance, told to
 * the sender for the case thread — instead of a refusal that pushed senders to invent their own;
 * once the identity is established, a consent officer links it to the computed pseudonym.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSENT } from '../demo/participants.ts';
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

  it('links an issued pseudonym to the computed one once the identity is established: then a consent under either covers the other', async () => {
    const established = { givenName: 'Radka', familyName: 'Izmislena', dateOfBirth: '2001-05-09' };
    const first = freshExample('Alert');
    first.payload.subject.identity = { givenName: 'Radka', familyName: 'Izmislena' };
    const issued = (await moi().post('/v1/exchanges', first)).body.subjectPseudonym as string;
    const officer = gw.as(pki.consentOfficer);
    const consent = await officer.post('/v1/consents', { ...DEMO_CONSENT, subject: { identity: established }, validFrom: new Date().toISOString() });
    expect(consent.status, consent.text).toBe(201);

    // The thread's next message names the issued pseudonym and the consent recorded under the computed one.
    const next = () => {
      const message = freshExample('Alert');
      message.correlationId = first.correlationId;
      message.payload.subject = { pseudonym: issued, citizenship: ['BG'] };
      message.legalBasis = { consentId: consent.body.id };
      return moi().post('/v1/exchanges', message);
    };
    const before = await next();
    expect([before.status, before.body.code]).toEqual([403, 'GW_CONSENT_NOT_COVERING']);
    expect(before.body.detail).toContain('another subject');

    const path = `/v1/pseudonyms/${issued}/link`;
    expect((await moi().post(path, { identity: established })).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await officer.post('/v1/pseudonyms/psn_invented0000000000000/link', { identity: established })).body.code).toBe('GW_PSEUDONYM_NOT_ISSUED');
    const link = await officer.post(path, { identity: established });
    expect(link.status, link.text).toBe(200);
    expect(link.body).toMatchObject({ issued, pseudonym: consent.body.subject, linkedBy: 'admin:test-consent-officer' });
    expect((await officer.post(path, { identity: established })).body).toEqual(link.body);
    const other = await officer.post(path, { identity: { ...established, givenName: 'Ralitsa' } });
    expect([other.status, other.body.code]).toEqual([409, 'GW_PSEUDONYM_LINKED_ELSEWHERE']);

    const after = await next();
    expect(after.status, after.text).toBe(202);
    expect((await officer.get(`/v1/consents?subject=${issued}`)).body.items.map((c: { id: string }) => c.id)).toEqual([consent.body.id]);
    const { rows } = await gw.db.query(`SELECT actor, details FROM audit_log WHERE action = 'pseudonym.linked'`);
    expect(rows).toEqual([{ actor: 'admin:test-consent-officer', details: { issued, computed: consent.body.subject } }]);
  });
});
