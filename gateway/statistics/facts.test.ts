/** What an exchange contributes to the indicators: coded fields only, an age band for a date of birth, the contract's own categories. */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../schemas/index.ts';
import { example } from '../../testing/test-gateway.ts';
import { AGE_BANDS, ageBandOf, ageOn, EXPLOITATION_FORMS, MEASURE_CODES, SEXES, statisticalFactsOf } from './facts.ts';

const at = new Date('2026-11-20T08:15:00Z');

describe('statistical facts of a message', () => {
  it('uses the contract\'s own categories', () => {
    const schemas = loadContract().document.components.schemas as Record<string, { enum?: string[]; properties?: Record<string, { enum?: string[] }> }>;
    expect([...EXPLOITATION_FORMS]).toEqual(schemas.ExploitationForm!.enum);
    expect([...MEASURE_CODES]).toEqual(schemas.MeasureCode!.enum);
    expect([...SEXES]).toEqual(schemas.Identity!.properties!.sex!.enum);
  });

  it('keeps sex, an age band, citizenship and forms of an alert, and nothing that names the person', () => {
    const alert = example('Alert');
    const facts = statisticalFactsOf({ type: 'alert', payload: alert.payload, legalBases: [alert.legalBasis], at });
    expect(facts).toEqual({ sex: 'female', ageBand: '25-34', citizenship: ['BG'], forms: ['labour'] });
    expect(JSON.stringify(facts)).not.toMatch(/Desislava|Testova|1999|Vidin/);
  });

  it('keeps a referral\'s requested and reported measures, and whether the child-protection basis applied', () => {
    const referral = example('Referral');
    referral.recipientLegalBasis = { 'BG-SACP': { exemption: 'child-protection', justification: 'The person may be a child; the agency must be told.' } };
    referral.payload.subject.child = { ageUncertain: true, estimatedAge: { min: 14, max: 17 }, unaccompanied: true, guardian: { status: 'not-yet-appointed' } };
    delete referral.payload.subject.identity.dateOfBirth;
    const facts = statisticalFactsOf({ type: 'referral', payload: referral.payload, legalBases: [referral.legalBasis, ...Object.values(referral.recipientLegalBasis)], at });
    expect(facts).toEqual({
      ageBand: '12-17', child: true, forms: ['labour'], requested: ['2.1'], childProtection: true,
      measures: [{ code: '1.1', status: 'completed', provider: 'BG-MOI' }, { code: '1.2', status: 'completed', provider: 'BG-MOI' }],
    });
  });

  it('gives an uncertain age a band only when the whole range lies in it, and a child by date of birth', () => {
    const subject = (child: unknown, identity: unknown = {}) => statisticalFactsOf({ type: 'alert', payload: { subject: { child, identity } }, legalBases: [], at });
    expect(subject({ ageUncertain: true, estimatedAge: { min: 16, max: 19 } }).ageBand).toBeUndefined();
    expect(subject({ ageUncertain: true, estimatedAge: { min: 16, max: 19 } }).child).toBe(true);
    expect(subject({ age: 9 }).ageBand).toBe('0-11');
    expect(subject(undefined, { dateOfBirth: '2010-11-21' })).toEqual({ ageBand: '12-17', child: true });
    expect(subject(undefined, { dateOfBirth: '2010-11-20' })).toEqual({ ageBand: '12-17', child: true });
    expect(subject(undefined, { dateOfBirth: '2008-11-20' })).toEqual({ ageBand: '18-24' });
    expect(subject(undefined, { dateOfBirth: 'not-a-date', sex: 'alien' })).toEqual({});
  });

  it('bands ages at their edges', () => {
    expect([0, 11, 12, 17, 18, 24, 25, 34, 35, 49, 50, 99].map(ageBandOf)).toEqual(['0-11', '0-11', '12-17', '12-17', '18-24', '18-24', '25-34', '25-34', '35-49', '35-49', '50+', '50+']);
    expect(AGE_BANDS.at(-1)).toBe('unknown');
    expect(ageOn('2000-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(25);
    expect(ageOn('2000-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(26);
    expect(ageOn('2030-01-01', at)).toBeUndefined();
  });
});
