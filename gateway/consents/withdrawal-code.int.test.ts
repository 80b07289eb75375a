/** The withdrawal code on a consent receipt, `GET /v1/me` and the overview, over HTTP against a real store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, STORE_KINDS, type TestGateway } from '../../testing/test-gateway.ts';

const pki = createTestPki();
const DAY = 86_400_000;

/** A consent about an invented person, recorded by `BG-SACP`'s system, covering the shelter. */
function consentRequest(familyName: string) {
  return {
    subject: { identity: { givenName: 'Милена', familyName, dateOfBirth: '1998-08-08' } },
    givenBy: { kind: 'self' },
    scope: [{ recipients: ['BG-NGO-ANIMUS'], purposes: ['protection-and-assistance'], categories: ['identity', 'needs-and-services'] }],
    validFrom: new Date(Date.now() - DAY).toISOString(),
    validUntil: new Date(Date.now() + 10 * DAY).toISOString(),
    evidence: { formDigest: `sha256:${'cd'.repeat(32)}`, signedOn: new Date(Date.now() - DAY).toISOString().slice(0, 10), language: 'ro', interpreter: true },
  };
}

describe.each(STORE_KINDS)('withdrawal codes on %s', (store) => {
  let gw: TestGateway;
  const as = (id: string) => gw.as(pki.participant(id));
  const record = async (familyName: string) => {
    const response = await as('BG-SACP').post('/v1/consents', consentRequest(familyName));
    expect(response.status, response.text).toBe(201);
    return response.body as { id: string; withdrawalCode: string };
  };

  beforeAll(async () => {
    gw = await startTestGateway({ store, pki });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('are given once, in the answer to recording, and kept only as a hash', async () => {
    const { id, withdrawalCode } = await record('Кодова');
    expect(withdrawalCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const read = await as('BG-SACP').get(`/v1/consents/${id}`);
    expect(read.body.withdrawalCode).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(withdrawalCode);
    const { rows } = await gw.db.query<Record<string, unknown>>('SELECT * FROM consents WHERE id = $1', [id]);
    expect(JSON.stringify(rows[0])).not.toContain(withdrawalCode.replace(/-/g, ''));
    expect(JSON.stringify(rows[0])).not.toContain(withdrawalCode);
  });

  it('let an NGO that did not record the consent withdraw it, telling it nothing about the person, and the first withdrawal stands', async () => {
    const { id, withdrawalCode } = await record('Приютска');
    const answer = await as('BG-NGO-ANIMUS').post('/v1/consents/withdraw-by-code', { code: withdrawalCode.toLowerCase(), reason: 'по молба на лицето' });
    expect(answer.status, answer.text).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['alreadyWithdrawn', 'consentId', 'status', 'withdrawnAt']);
    expect(answer.body).toMatchObject({ consentId: id, status: 'withdrawn', alreadyWithdrawn: false });
    const again = await gw.as(pki.consentOfficer).post('/v1/consents/withdraw-by-code', { code: withdrawalCode, reason: 'повторно' });
    expect(again.body).toMatchObject({ alreadyWithdrawn: true, withdrawnAt: answer.body.withdrawnAt });
    const consent = await as('BG-SACP').get(`/v1/consents/${id}`);
    expect(consent.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'по молба на лицето' });
    const { rows } = await gw.db.query(`SELECT actor, details FROM audit_log WHERE action = 'consent.withdrawn' AND details->>'consentId' = $1`, [id]);
    expect(rows).toEqual([{ actor: 'participant:BG-NGO-ANIMUS', details: { consentId: id, reason: 'по молба на лицето', via: 'withdrawal-code' } }]);
  });

  it('are refused to those the code is not for, to what cannot be a code, and to a code no receipt carries', async () => {
    const { withdrawalCode } = await record('Отказана');
    const notNgo = await as('BG-MOI').post('/v1/consents/withdraw-by-code', { code: withdrawalCode, reason: 'опит' });
    expect([notNgo.status, notNgo.body.code]).toEqual([403, 'GW_ROLE_REQUIRED']);
    const operator = await gw.as(pki.admin).post('/v1/consents/withdraw-by-code', { code: withdrawalCode, reason: 'опит' });
    expect([operator.status, operator.body.code]).toEqual([403, 'GW_ROLE_REQUIRED']);
    const malformed = await as('BG-NGO-ANIMUS').post('/v1/consents/withdraw-by-code', { code: 'ABCD-EFGH', reason: 'опит' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(malformed.body.violations).toEqual([expect.objectContaining({ pointer: '/code' })]);
    const unknown = await as('BG-NGO-ANIMUS').post('/v1/consents/withdraw-by-code', { code: '0000-0000-0000-0000', reason: 'опит' });
    expect([unknown.status, unknown.body.code, unknown.body.retryable]).toEqual([404, 'GW_WITHDRAWAL_CODE_UNKNOWN', false]);
  });

  it('are replaced when a receipt is printed again: the old code stops working, and a withdrawn consent gets none', async () => {
    const { id, withdrawalCode: old } = await record('Повторна');
    expect((await as('BG-NGO-ANIMUS').post(`/v1/consents/${id}/withdrawal-code`)).status).toBe(404); // not the shelter's consent
    const renewed = await as('BG-SACP').post(`/v1/consents/${id}/withdrawal-code`);
    expect(renewed.status, renewed.text).toBe(200);
    expect(renewed.body.withdrawalCode).not.toBe(old);
    const stale = await as('BG-NGO-ANIMUS').post('/v1/consents/withdraw-by-code', { code: old, reason: 'стар код' });
    expect(stale.body.code).toBe('GW_WITHDRAWAL_CODE_UNKNOWN');
    expect((await as('BG-NGO-ANIMUS').post('/v1/consents/withdraw-by-code', { code: renewed.body.withdrawalCode, reason: 'нов код' })).status).toBe(200);
    const afterwards = await gw.as(pki.consentOfficer).post(`/v1/consents/${id}/withdrawal-code`);
    expect([afterwards.status, afterwards.body.code]).toEqual([409, 'GW_CONSENT_WITHDRAWN']);
  });
});

describe('who the caller is, and the overview', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('tells an administrator its roles and a participant system its participant', async () => {
    const admin = await gw.as(pki.admin).get('/v1/me');
    expect(admin.body).toMatchObject({ kind: 'administrator', name: 'test-admin', roles: ['operator', 'auditor'], certificate: { serial: expect.any(String) } });
    const moi = await gw.as(pki.participant('BG-MOI')).get('/v1/me');
    expect(moi.body).toMatchObject({ kind: 'participant', roles: [], participant: { id: 'BG-MOI', kind: 'law-enforcement' } });
    expect(new Date(moi.body.certificate.validUntil).getTime()).toBeGreaterThan(Date.now());
  });

  it('counts deliveries per status and per recipient, for administrators only', async () => {
    const before = (await gw.as(pki.admin).get('/v1/admin/overview')).body;
    for (let i = 0; i < 3; i += 1) expect((await gw.as(pki.participant('BG-NCCTHB')).post('/v1/exchanges', freshExample('Referral'))).status).toBe(202);
    const after = await gw.as(pki.certificateOfficer).get('/v1/admin/overview?expiringWithinDays=7');
    expect(after.status).toBe(200);
    // No queues run in this process: the deliveries wait as accepted.
    expect(after.body.deliveries.byStatus.accepted).toBe((before.deliveries.byStatus.accepted ?? 0) + 3);
    const shelter = after.body.recipients.find((r: { participant: string }) => r.participant === 'BG-NGO-ANIMUS');
    const shelterBefore = before.recipients.find((r: { participant: string }) => r.participant === 'BG-NGO-ANIMUS');
    expect(shelter).toMatchObject({ health: 'ok', waiting: shelterBefore.waiting + 3, retrying: 0, deadLetters: 0, suspended: false });
    expect(after.body.failuresLastDay.byHour).toHaveLength(24);
    expect(after.body.expiringWithinDays).toBe(7);
    const participant = await gw.as(pki.participant('BG-MOI')).get('/v1/admin/overview');
    expect([participant.status, participant.body.code]).toEqual([403, 'GW_ROLE_REQUIRED']);
  });

  it('counts a recipient failing while its deliveries wait for a retry, and failed attempts by hour', async () => {
    const sent = await gw.as(pki.participant('BG-NCCTHB')).post('/v1/exchanges', freshExample('Referral'));
    const deliveryId = sent.body.deliveries[0].id;
    // What a worker writes after a refused attempt, straight into the store.
    await gw.db.query(`UPDATE deliveries SET status = 'queued' WHERE id = $1`, [deliveryId]);
    await gw.db.query(`UPDATE deliveries SET status = 'delivering' WHERE id = $1`, [deliveryId]);
    await gw.db.query(`UPDATE deliveries SET status = 'retrying' WHERE id = $1`, [deliveryId]);
    await gw.db.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, error) VALUES ($1, 1, now() - interval '90 minutes', 5, 'transient-error', '{"code":"HTTP_503","message":"busy"}')`,
      [deliveryId],
    );
    const overview = (await gw.as(pki.admin).get('/v1/admin/overview')).body;
    const shelter = overview.recipients.find((r: { participant: string }) => r.participant === 'BG-NGO-ANIMUS');
    expect(shelter).toMatchObject({ health: 'failing', retrying: 1, failedAttemptsLastDay: 1, lastErrorCode: 'HTTP_503' });
    expect(overview.failuresLastDay.attempts).toBe(1);
    expect(overview.failuresLastDay.byHour[22]).toBe(1); // an hour and a half ago: the hour before the last
  });
});
