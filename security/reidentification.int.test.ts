/**
 * Finding 7 (in part) and finding 3's rate limit: guessing names against
 * `POST /v1/pseudonyms` is limited per certificate and audited; administrators need the
 * consent-officer role for it; consents cannot be back-dated by years, and the form's own
 * date is kept apart from validFrom; and one certificate
 * cannot ask faster than its rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSENT } from '../demo/participants.ts';
import { createTestPki, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('the re-identification oracle, and request rates', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki, overrides: { limits: { pseudonymsPerHour: 3, requestsPerSecond: 5, burst: 20 } } });
  });
  afterAll(() => gw?.close());
  const guess = (cert: Parameters<TestGateway['as']>[0], n: number) =>
    gw.as(cert).post('/v1/pseudonyms', { identity: { givenName: 'Guess', familyName: `Number${n}`, dateOfBirth: '1990-01-01' } });

  it('computes a few pseudonyms per certificate per hour, audits who asked (never about whom), and then answers 429', async () => {
    const moi = pki.participant('BG-MOI');
    for (let n = 0; n < 3; n++) expect((await guess(moi, n)).status).toBe(200);
    const fourth = await guess(moi, 3);
    expect([fourth.status, fourth.body.code]).toEqual([429, 'GW_RATE_LIMITED']);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(60);
    expect((await guess(pki.participant('BG-SAA'), 0)).status).toBe(200); // per certificate
    const { rows } = await gw.db.query<{ actor: string; details: unknown }>(`SELECT actor, details FROM audit_log WHERE action = 'pseudonym.computed' ORDER BY seq`);
    expect(rows.map((r) => r.actor)).toEqual(['participant:BG-MOI', 'participant:BG-MOI', 'participant:BG-MOI', 'participant:BG-SAA']);
    expect(JSON.stringify(rows)).not.toMatch(/Guess|Number/);
  });

  it('lets an administrator compute pseudonyms only as a consent officer', async () => {
    expect((await guess(pki.admin, 9)).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await guess(pki.consentOfficer, 9)).status).toBe(200);
  });

  it('refuses a consent back-dated by more than the grace for late paper forms', async () => {
    const officer = gw.as(pki.consentOfficer);
    const old = await officer.post('/v1/consents', { ...DEMO_CONSENT, validFrom: '2000-01-01T00:00:00Z' });
    expect([old.status, old.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(old.body.violations).toContainEqual(expect.objectContaining({ pointer: '/validFrom' }));
    const late = await officer.post('/v1/consents', { ...DEMO_CONSENT, validFrom: new Date(Date.now() - 10 * 86_400_000).toISOString() });
    expect(late.status, late.text).toBe(201);
  });

  it('records the day the form was signed apart from validFrom: never ahead of today or of validFrom, though it may be long past', async () => {
    const officer = gw.as(pki.consentOfficer);
    const now = new Date().toISOString();
    const ahead = await officer.post('/v1/consents', { ...DEMO_CONSENT, validFrom: now, evidence: { ...DEMO_CONSENT.evidence, signedOn: '2099-01-01' } });
    expect([ahead.status, ahead.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(ahead.body.violations).toContainEqual(expect.objectContaining({ pointer: '/evidence/signedOn', message: 'is in the future' }));
    const before = await officer.post('/v1/consents', {
      ...DEMO_CONSENT, validFrom: new Date(Date.now() - 5 * 86_400_000).toISOString(), evidence: { ...DEMO_CONSENT.evidence, signedOn: now.slice(0, 10) },
    });
    expect(before.body.violations).toContainEqual(expect.objectContaining({ pointer: '/evidence/signedOn', message: 'is after validFrom' }));
    const old = await officer.post('/v1/consents', { ...DEMO_CONSENT, validFrom: now, evidence: { ...DEMO_CONSENT.evidence, signedOn: '2024-03-15' } });
    expect(old.status, old.text).toBe(201);
    expect(old.body.receipt.evidence.signedOn).toBe('2024-03-15');
  });

  it('answers a certificate asking faster than its rate with 429 and Retry-After, and others still get through', async () => {
    const saa = gw.as(pki.participant('BG-NGO-ANIMUS'));
    const answers = await Promise.all(Array.from({ length: 40 }, () => saa.get('/v1/participants')));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body).toMatchObject({ code: 'GW_RATE_LIMITED', retryable: true });
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await gw.as(pki.participant('BG-NCCTHB')).get('/v1/participants')).status).toBe(200);
  });
});
