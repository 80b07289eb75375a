import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations } from '../schemas/index.ts';
import { toExpressPath } from './http/contract-routes.ts';
import type { Queryable } from './store/index.ts';
import { contract, createTestPki, example, freshExample, startTestGateway, STORE_KINDS, uniqueId, validators, type TestGateway } from '../testing/test-gateway.ts';

const pki = createTestPki();
const checkAcceptance = validators.schema('Acceptance');
const checkExchange = validators.schema('Exchange');
const checkProblem = validators.schema('Problem');


/** Row counts of every table an acceptance writes. */
async function counts(db: Queryable) {
  const { rows } = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*)::int FROM exchanges) AS exchanges, (SELECT count(*)::int FROM deliveries) AS deliveries,
    (SELECT count(*)::int FROM delivery_events) AS events, (SELECT count(*)::int FROM outbox) AS outbox,
    (SELECT count(*)::int FROM audit_log) AS audit, (SELECT count(*)::int FROM idempotency_keys) AS keys`);
  return rows[0]!;
}

describe.each(STORE_KINDS)('the gateway on %s', (store) => {
  let gw: TestGateway;
  const moi = () => gw.as(pki.participant('BG-MOI'));
  const nccthb = () => gw.as(pki.participant('BG-NCCTHB'));

  beforeAll(async () => {
    gw = await startTestGateway({ store, pki });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('accepting exchanges', () => {
    /** A referral about an invented 15-year-old, to the NGO shelter only. */
    const childReferral = () => {
      const message = freshExample('Referral');
      message.payload.subject.identity.dateOfBirth = '2011-03-09';
      message.payload.subject.child = { age: 15, unaccompanied: true, guardian: { status: 'not-yet-appointed' } };
      message.legalBasis = { exemption: 'child-protection', justification: 'An unaccompanied child; the shelter must take her in today.' };
      return message;
    };

    it('adds the State Agency for Child Protection, under child-protection, to a case about a child the sender did not address to it', async () => {
      const message = childReferral();
      const response = await nccthb().post('/v1/exchanges', message);
      expect(response.status, response.text).toBe(202);
      expect(response.body.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-NGO-ANIMUS', 'BG-SACP']);
      expect((await nccthb().get(`/v1/exchanges/${response.body.id}`)).body.recipients).toEqual(['BG-NGO-ANIMUS', 'BG-SACP']);
      const { rows } = await gw.db.query<{ basis: unknown; audit: unknown }>(
        `SELECT e.envelope->'recipientLegalBasis' AS basis, a.details->'addedRecipients' AS audit FROM exchanges e JOIN audit_log a ON a.exchange_id = e.id WHERE e.id = $1`,
        [response.body.id],
      );
      expect(rows[0]!.basis).toEqual({ 'BG-SACP': { exemption: 'child-protection', justification: expect.stringContaining('child') } });
      expect(rows[0]!.audit).toEqual(['BG-SACP']);
      expect((await gw.as(pki.admin).get('/v1/admin/metrics')).text).toMatch(/rg_exemptions_invoked_total\{exemption="child-protection",invoked_by="gateway"\} [1-9]/);
      // Addressed already, or sent by the agency itself: nothing added.
      const addressed = childReferral();
      addressed.recipients = ['BG-NGO-ANIMUS', 'BG-SACP'];
      expect((await nccthb().post('/v1/exchanges', addressed)).body.deliveries).toHaveLength(2);
    });

    it('needs the child information, guardian included, when the date of birth makes the subject a minor', async () => {
      const message = childReferral();
      delete message.payload.subject.child;
      const response = await nccthb().post('/v1/exchanges', message);
      expect([response.status, response.body.code, response.body.violations[0].pointer]).toEqual([400, 'GW_VALIDATION_FAILED', '/payload/subject/child']);
      const unguarded = childReferral();
      delete unguarded.payload.subject.child.guardian;
      expect((await nccthb().post('/v1/exchanges', unguarded)).body.violations).toContainEqual(expect.objectContaining({ pointer: '/payload/subject/child/guardian' }));
    });

    it('judges a subject\'s age at acceptance, and refuses a createdAt far in the future that would make a minor an adult', async () => {
      const message = freshExample('Referral');
      const born = new Date(Date.now() - (17 * 365.25 + 180) * 86_400_000); // seventeen and a half
      message.payload.subject.identity.dateOfBirth = born.toISOString().slice(0, 10);
      delete message.payload.subject.child;
      message.createdAt = new Date(Date.now() + 365 * 86_400_000).toISOString(); // by then, eighteen
      const response = await nccthb().post('/v1/exchanges', message);
      expect([response.status, response.body.code, response.body.retryable]).toEqual([400, 'GW_VALIDATION_FAILED', false]);
      expect(response.body.violations).toEqual([expect.objectContaining({ pointer: '/createdAt', message: expect.stringMatching(/ahead of the gateway's clock/) })]);
      // Within the clock-skew allowance the message is judged at acceptance: a minor, who needs the child information.
      message.createdAt = new Date(Date.now() + 60_000).toISOString();
      const minor = await nccthb().post('/v1/exchanges', message);
      expect([minor.status, minor.body.violations[0].pointer]).toEqual([400, '/payload/subject/child']);
    });

    it('checks a legal basis given for particular recipients: only recipients, only allowed exemptions', async () => {
      const stranger = freshExample('Alert');
      stranger.recipientLegalBasis = { 'BG-SAA': { exemption: 'vital-interest', justification: 'Person found in a locked van, needs protection now.' } };
      const notRecipient = await moi().post('/v1/exchanges', stranger);
      expect([notRecipient.status, notRecipient.body.violations[0].pointer]).toEqual([400, '/recipientLegalBasis/BG-SAA']);
      const update = freshExample('CaseUpdate');
      update.recipientLegalBasis = { 'BG-NCCTHB': { exemption: 'criminal-proceedings', justification: 'The prosecutor asked for the shelter stay dates.' } };
      const refused = await gw.as(pki.participant('BG-NGO-ANIMUS')).post('/v1/exchanges', update);
      expect([refused.status, refused.body.code, refused.body.violations[0].pointer]).toEqual([403, 'GW_EXEMPTION_NOT_ALLOWED', '/recipientLegalBasis/BG-NCCTHB/exemption']);
    });

    it('lets only the participant kinds the policy names invoke an exemption, and counts each one invoked', async () => {
      const ngoUpdate = freshExample('CaseUpdate');
      ngoUpdate.legalBasis = { exemption: 'criminal-proceedings', justification: 'The prosecutor asked for the shelter stay dates.' };
      const refused = await gw.as(pki.participant('BG-NGO-ANIMUS')).post('/v1/exchanges', ngoUpdate);
      expect([refused.status, refused.body.code, refused.body.violations[0].pointer]).toEqual([403, 'GW_EXEMPTION_NOT_ALLOWED', '/legalBasis/exemption']);
      expect((await gw.db.query('SELECT 1 FROM exchanges WHERE message_id = $1', [ngoUpdate.messageId])).rows).toEqual([]);
      const unjustified = freshExample('Alert');
      unjustified.legalBasis = { exemption: 'vital-interest' };
      expect((await moi().post('/v1/exchanges', unjustified)).body.violations).toContainEqual(expect.objectContaining({ pointer: '/legalBasis/justification' }));

      const police = freshExample('Alert');
      police.legalBasis = { exemption: 'criminal-proceedings', justification: 'Pre-trial proceedings opened; the coordinator must be informed.' };
      expect((await moi().post('/v1/exchanges', police)).status).toBe(202);
      expect((await moi().post('/v1/exchanges', police)).headers['idempotent-replay']).toBe('true'); // a replay is not counted again
      const metrics = (await gw.as(pki.admin).get('/v1/admin/metrics')).text;
      expect(metrics).toContain('rg_exemptions_invoked_total{exemption="criminal-proceedings",invoked_by="law-enforcement"} 1');
      const { rows } = await gw.db.query<{ basis: string }>(`SELECT details->>'legalBasis' AS basis FROM audit_log WHERE action = 'exchange.accepted' AND details->>'messageId' = $1`, [police.messageId]);
      expect(rows).toEqual([{ basis: 'criminal-proceedings' }]);
    });

    it('refuses a pseudonym that is not the one computed from the identity beside it', async () => {
      const wrong = freshExample('Alert');
      wrong.payload.subject.pseudonym = 'psn_NotTheGatewaysPseudonym0123';
      const mismatch = await moi().post('/v1/exchanges', wrong);
      expect([mismatch.status, mismatch.body.code, mismatch.body.violations[0].pointer]).toEqual([422, 'GW_PSEUDONYM_MISMATCH', '/payload/subject/pseudonym']);
      const { pseudonym } = (await moi().post('/v1/pseudonyms', { identity: wrong.payload.subject.identity })).body;
      const right = freshExample('Alert');
      right.payload.subject.pseudonym = pseudonym;
      expect((await moi().post('/v1/exchanges', right)).status).toBe(202);
      const { rows } = await gw.db.query<{ pseudonym: string }>(`SELECT envelope->'payload'->'subject'->>'pseudonym' AS pseudonym FROM exchanges WHERE message_id = $1`, [right.messageId]);
      expect(rows).toEqual([{ pseudonym }]);
    });

    const senders = { Alert: 'BG-MOI', Referral: 'BG-NCCTHB', CaseTransfer: 'BG-NCCTHB', CaseUpdate: 'BG-NGO-ANIMUS' } as const;

    it.each(Object.entries(senders))('accepts the %s example with 202, a tracking URL and one accepted delivery per recipient', async (name, sender) => {
      const message = freshExample(name as keyof typeof senders);
      const response = await gw.as(pki.participant(sender)).post('/v1/exchanges', message);
      expect(response.status).toBe(202);
      expect(checkAcceptance(response.body)).toEqual([]);
      expect(response.headers.location).toBe(response.body.trackingUrl);
      expect(response.body.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(message.recipients);

      const tracked = await gw.as(pki.participant(sender)).get(`/v1/exchanges/${response.body.id}`);
      expect(tracked.status).toBe(200);
      expect(checkExchange(tracked.body)).toEqual([]);
      expect(tracked.body.deliveries.map((d: { status: string }) => d.status)).toEqual(message.recipients.map(() => 'accepted'));
      expect(tracked.body.deliveries[0].history).toEqual([{ status: 'accepted', at: response.body.acceptedAt }]);
      expect(tracked.body).not.toHaveProperty('payload');
    });

    it('accepts a referral-response that answers a referral the responder received', async () => {
      const referral = freshExample('Referral');
      expect((await nccthb().post('/v1/exchanges', referral)).status).toBe(202);
      const answer = freshExample('ReferralResponse');
      answer.inReplyTo = referral.messageId;
      answer.correlationId = referral.correlationId;
      const response = await gw.as(pki.participant('BG-NGO-ANIMUS')).post('/v1/exchanges', answer);
      expect(response.status).toBe(202);
    });

    it('writes the exchange, its deliveries, events, outbox rows, audit entry and idempotency key together', async () => {
      const before = await counts(gw.db);
      const message = freshExample('Alert');
      message.recipients = ['BG-NCCTHB', 'BG-SACP'];
      expect((await moi().post('/v1/exchanges', message)).status).toBe(202);
      const after = await counts(gw.db);
      expect({
        exchanges: after.exchanges! - before.exchanges!, deliveries: after.deliveries! - before.deliveries!,
        events: after.events! - before.events!, outbox: after.outbox! - before.outbox!,
        audit: after.audit! - before.audit!, keys: after.keys! - before.keys!,
      }).toEqual({ exchanges: 1, deliveries: 2, events: 2, outbox: 2, audit: 1, keys: 1 });
      const audit = await gw.db.query<{ actor: string; action: string; details: Record<string, unknown> }>(
        'SELECT actor, action, details FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      expect(audit.rows[0]).toMatchObject({ actor: 'participant:BG-MOI', action: 'exchange.accepted', details: { type: 'alert', legalBasis: 'vital-interest' } });
    });
  });

  describe('refusing documents that break the contract', () => {
    type Mutation = [string, string, (m: any) => void, string, string];
    const cases: Mutation[] = [
      ['a referral without urgency', 'Referral', (m) => delete m.payload.urgency, '/payload/urgency', 'required'],
      ['an urgency outside the code list', 'Referral', (m) => (m.payload.urgency = 'asap'), '/payload/urgency', 'enum'],
      ['no recipients', 'Referral', (m) => (m.recipients = []), '/recipients', 'minItems'],
      ['the same recipient twice', 'Referral', (m) => (m.recipients = ['BG-NGO-ANIMUS', 'BG-NGO-ANIMUS']), '/recipients', 'uniqueItems'],
      ['a recipient id that is not a participant id', 'Referral', (m) => (m.recipients = ['animus']), '/recipients/0', 'pattern'],
      ['an unknown message type', 'Referral', (m) => (m.type = 'invitation'), '/type', 'discriminator'],
      ['an unknown schema version', 'Referral', (m) => (m.schemaVersion = '2.0'), '/schemaVersion', 'enum'],
      ['a messageId that is too short', 'Referral', (m) => (m.messageId = 'x1'), '/messageId', 'pattern'],
      ['a createdAt that is not a date-time', 'Referral', (m) => (m.createdAt = 'yesterday'), '/createdAt', 'format'],
      ['an envelope property the contract does not define', 'Referral', (m) => (m.priority = 'high'), '/priority', 'unevaluatedProperties'],
      ['a payload property the contract does not define', 'Referral', (m) => (m.payload.victimName = 'Nobody'), '/payload/victimName', 'additionalProperties'],
      ['a subject with neither pseudonym nor identity', 'Referral', (m) => (m.payload.subject = { languages: ['bg'] }), '/payload/subject', 'anyOf'],
      ['a malformed pseudonym', 'Referral', (m) => (m.payload.subject.pseudonym = 'Desislava'), '/payload/subject/pseudonym', 'pattern'],
      ['a date of birth in local notation', 'Referral', (m) => (m.payload.subject.identity.dateOfBirth = '02.04.1999'), '/payload/subject/identity/dateOfBirth', 'format'],
      ['a phone number without country code', 'Referral', (m) => (m.payload.subject.contact.phone = '0880000001'), '/payload/subject/contact/phone', 'pattern'],
      ['no requested services', 'Referral', (m) => (m.payload.requestedServices = []), '/payload/requestedServices', 'minItems'],
      ['a measure code outside the NRM', 'Referral', (m) => (m.payload.requestedServices[0].measure = '4.1'), '/payload/requestedServices/0/measure', 'enum'],
      ['an unknown form of exploitation', 'Referral', (m) => (m.payload.exploitation.forms = ['slavery']), '/payload/exploitation/forms/0', 'enum'],
      ['a risk assessment without a level', 'Referral', (m) => delete m.payload.riskAssessment.level, '/payload/riskAssessment/level', 'required'],
      ['a referral-response without inReplyTo', 'ReferralResponse', (m) => delete m.inReplyTo, '/inReplyTo', 'required'],
      ['a declined referral without a reason', 'ReferralResponse', (m) => (m.payload.decision = 'declined'), '/payload/declineReason', 'required'],
      ['a case closure without closure details', 'CaseUpdate', (m) => (m.payload.update = 'case-closure'), '/payload/closure', 'required'],
      ['a child aged 19', 'CaseTransfer', (m) => (m.payload.subject.child = { age: 19, unaccompanied: true, guardian: { status: 'appointed' } }), '/payload/subject/child/age', 'maximum'],
      ['a child with both a known and an uncertain age', 'CaseTransfer', (m) => (m.payload.subject.child.age = 12), '/payload/subject/child', 'oneOf'],
      ['an exemption justified in a few words', 'Alert', (m) => (m.legalBasis.justification = 'urgent'), '/legalBasis', 'oneOf'],
      ['a payload that is a string', 'Alert', (m) => (m.payload = 'see attachment'), '/payload', 'type'],
      ['an alert source outside the code list', 'Alert', (m) => (m.payload.source = 'rumour'), '/payload/source', 'enum'],
    ];

    it.each(cases)('refuses %s with 400 GW_VALIDATION_FAILED at the right pointer', async (_name, base, mutate, pointer, keyword) => {
      const message = freshExample(base as Parameters<typeof example>[0]);
      if (base === 'ReferralResponse') message.inReplyTo = uniqueId('ref');
      mutate(message);
      const sender = message.sender as string;
      const response = await gw.as(pki.participant(sender)).post('/v1/exchanges', message);
      expect(response.status).toBe(400);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      expect(checkProblem(response.body)).toEqual([]);
      expect(response.body.code).toBe('GW_VALIDATION_FAILED');
      expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer, keyword }));
    });

    it('stores nothing for any refused document', async () => {
      const before = await counts(gw.db);
      const message = freshExample('Referral');
      delete message.payload.urgency;
      await nccthb().post('/v1/exchanges', message);
      await nccthb().post('/v1/exchanges', { ...freshExample('Referral'), recipients: ['BG-NOBODY'] });
      await nccthb().post('/v1/exchanges', '{"broken":');
      expect(await counts(gw.db)).toEqual(before);
    });
  });

  describe('routing rules of the registry', () => {
    it('refuses a recipient that is not registered, naming it by pointer', async () => {
      const message = freshExample('Referral');
      message.recipients = ['BG-NGO-ANIMUS', 'BG-NOBODY'];
      const response = await nccthb().post('/v1/exchanges', message);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('GW_UNKNOWN_RECIPIENT');
      expect(response.body.violations).toEqual([expect.objectContaining({ pointer: '/recipients/1' })]);
    });

    it('refuses a type the recipient does not accept', async () => {
      const message = freshExample('Alert');
      message.recipients = ['BG-NCCTHB', 'BG-NGO-ANIMUS'];
      const response = await moi().post('/v1/exchanges', message);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE');
      expect(response.body.violations).toEqual([expect.objectContaining({ pointer: '/recipients/1' })]);
    });

    it('refuses a type the sender may not send', async () => {
      const message = freshExample('Alert');
      message.sender = 'BG-SAA';
      const response = await gw.as(pki.participant('BG-SAA')).post('/v1/exchanges', message);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('GW_SENDER_MAY_NOT_SEND_TYPE');
    });

    it('refuses a sender other than the certificate names', async () => {
      const response = await moi().post('/v1/exchanges', freshExample('Referral'));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('GW_SENDER_MISMATCH');
    });

    it('refuses an administrator as sender', async () => {
      const response = await gw.as(pki.admin).post('/v1/exchanges', freshExample('Referral'));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('GW_SENDER_MISMATCH');
    });

    it('refuses a sender addressing itself', async () => {
      const message = freshExample('Referral');
      message.recipients = ['BG-NGO-ANIMUS', 'BG-NCCTHB'];
      const response = await nccthb().post('/v1/exchanges', message);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('GW_SENDER_IS_RECIPIENT');
    });

    it('refuses an inReplyTo naming a message the sender never saw', async () => {
      const answer = freshExample('ReferralResponse');
      answer.inReplyTo = uniqueId('never-sent');
      const response = await gw.as(pki.participant('BG-NGO-ANIMUS')).post('/v1/exchanges', answer);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('GW_IN_REPLY_TO_UNKNOWN');
    });
  });

  describe('mutual TLS', () => {
    const refusals = [
      ['no client certificate', undefined, 'GW_CLIENT_CERT_MISSING'],
      ['a certificate from a foreign CA', pki.foreign, 'GW_CLIENT_CERT_UNTRUSTED'],
      ['a self-signed certificate', pki.selfSigned, 'GW_CLIENT_CERT_UNTRUSTED'],
      ['an expired certificate', pki.expired, 'GW_CLIENT_CERT_EXPIRED'],
      ['a certificate that is not valid yet', pki.notYetValid, 'GW_CLIENT_CERT_NOT_YET_VALID'],
      ['a certificate for an unregistered participant', pki.unregistered, 'GW_CLIENT_CERT_UNKNOWN_PARTICIPANT'],
      ['a certificate naming nobody', pki.anonymous, 'GW_CLIENT_CERT_UNKNOWN_PARTICIPANT'],
    ] as const;

    it.each(refusals)('refuses %s with 401 and a problem code, and stores nothing', async (_name, cert, code) => {
      const before = await counts(gw.db);
      const response = await gw.as(cert).post('/v1/exchanges', freshExample('Alert'));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(code);
      expect((await gw.as(cert).get('/v1/participants')).status).toBe(401);
      expect(await counts(gw.db)).toEqual(before);
    });

    it('is not ready until the app says everything it runs has started, though alive', async () => {
      const starting = await startTestGateway({ store: 'pglite', pki: gw.pki, markStarted: false });
      try {
        expect((await starting.as().get('/healthz')).status).toBe(200);
        const early = await starting.as().get('/readyz');
        expect(early.status).toBe(503);
        expect(early.body).toMatchObject({ code: 'GW_NOT_READY', detail: 'The gateway is still starting.' });
        starting.gateway.markStarted();
        expect((await starting.as().get('/readyz')).status).toBe(200);
      } finally {
        await starting.close();
      }
    });

    it('answers health, readiness and the contract without a certificate', async () => {
      const anonymous = gw.as();
      expect((await anonymous.get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await anonymous.get('/readyz')).body).toEqual({ status: 'ready', checks: { store: 'ok' } });
      const yaml = await anonymous.get('/openapi.yaml');
      expect(yaml.contentType).toMatch(/^application\/yaml/);
      expect(yaml.text).toBe(contract.text);
    });
  });

  describe('idempotency', () => {
    it('answers a replay of the same message with the first answer and creates nothing', async () => {
      const message = freshExample('Alert');
      const first = await moi().post('/v1/exchanges', message);
      const before = await counts(gw.db);
      const reordered = Object.fromEntries(Object.entries(message).reverse());
      const replay = await moi().post('/v1/exchanges', reordered);
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replay']).toBe('true');
      expect(first.headers['idempotent-replay']).toBeUndefined();
      expect(await counts(gw.db)).toEqual(before);
    });

    it('refuses the same messageId with a different body with 409', async () => {
      const message = freshExample('Alert');
      await moi().post('/v1/exchanges', message);
      message.payload.source = 'hotline';
      const response = await moi().post('/v1/exchanges', message);
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('GW_IDEMPOTENCY_CONFLICT');
    });

    it('keeps messageIds per sender: another sender may use the same one', async () => {
      const alert = freshExample('Alert');
      const referral = freshExample('Referral');
      referral.messageId = alert.messageId;
      expect((await moi().post('/v1/exchanges', alert)).status).toBe(202);
      expect((await nccthb().post('/v1/exchanges', referral)).status).toBe(202);
    });

    it('creates exactly one exchange when the same message arrives ten times at once', async () => {
      const message = freshExample('Alert');
      const responses = await Promise.all(Array.from({ length: 10 }, () => moi().post('/v1/exchanges', message)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const { rows } = await gw.db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchanges WHERE message_id = $1', [message.messageId]);
      expect(rows[0]!.n).toBe(1);
    });
  });

  describe('tracking', () => {
    let id: string;
    beforeAll(async () => {
      const message = freshExample('Alert');
      message.recipients = ['BG-NCCTHB', 'BG-SACP'];
      id = (await moi().post('/v1/exchanges', message)).body.id;
    });

    it('shows the sender every delivery', async () => {
      const response = await moi().get(`/v1/exchanges/${id}`);
      expect(response.body.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-NCCTHB', 'BG-SACP']);
    });

    it('shows a recipient only its own delivery', async () => {
      const response = await gw.as(pki.participant('BG-SACP')).get(`/v1/exchanges/${id}`);
      expect(response.status).toBe(200);
      expect(response.body.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-SACP']);
    });

    it('shows an administrator everything', async () => {
      expect((await gw.as(pki.admin).get(`/v1/exchanges/${id}`)).body.deliveries).toHaveLength(2);
    });

    it('answers 404 to a participant that is not a party, exactly as for an unknown id', async () => {
      const stranger = await gw.as(pki.participant('BG-SAA')).get(`/v1/exchanges/${id}`);
      const unknown = await moi().get('/v1/exchanges/00000000-0000-4000-8000-000000000000');
      const malformed = await moi().get('/v1/exchanges/not-a-uuid');
      for (const response of [stranger, unknown, malformed]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('GW_EXCHANGE_NOT_FOUND');
      }
      expect(stranger.body.detail).toBe(unknown.body.detail);
    });
  });

  describe('listing', () => {
    const correlationId = uniqueId('case');
    beforeAll(async () => {
      for (let i = 0; i < 5; i++) {
        const message = freshExample('Alert');
        message.correlationId = correlationId;
        await moi().post('/v1/exchanges', message);
      }
    });

    it('pages through a case thread newest first with an opaque cursor, without repeats', async () => {
      const seen: string[] = [];
      let path = `/v1/exchanges?correlationId=${correlationId}&limit=2`;
      let pages = 0;
      for (;;) {
        const response = await moi().get(path);
        expect(response.status).toBe(200);
        pages++;
        seen.push(...response.body.items.map((e: { id: string }) => e.id));
        if (!response.body.nextCursor) break;
        path = `/v1/exchanges?correlationId=${correlationId}&limit=2&cursor=${response.body.nextCursor}`;
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(5);
      const accepted = await Promise.all(seen.map(async (id) => (await moi().get(`/v1/exchanges/${id}`)).body.acceptedAt as string));
      expect([...accepted].sort().reverse()).toEqual(accepted);
    });

    it('shows a recipient the thread and a stranger nothing', async () => {
      expect((await nccthb().get(`/v1/exchanges?correlationId=${correlationId}`)).body.items).toHaveLength(5);
      expect((await gw.as(pki.participant('BG-SAA')).get(`/v1/exchanges?correlationId=${correlationId}`)).body.items).toEqual([]);
    });

    it('filters by delivery status', async () => {
      expect((await moi().get(`/v1/exchanges?correlationId=${correlationId}&status=accepted`)).body.items).toHaveLength(5);
      expect((await moi().get(`/v1/exchanges?correlationId=${correlationId}&status=delivered`)).body.items).toEqual([]);
    });

    it.each([
      ['a cursor it did not issue', 'cursor=bm90LWEtY3Vyc29y', 'GW_INVALID_CURSOR', '#/query/cursor'],
      ['a limit above 200', 'limit=500', 'GW_VALIDATION_FAILED', '#/query/limit'],
      ['an unknown status', 'status=lost', 'GW_VALIDATION_FAILED', '#/query/status'],
      ['an unknown parameter', 'sender=BG-MOI', 'GW_VALIDATION_FAILED', '#/query/sender'],
    ])('refuses %s with 400', async (_name, query, code, pointer) => {
      const response = await moi().get(`/v1/exchanges?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(code);
      expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer }));
    });
  });

  describe('participants', () => {
    it('lists the registry with what each accepts', async () => {
      const response = await moi().get('/v1/participants');
      expect(response.body.items.map((p: { id: string }) => p.id)).toContain('BG-SACP');
      const ngo = response.body.items.find((p: { id: string }) => p.id === 'BG-NGO-ANIMUS');
      expect(ngo.accepts.map((a: { type: string }) => a.type)).not.toContain('alert');
    });

    it('shows one participant, and 404 for an unknown one', async () => {
      expect((await moi().get('/v1/participants/BG-SAA')).body.kind).toBe('social-assistance');
      const missing = await moi().get('/v1/participants/BG-NOBODY');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('GW_PARTICIPANT_NOT_FOUND');
    });
  });

  describe('HTTP errors are problem documents', () => {
    it.each([
      ['malformed JSON', 'POST', '/v1/exchanges', '{"messageId": ', 'application/json', 400, 'GW_MALFORMED_JSON'],
      ['a form body', 'POST', '/v1/exchanges', 'a=1', 'application/x-www-form-urlencoded', 415, 'GW_UNSUPPORTED_MEDIA_TYPE'],
      ['no content type', 'POST', '/v1/exchanges', '{}', undefined, 415, 'GW_UNSUPPORTED_MEDIA_TYPE'],
      ['an unknown route', 'GET', '/v1/cases', undefined, undefined, 404, 'GW_ROUTE_NOT_FOUND'],
      ['an unknown route outside /v1', 'GET', '/admin', undefined, undefined, 404, 'GW_ROUTE_NOT_FOUND'],
      ['a wrong method', 'DELETE', '/v1/exchanges', undefined, undefined, 405, 'GW_METHOD_NOT_ALLOWED'],
      ['a wrong method on a public route', 'POST', '/healthz', undefined, undefined, 405, 'GW_METHOD_NOT_ALLOWED'],
    ])('answers %s with problem+json', async (_name, method, path, body, type, status, code) => {
      const response = await moi().send(method, path, { ...(body ? { body } : {}), headers: type ? { 'content-type': type } : {} });
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe(code);
      expect(response.body.instance).toMatch(/^urn:request:[0-9a-f-]{36}$/);
      expect(response.text).not.toMatch(/<html|at \w+ \(/i);
    });

    it('says which methods a path allows', async () => {
      expect((await moi().send('PUT', '/v1/exchanges')).headers.allow).toBe('GET, POST, HEAD');
    });

    it('refuses a body over the configured limit with 413 and stores nothing', async () => {
      const before = await counts(gw.db);
      const message = freshExample('Alert');
      message.payload.summary = 'x'.repeat(gw.config.bodyLimitBytes);
      const response = await moi().post('/v1/exchanges', message);
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('GW_PAYLOAD_TOO_LARGE');
      expect(await counts(gw.db)).toEqual(before);
    });
  });

  it('serves every route of the contract and no other', () => {
    const served = new Set<string>();
    const collect = (router: Router, prefix: string) => {
      for (const layer of router.stack as any[]) {
        if (layer.route) {
          for (const method of Object.keys(layer.route.methods)) if (method !== '_all') served.add(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
        } else if (layer.name === 'router' && layer.handle?.stack) {
          collect(layer.handle, `${prefix}${layer.slash ? '' : layer.rawPath}`);
        }
      }
    };
    collect(gw.gateway.app.router as unknown as Router, '');
    const documented = new Set(listOperations(contract.document).map((o) => `${o.method.toUpperCase()} ${toExpressPath(o.path)}`));
    expect(served.size).toBeGreaterThanOrEqual(8);
    expect([...served].sort()).toEqual([...documented].sort());
  });
});

describe('a failure in the middle of accepting', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
    // A real database failure after the exchange and its deliveries were written in the same statement.
    await gw.db.exec(`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$;
      CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox();`);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers 500 without internals and leaves no half-written exchange behind', async () => {
    const before = await counts(gw.db);
    const response = await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', freshExample('Alert'));
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('GW_INTERNAL');
    expect(response.text).not.toContain('disk full');
    expect(await counts(gw.db)).toEqual(before);
  });
});
