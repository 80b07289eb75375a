/**
 * Whether an exemption's written justification says anything. The contract asks for at
 * least 20 characters; "aaaaaaaaaaaaaaaaaaaa" or "test test test test" pass that and mean
 * nothing. Such an exchange is still accepted (refusing could stop a child's protection at
 * the border), but the exemption is flagged for a person to review.
 */
import type { Exemption } from '../config/config.ts';

/** Why a justification looks empty of meaning. */
export type JustificationConcern = 'repeated-characters' | 'too-few-words' | 'placeholder';

/** Words that stand for "I had to type something". */
const PLACEHOLDER = /^(?:lorem|ipsum|dolor|asdf\p{L}*|qwer\p{L}*|йцук\p{L}*|test|testing|тест|xxx+|todo|blah|бла|абв)$/iu;

/** The concerns about `text`, none when it reads as reasons. */
export function justificationConcerns(text: string): JustificationConcern[] {
  const concerns: JustificationConcern[] = [];
  const letters = [...text.replace(/\s+/gu, '').toLowerCase()];
  const distinct = new Set(letters).size;
  const commonest = Math.max(0, ...[...letters.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>()).values()]);
  if (distinct < 6 || commonest > letters.length / 2 || /(.)\1{5,}/u.test(text)) concerns.push('repeated-characters');
  // Reasons need a few words; a word is three or more letters of any script.
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  if (new Set(words.map((w) => w.toLowerCase())).size < 3) concerns.push('too-few-words');
  const placeholders = words.filter((w) => PLACEHOLDER.test(w)).length;
  if (placeholders > 0 && placeholders >= words.length / 3) concerns.push('placeholder');
  return concerns;
}

/** A stated exemption whose justification needs a person's look. */
export interface DoubtfulExemption {
  exemption: Exemption;
  justification: string;
  concerns: JustificationConcern[];
}

/** The exemptions among `bases` whose justifications raise a concern, each once. */
export function doubtfulExemptions(bases: ReadonlyArray<object | undefined>): DoubtfulExemption[] {
  const seen = new Set<string>();
  const doubtful: DoubtfulExemption[] = [];
  for (const basis of bases) {
    if (!basis || !('exemption' in basis) || !('justification' in basis)) continue;
    const { exemption, justification } = basis as { exemption: Exemption; justification: string };
    const key = `${exemption}\u0000${justification}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const concerns = justificationConcerns(justification);
    if (concerns.length > 0) doubtful.push({ exemption, justification, concerns });
  }
  return doubtful;
}
