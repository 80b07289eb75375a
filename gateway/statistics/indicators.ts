/**
 * The national indicators of one calendar year (Sofia time: calendar.ts), as plain functions of the case facts
 * (docs/statistics.md has each definition): every cell counts **distinct persons** — the
 * subject's pseudonym, the same person however many agencies refer them — in a fixed
 * lattice of cells: indicator × period (the year, its quarters, its months) × agency
 * (`national`, or each participant) × one breakdown (`all`, or form of exploitation,
 * citizenship, sex, age band; measure and outcome for referrals; partner country for
 * cross-border transfers). The lattice and the relations between its cells (a total and
 * its parts) are what disclosure control protects; nothing here is published as is.
 */
import { monthStart } from './calendar.ts';
import type { Relation } from './disclosure.ts';
import { AGE_BANDS, EXPLOITATION_FORMS, MEASURE_CODES, SEXES, type StatisticalFacts } from './facts.ts';

export const INDICATORS = [
  'alerts-coordinated',
  'victims-supported',
  'referrals',
  'children-referred',
  'time-to-first-measure',
  'follow-up-completed',
  'cross-border-transfers',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const REFERRAL_OUTCOMES = ['pending', 'accepted', 'declined', 'completed', 'cancelled'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** The breakdowns every indicator of persons has, besides `all`. */
const PERSON_DIMENSIONS = ['form', 'citizenship', 'sex', 'age'] as const;
/** The breakdowns of each indicator. */
export const DIMENSIONS: Record<Indicator, readonly string[]> = {
  'alerts-coordinated': PERSON_DIMENSIONS,
  'victims-supported': PERSON_DIMENSIONS,
  referrals: ['measure', 'measure-outcome'],
  'children-referred': PERSON_DIMENSIONS,
  'time-to-first-measure': [],
  'follow-up-completed': PERSON_DIMENSIONS,
  'cross-border-transfers': ['partner-country', ...PERSON_DIMENSIONS],
};

/** A message of a case thread as the indicators read it: case metadata and statistical facts, never the payload. */
export interface StatMessage {
  exchangeId: string;
  /** The subject's pseudonym, links resolved: one value per person. */
  person: string;
  type: string;
  sender: string;
  recipients: readonly string[];
  correlationId: string;
  acceptedAt: Date;
  facts: StatisticalFacts;
  /** From the case metadata: a case-update's `update`, a referral-response's `decision`. */
  update?: string;
  decision?: string;
}

/** A referral to one recipient, with its outcome as of the release's instant. */
export interface StatReferral {
  exchangeId: string;
  owner: string;
  outcome: ReferralOutcome;
}

export interface StatParticipant {
  id: string;
  kind: string;
  country: string;
}

export interface IndicatorInput {
  year: number;
  /** Only what happened before this instant counts; periods starting at or after it are left out. */
  asOf: Date;
  /** Every message before `asOf` (any year: a person's attributes come from their first record), any order. */
  messages: readonly StatMessage[];
  referrals: readonly StatReferral[];
  participants: readonly StatParticipant[];
}

export interface Period {
  id: string;
  start: Date;
  end: Date;
  /** Whether the period ended before the release's instant. */
  complete: boolean;
}

export interface Cell {
  indicator: Indicator;
  period: string;
  /** `national`, or a participant id. */
  agency: string;
  dimension: string;
  category: string;
}

export interface Lattice {
  periods: Period[];
  agencies: string[];
  /** Categories of each breakdown in this release (fixed lists; citizenships and partner countries as present nationally). */
  categories: Record<string, string[]>;
  /** Every cell of the lattice, in publication order. */
  cells: Cell[];
  /** Distinct persons per cell key. */
  counts: Map<string, number>;
  relations: Relation[];
  /** time-to-first-measure: days from first alert to first measure, one per person of the cell. */
  days: Map<string, number[]>;
}

export const NATIONAL = 'national';

export function cellKey(cell: Cell): string {
  return `${cell.indicator}|${cell.period}|${cell.agency}|${cell.dimension}|${cell.category}`;
}

/** The year, its quarters and its months (Sofia time) that began before `asOf`, the year first. */
export function periodsOf(year: number, asOf: Date): Period[] {
  const span = (id: string, start: Date, end: Date): Period => ({ id, start, end, complete: end.getTime() <= asOf.getTime() });
  const periods = [span(String(year), monthStart(year, 0), monthStart(year + 1, 0))];
  for (let q = 0; q < 4; q += 1) periods.push(span(`${year}-Q${q + 1}`, monthStart(year, q * 3), monthStart(year, q * 3 + 3)));
  for (let m = 0; m < 12; m += 1) periods.push(span(`${year}-${String(m + 1).padStart(2, '0')}`, monthStart(year, m), monthStart(year, m + 1)));
  return periods.filter((p) => p.start.getTime() < asOf.getTime());
}

interface Profile {
  sex: string;
  age: string;
  citizenship: string[];
  form: string[];
}

/** A person's attributes: each from the first message (in acceptance order) that records it. */
function profiles(messages: readonly StatMessage[]): Map<string, Profile> {
  const byPerson = new Map<string, Partial<Profile>>();
  for (const m of messages) {
    const p = byPerson.get(m.person) ?? {};
    if (!p.sex && m.facts.sex && m.facts.sex !== 'unknown') p.sex = m.facts.sex;
    if (!p.age && m.facts.ageBand && m.facts.ageBand !== 'unknown') p.age = m.facts.ageBand;
    if (!p.citizenship && m.facts.citizenship?.length) p.citizenship = m.facts.citizenship;
    if (!p.form && m.facts.forms?.length) p.form = m.facts.forms;
    byPerson.set(m.person, p);
  }
  return new Map([...byPerson].map(([person, p]) => [person, { sex: p.sex ?? 'unknown', age: p.age ?? 'unknown', citizenship: p.citizenship ?? ['unknown'], form: p.form ?? ['unknown'] }]));
}

/** One thing an indicator counts: a person, when, credited to which agencies, in which categories. */
interface Event {
  person: string;
  at: Date;
  agencies: string[];
  categories: Record<string, string[]>;
  days?: number;
}

const SUPPORTED = new Set(['in-progress', 'completed']);
/** Measures of assistance and protection: immediate needs (1.3) and phases 2 and 3; not identification, risk assessment or the referral itself. */
export const SUPPORT_MEASURES: ReadonlySet<string> = new Set(['1.3', '2.1', '2.2', '3.1', '3.2', '3.3', '3.4']);
const DAY_MS = 86_400_000;

function events(input: IndicatorInput, messages: StatMessage[]): Record<Indicator, Event[]> {
  const kindOf = new Map(input.participants.map((p) => [p.id, p]));
  const profile = profiles(messages);
  const personal = (person: string): Record<string, string[]> => {
    const p = profile.get(person)!;
    return { form: p.form, citizenship: p.citizenship, sex: [p.sex], age: [p.age] };
  };
  const out = Object.fromEntries(INDICATORS.map((i) => [i, [] as Event[]])) as Record<Indicator, Event[]>;
  const byExchange = new Map(messages.map((m) => [m.exchangeId, m]));
  /** Per thread, when its latest referral was accepted. */
  const lastReferral = new Map<string, number>();
  for (const m of messages) if (m.type === 'referral') lastReferral.set(m.correlationId, m.acceptedAt.getTime());
  const shelterExit = new Map<string, number>();
  const firstAlert = new Map<string, StatMessage>();
  const measured = new Set<string>();

  for (const m of messages) {
    const base = { person: m.person, at: m.acceptedAt };
    if (m.type === 'alert') {
      if (!firstAlert.has(m.person)) firstAlert.set(m.person, m);
      // Coordinated: it reached a coordinator, and a referral followed in its case thread.
      const toCoordinator = m.recipients.some((r) => kindOf.get(r)?.kind === 'coordinator');
      const followed = (lastReferral.get(m.correlationId) ?? -Infinity) >= m.acceptedAt.getTime();
      if (toCoordinator && followed) out['alerts-coordinated'].push({ ...base, agencies: [m.sender], categories: personal(m.person) });
    }
    const supported = (m.facts.measures ?? []).filter((x) => SUPPORTED.has(x.status) && SUPPORT_MEASURES.has(x.code));
    if (supported.length > 0) {
      out['victims-supported'].push({ ...base, agencies: [...new Set(supported.map((x) => x.provider ?? m.sender))].sort(), categories: personal(m.person) });
    }
    const alert = firstAlert.get(m.person);
    if (alert && !measured.has(m.person) && (supported.length > 0 || (m.type === 'referral-response' && m.decision === 'accepted'))) {
      measured.add(m.person);
      const days = Math.round(((m.acceptedAt.getTime() - alert.acceptedAt.getTime()) / DAY_MS) * 10) / 10;
      out['time-to-first-measure'].push({ person: m.person, at: alert.acceptedAt, agencies: [alert.sender], categories: {}, days });
    }
    if (m.type === 'referral' && (m.facts.child || m.facts.childProtection)) {
      out['children-referred'].push({ ...base, agencies: [m.sender], categories: personal(m.person) });
    }
    if (m.type === 'case-update' && m.update === 'shelter-exit' && !shelterExit.has(m.person)) shelterExit.set(m.person, m.acceptedAt.getTime());
    if (m.type === 'case-update' && m.update === 'follow-up') {
      const exit = shelterExit.get(m.person);
      if (exit !== undefined && exit <= m.acceptedAt.getTime()) out['follow-up-completed'].push({ ...base, agencies: [m.sender], categories: personal(m.person) });
    }
    if (m.type === 'case-transfer') {
      const parties = [m.sender, ...m.recipients];
      const foreign = parties.filter((p) => kindOf.get(p)?.kind === 'foreign-partner');
      if (foreign.length > 0) {
        // Credited to every party, the partner abroad too: each sees the transfers it took part in.
        out['cross-border-transfers'].push({
          ...base, agencies: [...new Set(parties.filter((p) => kindOf.has(p)))].sort(),
          categories: { 'partner-country': [...new Set(foreign.map((p) => kindOf.get(p)!.country))].sort(), ...personal(m.person) },
        });
      }
    }
  }
  for (const r of input.referrals) {
    const m = byExchange.get(r.exchangeId);
    if (!m || !m.facts.requested?.length) continue;
    out.referrals.push({
      person: m.person, at: m.acceptedAt, agencies: [r.owner],
      categories: { measure: m.facts.requested, 'measure-outcome': m.facts.requested.map((code) => `${code}:${r.outcome}`) },
    });
  }
  return out;
}

/** The lattice of one year: every cell's count of distinct persons, and the relations between cells. */
export function computeLattice(input: IndicatorInput): Lattice {
  const asOf = input.asOf.getTime();
  const messages = input.messages.filter((m) => m.acceptedAt.getTime() < asOf)
    .sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime() || a.exchangeId.localeCompare(b.exchangeId));
  const periods = periodsOf(input.year, input.asOf);
  const agencies = [NATIONAL, ...input.participants.map((p) => p.id).sort()];
  const registered = new Set(agencies);
  const all = events(input, messages);
  const inYear = (at: Date) => periods.length > 0 && at.getTime() >= periods[0]!.start.getTime() && at.getTime() < Math.min(periods[0]!.end.getTime(), asOf);

  // Categories: fixed lists, and the citizenships and partner countries present in the year's cells.
  const seen = (dimension: string) => [...new Set(Object.values(all).flat().filter((e) => inYear(e.at)).flatMap((e) => e.categories[dimension] ?? []))];
  const countries = (dimension: string) => seen(dimension).filter((c) => c !== 'unknown').sort();
  const categories: Record<string, string[]> = {
    all: ['all'],
    form: [...EXPLOITATION_FORMS, 'unknown'],
    citizenship: [...countries('citizenship'), 'unknown'],
    sex: [...SEXES],
    age: [...AGE_BANDS],
    measure: [...MEASURE_CODES],
    'measure-outcome': MEASURE_CODES.flatMap((code) => REFERRAL_OUTCOMES.map((o) => `${code}:${o}`)),
    'partner-country': countries('partner-country'),
  };

  const persons = new Map<string, Set<string>>();
  const days = new Map<string, Map<string, number>>();
  const cells: Cell[] = [];
  const relations: Relation[] = [];
  for (const indicator of INDICATORS) {
    const dimensions = ['all', ...DIMENSIONS[indicator]];
    const key = (period: string, agency: string, dimension: string, category: string) => cellKey({ indicator, period, agency, dimension, category });
    for (const period of periods) for (const agency of agencies) for (const dimension of dimensions) for (const category of categories[dimension]!) {
      const cell = { indicator, period: period.id, agency, dimension, category };
      cells.push(cell);
      persons.set(cellKey(cell), new Set());
    }
    for (const event of all[indicator]) {
      if (!inYear(event.at)) continue;
      for (const period of periods) {
        if (event.at.getTime() < period.start.getTime() || event.at.getTime() >= period.end.getTime()) continue;
        for (const agency of [NATIONAL, ...event.agencies.filter((a) => registered.has(a))]) {
          const add = (dimension: string, category: string) => {
            const k = key(period.id, agency, dimension, category);
            persons.get(k)?.add(event.person);
            if (event.days !== undefined) {
              const list = days.get(k) ?? new Map<string, number>();
              if (!list.has(event.person)) list.set(event.person, event.days);
              days.set(k, list);
            }
          };
          add('all', 'all');
          for (const dimension of DIMENSIONS[indicator]) for (const category of event.categories[dimension] ?? []) add(dimension, category);
        }
      }
    }
    // Relations: months within quarters within the year; each breakdown within its total; agencies within the national figure.
    const quarters = periods.filter((p) => p.id.includes('-Q'));
    const months = periods.filter((p) => /-\d\d$/.test(p.id));
    const within = (outer: Period, inner: Period[]) => inner.filter((p) => p.start.getTime() >= outer.start.getTime() && p.end.getTime() <= outer.end.getTime());
    for (const agency of agencies) for (const dimension of dimensions) for (const category of categories[dimension]!) {
      if (periods[0] && quarters.length > 0) relations.push({ total: key(periods[0].id, agency, dimension, category), parts: quarters.map((q) => key(q.id, agency, dimension, category)) });
      for (const q of quarters) {
        const parts = within(q, months);
        if (parts.length > 0) relations.push({ total: key(q.id, agency, dimension, category), parts: parts.map((m) => key(m.id, agency, dimension, category)) });
      }
    }
    for (const period of periods) for (const agency of agencies) {
      for (const dimension of DIMENSIONS[indicator]) {
        if (categories[dimension]!.length > 0) relations.push({ total: key(period.id, agency, 'all', 'all'), parts: categories[dimension]!.map((c) => key(period.id, agency, dimension, c)) });
      }
      if (indicator === 'referrals') {
        for (const code of MEASURE_CODES) relations.push({ total: key(period.id, agency, 'measure', code), parts: REFERRAL_OUTCOMES.map((o) => key(period.id, agency, 'measure-outcome', `${code}:${o}`)) });
      }
    }
    for (const period of periods) for (const dimension of dimensions) for (const category of categories[dimension]!) {
      if (agencies.length > 1) relations.push({ total: key(period.id, NATIONAL, dimension, category), parts: agencies.slice(1).map((a) => key(period.id, a, dimension, category)) });
    }
  }
  return {
    periods, agencies, categories, cells,
    counts: new Map([...persons].map(([k, set]) => [k, set.size])),
    relations,
    days: new Map([...days].map(([k, list]) => [k, [...list.values()].sort((a, b) => a - b)])),
  };
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}
