/**
 * What one exchange contributes to the national indicators, read from its payload as sent
 * when the case projector first sees it: the few coded fields the indicators are broken
 * down by. The date of birth is read only to place the person in an age band; no name,
 * date of birth, identifier or free text is ever kept (docs/statistics.md#facts).
 */

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const AGE_BANDS = ['0-11', '12-17', '18-24', '25-34', '35-49', '50+', 'unknown'] as const;
export const EXPLOITATION_FORMS = ['sexual', 'labour', 'begging', 'criminal-activities', 'forced-marriage', 'organ-removal', 'sale-of-child', 'domestic-servitude', 'other'] as const;
export const MEASURE_CODES = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '3.1', '3.2', '3.3', '3.4'] as const;

export type AgeBand = (typeof AGE_BANDS)[number];
export type Sex = (typeof SEXES)[number];

export interface StatisticalFacts {
  sex?: Sex;
  ageBand?: AgeBand;
  /** The subject is, or may be, a child (the contract's `child`, or under 18 by date of birth). */
  child?: boolean;
  citizenship?: string[];
  forms?: string[];
  /** NRM measures the message reports, with their status and provider. */
  measures?: Array<{ code: string; status: string; provider?: string }>;
  /** NRM measures a referral requests. */
  requested?: string[];
  /** Some recipient's legal basis is the child-protection exemption. */
  childProtection?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The band an age in whole years falls in. */
export function ageBandOf(age: number): AgeBand {
  if (age < 12) return '0-11';
  if (age < 18) return '12-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 50) return '35-49';
  return '50+';
}

/** Whole years from `dateOfBirth` (YYYY-MM-DD) to `on`; undefined when it is not a date or lies ahead. */
export function ageOn(dateOfBirth: string, on: Date): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age -= 1;
  return age >= 0 && age < 130 ? age : undefined;
}

/**
 * The facts of one message. `legalBases` are the envelope's `legalBasis` and the values of
 * its `recipientLegalBasis`; `at` is its acceptance, the day the age is taken on.
 */
export function statisticalFactsOf(message: { type: string; payload: Json | null | undefined; legalBases: unknown[]; at: Date }): StatisticalFacts {
  const facts: StatisticalFacts = {};
  const payload = message.payload ?? {};
  const subject = isObject(payload.subject) ? payload.subject : {};
  const identity = isObject(subject.identity) ? subject.identity : {};
  const child = isObject(subject.child) ? subject.child : undefined;

  if (typeof identity.sex === 'string' && (SEXES as readonly string[]).includes(identity.sex)) facts.sex = identity.sex as Sex;
  const age = typeof identity.dateOfBirth === 'string' ? ageOn(identity.dateOfBirth, message.at) : undefined;
  if (age !== undefined) facts.ageBand = ageBandOf(age);
  else if (child && typeof child.age === 'number') facts.ageBand = ageBandOf(child.age);
  else if (child && isObject(child.estimatedAge) && typeof child.estimatedAge.min === 'number' && typeof child.estimatedAge.max === 'number') {
    // An uncertain age has a band only when the whole estimated range lies in it.
    const [low, high] = [ageBandOf(child.estimatedAge.min), ageBandOf(child.estimatedAge.max)];
    if (low === high) facts.ageBand = low;
  }
  if (child || (age !== undefined && age < 18)) facts.child = true;

  const citizenship = strings(subject.citizenship).filter((c) => /^[A-Z]{2}$/.test(c));
  if (citizenship.length > 0) facts.citizenship = [...new Set(citizenship)].sort();
  const exploitation = isObject(payload.exploitation) ? payload.exploitation : {};
  const forms = strings(exploitation.forms).filter((f) => (EXPLOITATION_FORMS as readonly string[]).includes(f));
  if (forms.length > 0) facts.forms = [...new Set(forms)].sort();

  const measures = [payload.measuresTaken, payload.measures].flatMap((list) => (Array.isArray(list) ? list.filter(isObject) : []))
    .filter((m) => typeof m.code === 'string' && (MEASURE_CODES as readonly string[]).includes(m.code) && typeof m.status === 'string')
    .map((m) => ({ code: m.code as string, status: m.status as string, ...(typeof m.provider === 'string' ? { provider: m.provider } : {}) }));
  if (measures.length > 0) facts.measures = measures;
  if (message.type === 'referral' && Array.isArray(payload.requestedServices)) {
    const requested = payload.requestedServices.filter(isObject).map((s) => s.measure).filter((c): c is string => typeof c === 'string' && (MEASURE_CODES as readonly string[]).includes(c));
    if (requested.length > 0) facts.requested = [...new Set(requested)].sort();
  }
  if (message.legalBases.some((basis) => isObject(basis) && basis.exemption === 'child-protection')) facts.childProtection = true;
  return facts;
}
