/** The legal-basis rules as pure functions: properties over generated dates, consents and policies. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewExchange, Participant, ParticipantKind } from '../../schemas/index.ts';
import { createParticipantRegistry } from '../participants/participant-registry.ts';
import type { ConsentRow } from '../store/index.ts';
import { ageOn, basesOf, checkCreatedAt, coverageProblem, releasedByConsent, statedExemptions, withChildProtection, type ExemptionPolicy } from './legal-basis.ts';

const DAY = 86_400_000;
const everything: Participant['accepts'] = [{ type: 'referral', schemaVersions: ['1.0'] }];
const registry = createParticipantRegistry([
  { id: 'BG-MOI', name: 'Police', kind: 'law-enforcement', country: 'BG', accepts: everything, sends: ['referral'] },
  { id: 'BG-SACP', name: 'Child protection', kind: 'child-protection', country: 'BG', accepts: everything, sends: ['referral'] },
  { id: 'BG-NGO', name: 'Shelter', kind: 'ngo', country: 'BG', accepts: everything, sends: ['referral'] },
]);

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
/** Days from 1930 to 2026, at any time of day. */
const instant = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2026-12-31T23:59:59Z'), noInvalidDate: true });

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('age at acceptance', () => {
  it('is never negative, never falls as time passes, and turns on the birthday itself (property)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 5_000 }), (birth, daysLater, moreDays) => {
        const dob = isoDate(birth);
        const on = new Date(Date.parse(`${dob}T12:00:00Z`) + daysLater * DAY);
        const later = new Date(on.getTime() + moreDays * DAY);
        expect(ageOn(dob, on)).toBeGreaterThanOrEqual(0);
        expect(ageOn(dob, later)).toBeGreaterThanOrEqual(ageOn(dob, on));
        expect(ageOn(dob, later) - ageOn(dob, on)).toBeLessThanOrEqual(Math.ceil(moreDays / 365) + 1);
      }),
    );
  });

  it('is 18 on the 18th birthday and 17 the day before', () => {
    expect(ageOn('2008-12-02', new Date('2026-12-02T00:00:00Z'))).toBe(18);
    expect(ageOn('2008-12-02', new Date('2026-12-01T23:59:59Z'))).toBe(17);
    // Born on 29 February: 18 from 1 March of a common year.
    expect(ageOn('2008-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
  });
});

describe('a createdAt ahead of the clock', () => {
  it('is refused exactly when it is further ahead than the skew allowance (property)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -10 * DAY, max: 10 * DAY }), fc.integer({ min: 0, max: 600_000 }), (accepted, offset, skew) => {
        const createdAt = new Date(accepted.getTime() + offset).toISOString();
        expect(refusal(() => checkCreatedAt(createdAt, accepted, skew))).toBe(offset > skew ? 'GW_VALIDATION_FAILED' : undefined);
      }),
    );
  });
});

describe('whether a consent covers a recipient', () => {
  const at = new Date('2026-11-30T10:00:00Z');
  const covering: ConsentRow = {
    id: 'c1', subject: 'psn_A', givenBy: { kind: 'self' } as never, recordedBy: 'admin:x', recordedAt: at, receiptSignature: 'x', withdrawalCodeHash: 'h',
    evidence: {} as never, validFrom: new Date(at.getTime() - DAY), validUntil: new Date(at.getTime() + DAY),
    scope: [{ recipients: ['BG-NGO'], purposes: ['protection-and-assistance'], categories: ['identity', 'needs-and-services'] }] as never,
  };
  const defects: Record<string, (c: ConsentRow) => ConsentRow> = {
    'no such consent': () => undefined as never,
    'another subject': (c) => ({ ...c, subject: 'psn_B' }),
    withdrawn: (c) => ({ ...c, withdrawnAt: at }),
    'not valid yet': (c) => ({ ...c, validFrom: new Date(at.getTime() + 1) }),
    expired: (c) => ({ ...c, validUntil: at }),
    'another recipient': (c) => ({ ...c, scope: [{ ...c.scope[0]!, recipients: ['BG-MOI'] }] }),
    'another purpose': (c) => ({ ...c, scope: [{ ...c.scope[0]!, purposes: ['criminal-proceedings'] as never }] }),
  };

  it('covers when every condition holds, and any one defect (or several) leaves it uncovered (property)', () => {
    expect(coverageProblem(covering, 'BG-NGO', 'ngo', 'protection-and-assistance', 'psn_A', at)).toBeUndefined();
    fc.assert(
      fc.property(fc.subarray(Object.keys(defects), { minLength: 1 }), (chosen) => {
        const consent = chosen.reduce((c, name) => (c ? defects[name]!(c) : c), covering as ConsentRow | undefined);
        expect(coverageProblem(consent, 'BG-NGO', 'ngo', 'protection-and-assistance', 'psn_A', at)).toEqual(expect.any(String));
      }),
    );
  });

  it('covers a recipient named by its kind, and releases only the categories of entries for that recipient and purpose', () => {
    const byKind: ConsentRow = {
      ...covering,
      scope: [
        { participantKinds: ['ngo'], purposes: ['protection-and-assistance'], categories: ['identity'] },
        { recipients: ['BG-NGO'], purposes: ['criminal-proceedings'], categories: ['exploitation'] },
        { recipients: ['BG-MOI'], purposes: ['protection-and-assistance'], categories: ['contact'] },
      ] as never,
    };
    expect(coverageProblem(byKind, 'BG-NGO', 'ngo', 'protection-and-assistance', 'psn_A', at)).toBeUndefined();
    expect([...releasedByConsent(byKind, 'BG-NGO', 'ngo', 'protection-and-assistance')]).toEqual(['identity']);
  });
});

describe('the legal basis of each recipient', () => {
  it('is its own when given, else the message\'s; none at all is refused naming the recipient (property)', () => {
    fc.assert(
      fc.property(fc.subarray(['BG-MOI', 'BG-SACP', 'BG-NGO'], { minLength: 1 }), fc.subarray(['BG-MOI', 'BG-SACP', 'BG-NGO']), fc.boolean(), (recipients, own, shared) => {
        const legalBasis = shared ? { exemption: 'vital-interest' } as never : undefined;
        const perRecipient = Object.fromEntries(own.map((r) => [r, { exemption: 'child-protection', justification: 'x' }])) as NewExchange['recipientLegalBasis'];
        const run = () => basesOf({ legalBasis }, recipients, perRecipient);
        if (!shared && recipients.some((r) => !own.includes(r))) {
          expect(refusal(run)).toBe('GW_LEGAL_BASIS_MISSING');
          return;
        }
        for (const b of run()) expect(b.pointer).toBe(own.includes(b.recipient) ? `/recipientLegalBasis/${b.recipient}` : '/legalBasis');
      }),
    );
  });
});

describe('exemptions a sender states', () => {
  const kinds: ParticipantKind[] = ['law-enforcement', 'child-protection', 'ngo', 'coordinator'];
  it('are allowed exactly when the policy lists the sender\'s kind for each (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.subarray(kinds), (senderKind, allowedKinds) => {
        const policy = { 'vital-interest': allowedKinds, 'child-protection': allowedKinds, 'criminal-proceedings': allowedKinds, 'legal-obligation': allowedKinds } as unknown as ExemptionPolicy;
        const message = { recipients: ['BG-NGO'], legalBasis: { exemption: 'vital-interest', justification: 'x' } } as unknown as NewExchange;
        expect(refusal(() => statedExemptions(message, senderKind, policy))).toBe(allowedKinds.includes(senderKind) ? undefined : 'GW_EXEMPTION_NOT_ALLOWED');
      }),
    );
  });
});

describe('child protection', () => {
  const at = new Date('2026-12-02T10:00:00Z');
  const message = (identity: { dateOfBirth?: string }, child: boolean, sender = 'BG-MOI', recipients = ['BG-NGO']) =>
    ({ sender, recipients, type: 'referral', schemaVersion: '1.0', payload: { subject: { identity, ...(child ? { child: { guardian: { status: 'not-yet-appointed' } } } : {}) } } }) as unknown as NewExchange;

  it('adds the child-protection agency once for a minor or a subject of uncertain age, and never for an adult without child information (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: at, noInvalidDate: true }), fc.boolean(), fc.boolean(), (birth, child, addressed) => {
        const dob = isoDate(birth);
        const minor = ageOn(dob, at) < 18;
        const recipients = addressed ? ['BG-NGO', 'BG-SACP'] : ['BG-NGO'];
        const run = () => withChildProtection(message({ dateOfBirth: dob }, child, 'BG-MOI', recipients), registry, 'BG-SACP', at);
        if (minor && !child) {
          expect(refusal(run)).toBe('GW_VALIDATION_FAILED');
          return;
        }
        const result = run();
        expect(result.recipients.filter((r) => r === 'BG-SACP')).toHaveLength(addressed || minor || child ? 1 : 0);
        expect(result.added).toEqual((minor || child) && !addressed ? ['BG-SACP'] : []);
        if (result.added.length > 0) expect(result.recipientLegalBasis?.['BG-SACP']).toMatchObject({ exemption: 'child-protection' });
      }),
    );
  });

  it('judges the age on the day of acceptance: a minor today stays a minor whatever createdAt says', () => {
    const seventeen = message({ dateOfBirth: '2009-06-01' }, true);
    expect(withChildProtection(seventeen, registry, 'BG-SACP', at).added).toEqual(['BG-SACP']);
    // Sent by the child-protection agency itself: nobody is added.
    expect(withChildProtection(message({ dateOfBirth: '2009-06-01' }, true, 'BG-SACP'), registry, 'BG-SACP', at).added).toEqual([]);
  });
});
