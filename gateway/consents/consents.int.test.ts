import { compactVerify, flattenedVerify, importX509 } from 'jose';
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCategoryMaps, canonicalize, DATA_CATEGORIES, fieldPresent, projectEnvelope } from '../../schemas/index.ts';
import { captureLogs, contract, createTestPki, freshExample, startTestGateway, STORE_KINDS, TEST_PSEUDONYM_KEY, validators, type TestGateway } from '../../testing/test-gateway.ts';


const pki = createTestPki();
const checkConsent = validators.schema('Consent');
const checkEnvelope = validators.schema('Envelope');
const DAY = 86_400_000;
// Invented people only.
const desislava = { givenName: 'Десислава', familyName: 'Тестова', dateOfBirth: '1999-04-02' };
const evidence = { formDigest: `sha256:${'ab'.repeat(32)}`, signedOn: '2025-06-01', language: 'bg', interpreter: false };

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
      const { payload } = await compactVerify(response.body.receiptSignature, await importX509(sealer.toString(), 'EdDSA'));
      expect(Buffer.from(payload).toString()).toBe(canonicalize(response.body.receipt));
      expect(response.body.receipt).toMatchObject({ receiptType: 'consent', consentId: response.body.id, subject: pseudonym, withdrawHow: expect.stringContaining('withdraw') });

      const { rows } = await gw.db.query<{ row: string }>('SELECT c::text AS row FROM consents c WHERE id = $1', [response.body.id]);
      expect(rows[0]!.row).not.toMatch(/Десислава|Тестова|1999-04-02/);
      const audit = await gw.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'consent.recorded' AND details->>'consentId' = $1`, [response.body.id]);
      expect(audit.rows).toEqual([{ actor: 'participant:BG-NCCTHB' }]);
      expect(logs.lines.join('\n')).not.toMatch(/Десислава|Тестова|1999-04-02|Desislava/);
      for (const form of [TEST_PSEUDONYM_KEY.toString('utf8'), TEST_PSEUDONYM_KEY.toString('base64'), TEST_PSEUDONYM_KEY.toString('hex')]) {
        expect(logs.lines.join('\n')).not.toContain(form);
      }
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

describe('legal basis at submit, per recipient (PostgreSQL)', () => {
  let gw: TestGateway;
  const nccthb = () => gw.as(pki.participant('BG-NCCTHB'));
  let pseudonym: string;
  const DAY_MS = 86_400_000;

  /** A consent recorded by the coordinator for the examples' subject (or `subject`), with `scope` and dates. */
  async function consent(scope: object[], options: { from?: number; until?: number; subject?: string; withdraw?: boolean } = {}): Promise<string> {
    const response = await nccthb().post('/v1/consents', {
      subject: { pseudonym: options.subject ?? pseudonym }, givenBy: { kind: 'self' }, scope, evidence,
      validFrom: new Date(Date.now() + (options.from ?? -DAY_MS)).toISOString(),
      ...(options.until !== undefined ? { validUntil: new Date(Date.now() + options.until).toISOString() } : {}),
    });
    expect(response.status, response.text).toBe(201);
    if (options.withdraw) await nccthb().post(`/v1/consents/${response.body.id}/withdraw`, { reason: 'asked by the person' });
    return response.body.id;
  }
  const referral = (consentId: string | undefined, recipients: string[], purpose = 'protection-and-assistance') => {
    const message = freshExample('Referral');
    message.recipients = recipients;
    message.purpose = purpose;
    if (consentId) message.legalBasis = { consentId };
    else delete message.legalBasis;
    return message;
  };

  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki });
    pseudonym = (await nccthb().post('/v1/pseudonyms', { identity: { givenName: 'Desislava', familyName: 'Testova', dateOfBirth: '1999-04-02' } })).body.pseudonym;
  });
  afterAll(async () => {
    await gw?.close();
  });

  const ngoCare = { recipients: ['BG-NGO-ANIMUS'], purposes: ['protection-and-assistance'], categories: ['identity', 'needs-and-services'] };
  it.each([
    ['the recipient by id, for this purpose', [ngoCare], {}, ['BG-NGO-ANIMUS'], 'protection-and-assistance', null],
    ['the recipient\'s kind, for this purpose', [{ ...ngoCare, recipients: undefined, participantKinds: ['ngo'] }], {}, ['BG-NGO-ANIMUS'], 'protection-and-assistance', null],
    ['the recipient, but not this purpose', [ngoCare], {}, ['BG-NGO-ANIMUS'], 'reintegration', 'does not allow the purpose reintegration'],
    ['another recipient only', [{ ...ngoCare, recipients: ['BG-SAA'] }], {}, ['BG-NGO-ANIMUS'], 'protection-and-assistance', 'names neither BG-NGO-ANIMUS nor ngo participants'],
    ['another kind only', [{ ...ngoCare, recipients: undefined, participantKinds: ['ngo'] }], {}, ['BG-SAA'], 'protection-and-assistance', 'names neither BG-SAA nor social-assistance'],
    ['two scope entries, the second covering', [{ ...ngoCare, recipients: ['BG-SAA'] }, { ...ngoCare, purposes: ['reintegration'] }], {}, ['BG-NGO-ANIMUS'], 'reintegration', null],
    ['a withdrawn consent', [ngoCare], { withdraw: true }, ['BG-NGO-ANIMUS'], 'protection-and-assistance', 'withdrawn'],
    ['an expired consent', [ngoCare], { from: -10 * DAY_MS, until: -DAY_MS }, ['BG-NGO-ANIMUS'], 'protection-and-assistance', 'expired'],
    ['a consent not valid yet', [ngoCare], { from: DAY_MS }, ['BG-NGO-ANIMUS'], 'protection-and-assistance', 'not valid yet'],
    ['a consent about another person', [ngoCare], { subject: 'psn_AnotherInventedPersonXYZ0123' }, ['BG-NGO-ANIMUS'], 'protection-and-assistance', 'another subject'],
  ] as const)('a consent naming %s', async (_name, scope, options, recipients, purpose, problem) => {
    const id = await consent(scope as unknown as object[], options);
    const message = referral(id, [...recipients], purpose);
    const response = await nccthb().post('/v1/exchanges', message);
    if (problem === null) {
      expect(response.status, response.text).toBe(202);
      const { rows } = await gw.db.query<{ consent_id: string }>('SELECT d.consent_id FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE e.message_id = $1', [message.messageId]);
      expect(rows).toEqual([{ consent_id: id }]);
    } else {
      expect([response.status, response.body.code]).toEqual([403, 'GW_CONSENT_NOT_COVERING']);
      expect(response.body.detail).toContain(problem);
      expect(response.body.violations).toEqual([expect.objectContaining({ pointer: '/legalBasis/consentId', message: expect.stringContaining(recipients[0]) })]);
      expect((await gw.db.query('SELECT 1 FROM exchanges WHERE message_id = $1', [message.messageId])).rows).toEqual([]);
    }
  });

  it('names only the recipient the consent leaves uncovered, and accepts once that one has its own basis', async () => {
    const id = await consent([ngoCare]);
    const both = referral(id, ['BG-NGO-ANIMUS', 'BG-SAA']);
    const refused = await nccthb().post('/v1/exchanges', both);
    expect(refused.body.code).toBe('GW_CONSENT_NOT_COVERING');
    expect(refused.body.violations.map((v: { message: string }) => v.message)).toEqual([expect.stringContaining('BG-SAA')]);
    both.recipientLegalBasis = { 'BG-SAA': { exemption: 'legal-obligation', justification: 'The coordinator must inform social assistance of every referral.' } };
    expect((await nccthb().post('/v1/exchanges', both)).status).toBe(202);
  });

  it('refuses an exchange whose recipients have no legal basis at all, or a consent id that does not exist', async () => {
    const none = await nccthb().post('/v1/exchanges', referral(undefined, ['BG-NGO-ANIMUS']));
    expect([none.status, none.body.code]).toEqual([403, 'GW_LEGAL_BASIS_MISSING']);
    expect(none.body.detail).toContain('BG-NGO-ANIMUS');
    const unknown = await nccthb().post('/v1/exchanges', referral('00000000-0000-4000-8000-00000000beef', ['BG-NGO-ANIMUS']));
    expect([unknown.status, unknown.body.detail]).toEqual([403, 'BG-NGO-ANIMUS: no such consent.']);
  });
});

describe('data minimisation per recipient (PostgreSQL)', () => {
  let gw: TestGateway;
  const nccthb = () => gw.as(pki.participant('BG-NCCTHB'));
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki });
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function consentFor(categories: string[]): Promise<string> {
    const response = await nccthb().post('/v1/consents', consentRequest({
      subject: { identity: { givenName: 'Desislava', familyName: 'Testova', dateOfBirth: '1999-04-02' } },
      scope: [{ recipients: ['BG-NGO-ANIMUS'], purposes: ['protection-and-assistance'], categories }],
    }));
    return response.body.id;
  }
  /** The NGO's stored copy, its digest and seal. */
  async function copyOf(exchangeId: string) {
    const { rows } = await gw.db.query<{ envelope: any; envelope_digest: string; seal: string; withheld_categories: string[] }>(
      `SELECT envelope, envelope_digest, seal, withheld_categories FROM deliveries WHERE exchange_id = $1 AND recipient = 'BG-NGO-ANIMUS'`, [exchangeId],
    );
    return rows[0]!;
  }

  it('sends a recipient only the categories its consent names, in a copy with its own digest and seal', async () => {
    const message = freshExample('Referral');
    message.legalBasis = { consentId: await consentFor(['identity', 'needs-and-services']) };
    const response = await nccthb().post('/v1/exchanges', message);
    expect(response.status, response.text).toBe(202);
    const tracked = (await nccthb().get(`/v1/exchanges/${response.body.id}`)).body;
    expect(tracked.deliveries[0].withheldCategories).toEqual(['contact', 'exploitation']);
    const copy = await copyOf(response.body.id);
    expect(copy.envelope.payload).not.toHaveProperty('exploitation');
    expect(copy.envelope.payload.subject).not.toHaveProperty('contact');
    expect(copy.envelope.payload.subject.identity.givenName).toBe('Desislava');
    expect(copy.envelope.payload.requestedServices).toEqual(message.payload.requestedServices);
    expect(checkEnvelope(copy.envelope)).toEqual([]);
    const canonical = canonicalize(copy.envelope);
    expect(copy.envelope_digest).toBe(`sha256:${createHash('sha256').update(canonical).digest('hex')}`);
    expect(copy.envelope_digest).not.toBe(response.body.envelopeDigest);
    const [header, , signature] = copy.seal.split('.') as [string, string, string];
    const sealer = new X509Certificate(Buffer.from(JSON.parse(Buffer.from(header, 'base64url').toString()).x5c[0], 'base64'));
    await expect(flattenedVerify({ protected: header, payload: Buffer.from(canonical).toString('base64url'), signature }, await importX509(sealer.toString(), 'EdDSA'))).resolves.toBeDefined();
  });

  it('never hands a recipient a field of a category its consent leaves out, whatever the payload and scope (property)', async () => {
    const maps = buildCategoryMaps(contract.document);
    const optional = DATA_CATEGORIES.filter((c) => c !== 'needs-and-services' && c !== 'identity');
    await fc.assert(
      fc.asyncProperty(fc.subarray([...optional]), fc.subarray([...optional]), async (allowedExtra, absent) => {
        const message = freshExample('Referral');
        // A random payload: some categories' fields are left out, one may be added.
        message.payload = projectEnvelope(message, maps, new Set(DATA_CATEGORIES.filter((c) => !(absent as string[]).includes(c)))).document.payload;
        if (!absent.includes('legal-proceedings')) message.payload.criminalProceedings = { participates: true, stage: 'trial' };
        const allowed = ['identity', 'needs-and-services', ...allowedExtra];
        message.legalBasis = { consentId: await consentFor(allowed) };
        const response = await nccthb().post('/v1/exchanges', message);
        expect(response.status, response.text).toBe(202);
        // What the worker or the inbox hands over: the delivery's copy, else the sealed envelope.
        const { rows } = await gw.db.query<{ envelope: any }>(
          `SELECT COALESCE(d.envelope, e.envelope) AS envelope FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE e.id = $1`, [response.body.id],
        );
        const handed = rows[0]!.envelope;
        for (const field of maps.referral.fields) {
          if (!allowed.includes(field.category)) expect(fieldPresent(handed, field.path), field.path).toBe(false);
        }
        expect(checkEnvelope(handed)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a recipient whose basis leaves out what the message cannot go without', async () => {
    const message = freshExample('Referral');
    message.legalBasis = { consentId: await consentFor(['identity']) };
    const response = await nccthb().post('/v1/exchanges', message);
    expect([response.status, response.body.code]).toEqual([403, 'GW_LEGAL_BASIS_INSUFFICIENT']);
    expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer: '/payload/requestedServices' }));
    expect(response.body.detail).toContain('BG-NGO-ANIMUS');
  });

  it('keeps criminal-proceedings details from an NGO under an exemption, and sends a consent-named category whole', async () => {
    const message = freshExample('Referral');
    message.payload.criminalProceedings = { participates: true, role: 'witness', stage: 'pre-trial' };
    message.legalBasis = { exemption: 'legal-obligation', justification: 'The National Commission refers presumed victims under the NRM agreement.' };
    const response = await nccthb().post('/v1/exchanges', message);
    if (response.status !== 202) throw new Error(response.text);
    expect((await nccthb().get(`/v1/exchanges/${response.body.id}`)).body.deliveries[0].withheldCategories).toEqual(['legal-proceedings']);
    expect((await copyOf(response.body.id)).envelope.payload).not.toHaveProperty('criminalProceedings');

    const consented = freshExample('Referral');
    consented.payload.criminalProceedings = message.payload.criminalProceedings;
    const all = ['identity', 'contact', 'location', 'health', 'exploitation', 'needs-and-services', 'legal-proceedings', 'family'];
    consented.legalBasis = { consentId: await consentFor(all) };
    const whole = await nccthb().post('/v1/exchanges', consented);
    expect((await nccthb().get(`/v1/exchanges/${whole.body.id}`)).body.deliveries[0]).not.toHaveProperty('withheldCategories');
    expect((await copyOf(whole.body.id)).envelope).toBeNull(); // no copy: the recipient gets the sealed envelope itself
  });
});
