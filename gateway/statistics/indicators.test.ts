/**
 * The indicators on a generated year of 3,000 invented persons (some referred by two
 * agencies, some under a linked issued pseudonym): every cell equals a count made here from
 * what the generator meant, not from the messages; the published release has no cell below
 * k, an attacker solving its totals, periods and agencies recovers nothing, and it names no
 * one.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../schemas/index.ts';
import { DEMO_PARTICIPANTS } from '../../demo/participants.ts';
import { generateYear, truthCounts, type GeneratedYear } from '../../testing/statistics-cases.ts';
import { MIN_K, recoverable, type Relation } from './disclosure.ts';
import { cellKey, computeLattice, DIMENSIONS, INDICATORS, type Indicator, NATIONAL, quantile, type IndicatorInput, type StatMessage } from './indicators.ts';
import { releaseCsv, releaseOf, sliceFor } from './release.ts';

const YEAR = 2025;
/** 1 April 2026, 00:00 in Sofia (UTC+3). */
const AS_OF = new Date('2026-03-31T21:00:00.000Z');
const participants = [...DEMO_PARTICIPANTS.map((p) => ({ id: p.id, kind: p.kind, country: p.country })), { id: 'RO-ANITP', kind: 'foreign-partner', country: 'RO' }];

function inputOf(generated: GeneratedYear): IndicatorInput {
  const messages: StatMessage[] = generated.messages.map((m) => ({
    exchangeId: m.exchangeId, person: generated.links.get(m.subject) ?? m.subject, type: m.type, sender: m.sender, recipients: m.recipients,
    correlationId: m.correlationId, acceptedAt: m.acceptedAt, facts: m.facts,
    ...(typeof m.caseFacts.update === 'string' ? { update: m.caseFacts.update } : {}),
    ...(typeof m.caseFacts.decision === 'string' ? { decision: m.caseFacts.decision } : {}),
  }));
  // The referral outcomes as the generator meant them (the service derives them from the thread; its test checks that).
  const outcomes = new Map(generated.truth.filter((t) => t.indicator === 'referrals').map((t) => [`${t.person} ${t.at.getTime()} ${t.agency}`, t.outcome!]));
  const referrals = generated.referrals.map((r) => {
    const m = generated.messages.find((x) => x.exchangeId === r.exchangeId)!;
    const person = generated.links.get(m.subject) ?? m.subject;
    return { exchangeId: r.exchangeId, owner: r.owner, outcome: outcomes.get(`${person} ${r.requestedAt.getTime()} ${r.owner}`) as 'pending' };
  });
  return { year: YEAR, asOf: AS_OF, messages, referrals, participants };
}

/** The relations an attacker who read docs/statistics.md would write down, built here from the published cells' keys. */
function attackerRelations(keys: readonly string[]): Relation[] {
  const present = new Set(keys);
  const relations: Relation[] = [];
  const split = (key: string) => key.split('|') as [string, string, string, string, string];
  const groups = new Map<string, string[]>();
  const group = (name: string, key: string) => groups.set(name, [...(groups.get(name) ?? []), key]);
  for (const key of keys) {
    const [indicator, period, agency, dimension, category] = split(key);
    if (/-\d\d$/.test(period)) group(`${indicator}|${YEAR}-Q${Math.floor((Number(period.slice(5)) - 1) / 3) + 1}|${agency}|${dimension}|${category}`, key);
    if (period.includes('-Q')) group(`${indicator}|${YEAR}|${agency}|${dimension}|${category}`, key);
    if (dimension !== 'all') group(`${indicator}|${period}|${agency}|all|all`, key);
    if (dimension === 'measure-outcome') group(`${indicator}|${period}|${agency}|measure|${category.split(':')[0]}`, key);
    if (agency !== NATIONAL) group(`${indicator}|${period}|${NATIONAL}|${dimension}|${category}`, key);
  }
  for (const [total, parts] of groups) if (present.has(total)) relations.push({ total, parts });
  return relations;
}

describe('national indicators on a generated year', () => {
  const generated = generateYear({ year: YEAR, persons: 3000, seed: 17, participants });
  const input = inputOf(generated);
  const lattice = computeLattice(input);
  const release = releaseOf(YEAR, AS_OF, lattice, MIN_K);

  it('has people referred by two agencies and under linked pseudonyms, and counts each once', () => {
    const threads = new Map<string, Set<string>>();
    for (const m of generated.messages) threads.set(generated.links.get(m.subject) ?? m.subject, new Set([...(threads.get(generated.links.get(m.subject) ?? m.subject) ?? []), m.correlationId]));
    expect([...threads.values()].filter((t) => t.size > 1).length).toBeGreaterThan(500);
    expect(generated.links.size).toBeGreaterThan(200);
    const alerted = new Set(generated.messages.filter((m) => m.type === 'alert').map((m) => generated.links.get(m.subject) ?? m.subject));
    // Alerts raised, by person: fewer than the alerts themselves.
    expect(alerted.size).toBe(3000);
    expect(generated.messages.filter((m) => m.type === 'alert').length).toBeGreaterThan(3500);
  });

  it('gives every cell the count of distinct persons made independently from the generator\'s events', () => {
    const expected = truthCounts(generated, YEAR);
    const wrong = lattice.cells.map(cellKey).filter((key) => lattice.counts.get(key) !== (expected.get(key) ?? 0));
    expect(wrong).toEqual([]);
    expect(lattice.cells.length).toBeGreaterThan(20_000);
    // Nothing the generator meant falls outside the lattice.
    const keys = new Set(lattice.cells.map(cellKey));
    const inLattice = (key: string) => { const [indicator, , , dimension] = key.split('|'); return dimension === 'all' || DIMENSIONS[indicator as Indicator].includes(dimension!); };
    expect([...expected.keys()].filter((key) => inLattice(key) && !keys.has(key))).toEqual([]);
    const national = (indicator: string) => lattice.counts.get(`${indicator}|${YEAR}|${NATIONAL}|all|all`)!;
    for (const indicator of INDICATORS) expect(national(indicator), indicator).toBeGreaterThan(indicator === 'cross-border-transfers' ? 100 : 300);
  });

  it('gives the median and 90th percentile of days from first alert to first measure', () => {
    const days = generated.truth.filter((t) => t.indicator === 'time-to-first-measure').map((t) => t.days!).sort((a, b) => a - b);
    const cell = release.cells.find((c) => c.indicator === 'time-to-first-measure' && c.period === String(YEAR) && c.agency === NATIONAL)!;
    expect(cell.persons).toBe(days.length);
    expect(cell.medianDays).toBe(days[Math.ceil(days.length / 2) - 1]);
    expect(cell.p90Days).toBe(quantile(days, 0.9));
    expect(cell.p90Days!).toBeGreaterThan(cell.medianDays!);
  });

  it('publishes no cell below k and every published cell as counted', () => {
    const suppressed = release.cells.filter((c) => c.persons === null);
    expect(suppressed.length).toBeGreaterThan(100);
    for (const cell of release.cells) {
      const count = lattice.counts.get(cellKey(cell))!;
      if (cell.persons === null) continue;
      expect(cell.persons, cellKey(cell)).toBe(count);
      expect(cell.persons, cellKey(cell)).toBeGreaterThanOrEqual(MIN_K);
    }
    // Suppressed for being small, and (secondary) some of k or more to protect them.
    expect(suppressed.some((c) => lattice.counts.get(cellKey(c))! >= MIN_K)).toBe(true);
    expect(release.cells.filter((c) => c.medianDays !== undefined).every((c) => c.persons !== null && c.persons >= MIN_K)).toBe(true);
  });

  it('resists differencing: totals, months within quarters, agencies within the nation, and every participant\'s slice put together recover nothing', () => {
    // What every viewer gets, merged: each participant's slice and the statistician's whole release.
    const views = [release, ...participants.map((p) => sliceFor(release, p.id))];
    const known = new Map<string, number | null>();
    for (const view of views) {
      for (const cell of view.cells) {
        const key = cellKey(cell);
        expect(known.has(key) ? known.get(key) : cell.persons, key).toBe(cell.persons);
        known.set(key, cell.persons);
      }
    }
    // Cells left out are zero, and the attacker knows it: every lattice cell is in the system.
    for (const cell of lattice.cells) if (!known.has(cellKey(cell))) known.set(cellKey(cell), 0);
    const relations = attackerRelations([...known.keys()]);
    expect(relations.length).toBeGreaterThan(5000);
    expect([...recoverable(known, relations).keys()]).toEqual([]);
    // No relation has one hidden member; and where its total is published, the hidden parts
    // hold k persons or more together: their sum (total minus the published parts) is no small group.
    for (const { total, parts } of relations) {
      const hidden = [total, ...parts].filter((m) => known.get(m) === null);
      expect(hidden.length, total).not.toBe(1);
      if (hidden.length > 0 && known.get(total) !== null) expect(hidden.reduce((sum, m) => sum + lattice.counts.get(m)!, 0), total).toBeGreaterThanOrEqual(MIN_K);
    }
  });

  it('gives the same release for the same data, in whatever order the store returns it', () => {
    const shuffled = { ...input, messages: [...input.messages].reverse(), referrals: [...input.referrals].reverse() };
    expect(canonicalize(releaseOf(YEAR, AS_OF, computeLattice(shuffled), MIN_K))).toBe(canonicalize(release));
  });

  it('names no one: no pseudonym in the JSON or the CSV', () => {
    const json = JSON.stringify(release);
    const csv = releaseCsv(release);
    for (const text of [json, csv]) {
      expect(text).not.toMatch(/psn_/);
      expect(text).not.toContain(generated.persons[0]!.person.slice(4));
    }
    expect(csv.split('\r\n')[0]).toBe('indicator,period,agency,dimension,category,status,persons,median_days,p90_days');
    expect(csv).toMatch(/\r\nalerts-coordinated,2025,national,all,all,published,\d+,,\r\n/);
  });
});
