import { compactVerify, importX509 } from 'jose';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../schemas/index.ts';
import { captureLogs, createTestPki, startTestGateway, STORE_KINDS, validators, type TestGateway } from './test-support.ts';

const pki = createTestPki();
const checkConsent = validators.schema('Consent');
const DAY = 86_400_000;
// Invented people only.
const desislava = { givenName: 'Десислава', familyName: 'Тестова', dateOfBirth: '1999-04-02' };
const evidence = { formDigest: `sha256:${'ab'.repeat(32)}`, language: 'bg', interpreter: false };

function consentRequest(overrides: Record<string, unknown> = {}) {
  return {
    subject: { identity: desislava },
    givenBy: { kind: 'self' },
    scope: [{ recipients: ['BG-NGO-ANIMUS'], participantKinds: ['child-protection'], purposes: ['protection-and-assistance'], categories: ['identity', 'needs-and-services'] }],
    validFrom: new Date(Date.now() - DAY).toISOString(),
    validUntil: new Date(Date.now() + 180 * DAY).toISOString(),
    evidence,
    ...overrides,
  };
}

describe.each(STORE_KINDS)('the consent registry on %s', (store) => {
  let gw: TestGateway;
  const logs = captureLogs();
  const as = (id: string) => gw.as(pki.participant(id));

  beforeAll(async () => {
    gw = await startTestGateway({ store, pki, logs: logs.stream });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('pseudonyms', () => {
    it('gives the same pseudonym for the Cyrillic and the Latin spelling, whoever asks', async () => {
      const cyrillic = await as('BG-MOI').post('/v1/pseudonyms', { identity: desislava });
      const latin = await as('BG-NGO-ANIMUS').post('/v1/pseudonyms', { identity: { givenName: 'Desislava', familyName: 'TESTOVA', dateOfBirth: '1999-04-02' } });
      expect(cyrillic.status).toBe(200);
      expect(cyrillic.body.pseudonym).toMatch(/^psn_[\w-]{43}$/);
      expect(latin.body.pseudonym).toBe(cyrillic.body.pseudonym);
    });

    it('refuses an identity without a date of birth, naming the field', async () => {
      const response = await as('BG-MOI').post('/v1/pseudonyms', { identity: { givenName: 'Desislava', familyName: 'Testova' } });
      expect([response.status, response.body.code]).toEqual([400, 'GW_IDENTITY_INSUFFICIENT']);
      expect(response.body.violations).toEqual([expect.objectContaining({ pointer: '/identity/dateOfBirth' })]);
    });
  });

  describe('recording', () => {
    it('records a consent under the subject\'s pseudonym, with a signed receipt for the person, and keeps no identity', async () => {
      const response = await as('BG-NCCTHB').post('/v1/consents', consentRequest());
      expect(response.status, response.text).toBe(201);
      expect(checkConsent(response.body)).toEqual([]);
      const pseudonym = (await as('BG-NCCTHB').post('/v1/pseudonyms', { identity: desislava })).body.pseudonym;
      expect(response.body).toMatchObject({ subject: pseudonym, recordedBy: 'participant:BG-NCCTHB', status: 'active', givenBy: { kind: 'self' } });
      expect(response.headers.location).toBe(`/v1/consents/${response.body.id}`);

      const [header] = response.body.receiptSignature.split('.');
      const sealer = new X509Certificate(Buffer.from(JSON.parse(Buffer.from(header, 'base64url').toString()).x5c[0], 'base64'));
      const { payload } = await compactVerify(response.body.receiptSignature, await importX509(sealer.toString(), 'RS256'));
      expect(Buffer.from(payload).toString()).toBe(canonicalize(response.body.receipt));
      expect(response.body.receipt).toMatchObject({ receiptType: 'consent', consentId: response.body.id, subject: pseudonym, withdrawHow: expect.stringContaining('withdraw') });

      const { rows } = await gw.db.query<{ row: string }>('SELECT c::text AS row FROM consents c WHERE id = $1', [response.body.id]);
      expect(rows[0]!.row).not.toMatch(/Десислава|Тестова|1999-04-02/);
      const audit = await gw.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'consent.recorded' AND details->>'consentId' = $1`, [response.body.id]);
      expect(audit.rows).toEqual([{ actor: 'participant:BG-NCCTHB' }]);
      expect(logs.lines.join('\n')).not.toMatch(/Десислава|Тестова|1999-04-02|Desislava/);
    });

    it('records by pseudonym, from a consent officer, with the status its dates give', async () => {
      const pseudonym = (await as('BG-MOI').post('/v1/pseudonyms', { identity: desislava })).body.pseudonym;
      const expired = await gw.as(pki.consentOfficer).post('/v1/consents', consentRequest({
        subject: { pseudonym }, validFrom: new Date(Date.now() - 10 * DAY).toISOString(), validUntil: new Date(Date.now() - DAY).toISOString(),
      }));
      expect(expired.body).toMatchObject({ status: 'expired', recordedBy: 'admin:test-consent-officer', subject: pseudonym });
      const later = await gw.as(pki.consentOfficer).post('/v1/consents', consentRequest({ subject: { pseudonym }, validFrom: new Date(Date.now() + DAY).toISOString() }));
      expect(later.body.status).toBe('not-yet-valid');
    });

    it.each([
      ['an end before the start', { validUntil: new Date(Date.now() - 2 * DAY).toISOString() }, 400, 'GW_VALIDATION_FAILED', '/validUntil'],
      ['a scope naming nobody', { scope: [{ purposes: ['coordination'], categories: ['identity'] }] }, 400, 'GW_VALIDATION_FAILED', '/scope/0'],
      ['an unknown recipient', { scope: [{ recipients: ['BG-NOBODY'], purposes: ['coordination'], categories: ['identity'] }] }, 422, 'GW_UNKNOWN_RECIPIENT', '/scope/0/recipients/0'],
      ['an unknown purpose', { scope: [{ recipients: ['BG-SAA'], purposes: ['marketing'], categories: ['identity'] }] }, 400, 'GW_VALIDATION_FAILED', '/scope/0/purposes/0'],
      ['an unknown category', { scope: [{ recipients: ['BG-SAA'], purposes: ['coordination'], categories: ['religion'] }] }, 400, 'GW_VALIDATION_FAILED', '/scope/0/categories/0'],
      ['a giver by name', { givenBy: { kind: 'self', name: 'Desislava' } }, 400, 'GW_VALIDATION_FAILED', '/givenBy/name'],
      ['no evidence', { evidence: undefined }, 400, 'GW_VALIDATION_FAILED', '/evidence'],
      ['an identity too thin for a pseudonym', { subject: { identity: { givenName: 'Desislava', familyName: 'Testova' } } }, 400, 'GW_IDENTITY_INSUFFICIENT', '/subject/identity/dateOfBirth'],
    ])('refuses %s and stores nothing', async (_name, overrides, status, code, pointer) => {
      const before = await gw.db.query<{ n: number }>('SELECT count(*)::int AS n FROM consents');
      const response = await as('BG-NCCTHB').post('/v1/consents', consentRequest(overrides));
      expect([response.status, response.body.code]).toEqual([status, code]);
      expect(response.body.violations.map((v: { pointer: string }) => v.pointer)).toContain(pointer);
      expect((await gw.db.query<{ n: number }>('SELECT count(*)::int AS n FROM consents')).rows[0]!.n).toBe(before.rows[0]!.n);
    });

    it('refuses an administrator without the consent-officer role', async () => {
      expect((await gw.as(pki.admin).post('/v1/consents', consentRequest())).body.code).toBe('GW_ROLE_REQUIRED');
    });
  });

  describe('reading and withdrawing', () => {
    let id: string;
    let subject: string;
    beforeAll(async () => {
      const recorded = await as('BG-NCCTHB').post('/v1/consents', consentRequest({ givenBy: { kind: 'guardian', organisation: 'Synthetic child protection department' } }));
      ({ id, subject } = recorded.body);
    });

    it('shows a consent to its recorder, to the participants its scope names (by id or kind), to officers and auditors — and to nobody else', async () => {
      for (const reader of [as('BG-NCCTHB'), as('BG-NGO-ANIMUS'), as('BG-SACP'), gw.as(pki.consentOfficer), gw.as(pki.admin)]) {
        expect((await reader.get(`/v1/consents/${id}`)).body.id).toBe(id);
        expect((await reader.get(`/v1/consents?subject=${subject}`)).body.items.map((c: { id: string }) => c.id)).toContain(id);
      }
      for (const stranger of [as('BG-MOI'), as('BG-SAA'), gw.as(pki.certificateOfficer)]) {
        expect((await stranger.get(`/v1/consents/${id}`)).body.code).toBe('GW_CONSENT_NOT_FOUND');
        expect((await stranger.get(`/v1/consents?subject=${subject}`)).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
      }
      expect((await as('BG-MOI').get('/v1/consents')).body.violations).toEqual([expect.objectContaining({ pointer: '#/query/subject' })]);
    });

    it('lets only the recorder or a consent officer withdraw; the first withdrawal stands, and is audited', async () => {
      expect((await as('BG-NGO-ANIMUS').post(`/v1/consents/${id}/withdraw`, { reason: 'asked by the person' })).body.code).toBe('GW_CONSENT_NOT_FOUND');
      expect((await as('BG-NCCTHB').post(`/v1/consents/${id}/withdraw`, {})).body.code).toBe('GW_VALIDATION_FAILED');
      const withdrawn = await as('BG-NCCTHB').post(`/v1/consents/${id}/withdraw`, { reason: 'asked by the person' });
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'asked by the person' });
      const again = await gw.as(pki.consentOfficer).post(`/v1/consents/${id}/withdraw`, { reason: 'duplicate request' });
      expect(again.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'asked by the person', withdrawnAt: withdrawn.body.withdrawnAt });
      const { rows } = await gw.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'consent.withdrawn' AND details->>'consentId' = $1`, [id]);
      expect(rows).toEqual([{ actor: 'participant:BG-NCCTHB' }]);
      expect((await gw.as(pki.consentOfficer).post('/v1/consents/00000000-0000-4000-8000-000000000000/withdraw', { reason: 'none such' })).body.code).toBe('GW_CONSENT_NOT_FOUND');
    });
  });
});
