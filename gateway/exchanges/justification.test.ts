/** Which exemption justifications a person should look at, and which read as reasons. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHILD_PROTECTION_BASIS } from './legal-basis.ts';
import { doubtfulExemptions, justificationConcerns } from './justification.ts';

const REASONS = [
  'Person found in a locked van at the border crossing, needs immediate protection.',
  'Непълнолетна без придружител, открита на гара Сердика; нужна е спешна закрила.',
  'Pre-trial proceedings opened by the district prosecutor; the witness needs protection measures.',
  'Лицето е в непосредствена опасност и се нуждае от настаняване в кризисен център.',
  CHILD_PROTECTION_BASIS.justification,
];

describe('exemption justifications', () => {
  it.each(REASONS)('reads "%s" as reasons', (text) => {
    expect(justificationConcerns(text)).toEqual([]);
  });

  it.each([
    ['aaaaaaaaaaaaaaaaaaaaaaaa', ['repeated-characters', 'too-few-words']],
    ['abababababababababababab', ['repeated-characters', 'too-few-words']],
    ['test test test test test', ['repeated-characters', 'too-few-words', 'placeholder']],
    ['asdfgh qwerty lorem ipsum dolor', ['placeholder']],
    ['тест тест тест тест тест тест', ['repeated-characters', 'too-few-words', 'placeholder']],
    ['12345678901234567890 !!!', ['too-few-words']],
    ['Urgent!!!!!!!! Urgent!!!!!!!!', ['repeated-characters', 'too-few-words']],
  ])('flags "%s" (%j)', (text, concerns) => {
    expect(justificationConcerns(text)).toEqual(concerns);
  });

  it('flags any text of one character repeated, however long', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: 20, max: 2000 }), (c, n) => {
      fc.pre(c.trim().length === 1);
      expect(justificationConcerns(c.repeat(n))).toContain('repeated-characters');
    }));
  });

  it('picks the doubtful exemptions of a submission once each, and ignores consents', () => {
    const empty = { exemption: 'vital-interest', justification: 'aaaaaaaaaaaaaaaaaaaa' };
    const found = doubtfulExemptions([empty, { consentId: 'c1' }, { exemption: 'vital-interest', justification: REASONS[0] }, empty, undefined]);
    expect(found).toEqual([{ exemption: 'vital-interest', justification: 'aaaaaaaaaaaaaaaaaaaa', concerns: ['repeated-characters', 'too-few-words'] }]);
  });
});
