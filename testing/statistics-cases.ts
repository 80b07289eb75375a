/**
 * A generated year of invented cases for the statistics tests: persons alerted, referred,
 * supported, followed up and transferred abroad by several agencies, some of them twice by
 * different agencies, some under a gateway-issued pseudonym linked to their computed one.
 * Besides the messages (as the store holds their case metadata and facts), it records what
 * it meant — each indicator's events per person — so a test can count them independently
 * of the code under test. Seeded: the same seed gives the same cases. Nobody here is real.
 */
import { randomUUID } from 'node:crypto';
import type { StatisticalFacts } from '../gateway/statistics/facts.ts';
import type { Queryable } from '../gateway/store/database.ts';

export interface GeneratedMessage {
  exchangeId: string;
  seq: number;
  correlationId: string;
  type: 'alert' | 'referral' | 'referral-response' | 'case-update' | 'case-transfer';
  sender: string;
  recipients: string[];
  messageId: string;
  inReplyTo?: string;
  acceptedAt: Date;
  /** The pseudonym the message carries (an issued one, for some). */
  subject: string;
  caseFacts: Record<string, unknown>;
  facts: StatisticalFacts;
}

export interface GeneratedReferral {
  deliveryId: string;
  exchangeId: string;
  correlationId: string;
  requester: string;
  owner: string;
  requestedAt: Date;
}

/** What the generator meant: one indicator event of one person. */
export interface TruthEvent {
  indicator: string;
  person: string;
  at: Date;
  agency: string;
  /** For referrals: the measure code and outcome; for cross-border: the partner country; for time-to-first-measure: days. */
  measure?: string;
  outcome?: string;
  country?: string;
  days?: number;
}

export interface GeneratedPerson {
  person: string;
  sex: string;
  ageBand: string;
  citizenship: string[];
  forms: string[];
  child: boolean;
}

export interface GeneratedYear {
  messages: GeneratedMessage[];
  referrals: GeneratedReferral[];
  /** Issued pseudonym → the computed one it is linked to. */
  links: Map<string, string>;
  persons: GeneratedPerson[];
  truth: TruthEvent[];
}

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
  };
}

const DAY = 86_400_000;
const CITIZENSHIPS = ['BG', 'BG', 'BG', 'BG', 'RO', 'SY', 'UA', 'HU'];
const FORMS = ['sexual', 'labour', 'begging', 'criminal-activities', 'domestic-servitude', 'forced-marriage'];
const ADULT_BANDS = ['18-24', '25-34', '35-49', '50+'];
const MEASURES = ['2.1', '2.2', '3.1', '3.2', '3.3'];

/**
 * `persons` invented people over `year`; the agencies are `participants` by kind: alerts from
 * law enforcement, NGOs and child protection to the coordinator, referrals from it to NGOs,
 * social assistance and (for children) child protection, transfers to foreign partners.
 */
export function generateYear(options: { year: number; persons: number; seed: number; participants: ReadonlyArray<{ id: string; kind: string; country: string }> }): GeneratedYear {
  const r = prng(options.seed);
  const of = (kind: string) => options.participants.filter((p) => p.kind === kind).map((p) => p.id);
  const coordinator = of('coordinator')[0]!;
  const alerting = [...of('law-enforcement'), ...of('ngo'), ...of('child-protection')];
  const providers = [...of('ngo'), ...of('social-assistance')];
  const childProtection = of('child-protection')[0]!;
  const partners = options.participants.filter((p) => p.kind === 'foreign-partner');
  const start = Date.UTC(options.year, 0, 1);
  const out: GeneratedYear = { messages: [], referrals: [], links: new Map(), persons: [], truth: [] };
  let seq = 0;
  const emit = (m: Omit<GeneratedMessage, 'exchangeId' | 'seq' | 'messageId'>) => {
    const message = { ...m, exchangeId: randomUUID(), seq: (seq += 1), messageId: `gen-${seq.toString().padStart(8, '0')}` };
    out.messages.push(message);
    return message;
  };

  for (let n = 0; n < options.persons; n += 1) {
    const child = r.chance(0.15);
    const person: GeneratedPerson = {
      person: `psn_gen${options.seed}x${n.toString().padStart(6, '0')}aaaaaaaa`,
      sex: r.chance(0.05) ? 'unknown' : r.pick(['female', 'female', 'male']),
      ageBand: child ? r.pick(['0-11', '12-17', '12-17']) : r.chance(0.05) ? 'unknown' : r.pick(ADULT_BANDS),
      citizenship: r.chance(0.05) ? [] : r.chance(0.1) ? ['BG', 'RO'] : [r.pick(CITIZENSHIPS)],
      forms: r.chance(0.05) ? [] : r.chance(0.15) ? [r.pick(FORMS), 'labour'].filter((f, i, a) => a.indexOf(f) === i).sort() : [r.pick(FORMS)],
      child,
    };
    out.persons.push(person);
    const facts: StatisticalFacts = {
      ...(person.sex === 'unknown' ? {} : { sex: person.sex as StatisticalFacts['sex'] }),
      ...(person.ageBand === 'unknown' ? {} : { ageBand: person.ageBand as StatisticalFacts['ageBand'] }),
      ...(person.citizenship.length ? { citizenship: person.citizenship } : {}),
      ...(person.forms.length ? { forms: person.forms } : {}),
      ...(child ? { child: true } : {}),
    };
    // One case thread, or two opened by different agencies: the same person, counted once.
    const threads = r.chance(0.3) ? 2 : 1;
    let firstAlert: { at: number; agency: string } | undefined;
    let firstMeasure: number | undefined;
    const measureAt = (at: number) => { if (firstMeasure === undefined || at < firstMeasure) firstMeasure = at; };
    const alertSenders = [...alerting].sort(() => r.next() - 0.5);
    let exitAt: number | undefined;
    const follows: number[] = [];
    for (let t = 0; t < threads; t += 1) {
      const correlationId = `gen-${options.seed}-${n}-${t}`;
      // Some threads know the person only by a pseudonym the gateway issued, later linked.
      const subject = t === 1 && r.chance(0.4) ? `psn_issued${options.seed}x${n.toString().padStart(6, '0')}bbbbbb` : person.person;
      if (subject !== person.person) out.links.set(subject, person.person);
      const alertAt = start + r.int(0, 300) * DAY + r.int(0, 86_399) * 1000;
      const alertSender = alertSenders[t % alertSenders.length]!;
      emit({ correlationId, type: 'alert', sender: alertSender, recipients: [coordinator], acceptedAt: new Date(alertAt), subject, caseFacts: {}, facts });
      if (!firstAlert || alertAt < firstAlert.at) firstAlert = { at: alertAt, agency: alertSender };
      if (!r.chance(0.85)) continue;
      out.truth.push({ indicator: 'alerts-coordinated', person: person.person, at: new Date(alertAt), agency: alertSender });
      const referralAt = alertAt + r.int(1, 5 * 24) * 3_600_000;
      const owner = child && r.chance(0.6) ? childProtection : r.pick(providers);
      const requested = [...new Set([r.pick(MEASURES), ...(r.chance(0.4) ? [r.pick(MEASURES)] : [])])].sort();
      const referral = emit({
        correlationId, type: 'referral', sender: coordinator, recipients: [owner], acceptedAt: new Date(referralAt), subject,
        caseFacts: { urgency: 'urgent' }, facts: { ...facts, requested, ...(child ? { childProtection: true } : {}) },
      });
      out.referrals.push({ deliveryId: randomUUID(), exchangeId: referral.exchangeId, correlationId, requester: coordinator, owner, requestedAt: new Date(referralAt) });
      if (child) out.truth.push({ indicator: 'children-referred', person: person.person, at: new Date(referralAt), agency: coordinator });
      const fate = r.next();
      const outcome = fate < 0.15 ? 'pending' : fate < 0.3 ? 'declined' : fate < 0.5 ? 'accepted' : fate < 0.7 ? 'in-progress' : 'completed';
      let at = referralAt;
      if (outcome !== 'pending') {
        at += r.int(2, 72) * 3_600_000;
        const decision = outcome === 'declined' ? 'declined' : 'accepted';
        emit({ correlationId, type: 'referral-response', sender: owner, recipients: [coordinator], inReplyTo: referral.messageId, acceptedAt: new Date(at), subject, caseFacts: { decision, ...(decision === 'declined' ? { declineReason: 'no-capacity' } : {}) }, facts });
        if (decision === 'accepted') measureAt(at);
      }
      if (outcome === 'in-progress' || outcome === 'completed') {
        at += r.int(1, 20) * DAY;
        emit({ correlationId, type: 'case-update', sender: owner, recipients: [coordinator], acceptedAt: new Date(at), subject, caseFacts: { update: 'measure-progress' }, facts: { ...facts, measures: requested.map((code) => ({ code, status: 'in-progress' })) } });
        out.truth.push({ indicator: 'victims-supported', person: person.person, at: new Date(at), agency: owner });
        measureAt(at);
      }
      if (outcome === 'completed') {
        at += r.int(5, 40) * DAY;
        emit({ correlationId, type: 'case-update', sender: owner, recipients: [coordinator], acceptedAt: new Date(at), subject, caseFacts: { update: 'case-closure', closure: { closedOn: '2025-12-31', reason: 'reintegrated' } }, facts: { ...facts, measures: requested.map((code) => ({ code, status: 'completed' })) } });
        out.truth.push({ indicator: 'victims-supported', person: person.person, at: new Date(at), agency: owner });
      }
      for (const code of requested) out.truth.push({ indicator: 'referrals', person: person.person, at: new Date(referralAt), agency: owner, measure: code, outcome: outcome === 'in-progress' ? 'accepted' : outcome });
      if ((outcome === 'completed' || outcome === 'in-progress') && r.chance(0.35)) {
        const exit = at + r.int(1, 10) * DAY;
        emit({ correlationId, type: 'case-update', sender: owner, recipients: [coordinator], acceptedAt: new Date(exit), subject, caseFacts: { update: 'shelter-exit' }, facts });
        exitAt = exitAt === undefined ? exit : Math.min(exitAt, exit);
        if (r.chance(0.7)) {
          const follow = exit + r.int(20, 100) * DAY;
          emit({ correlationId, type: 'case-update', sender: owner, recipients: [coordinator], acceptedAt: new Date(follow), subject, caseFacts: { update: 'follow-up' }, facts });
          follows.push(follow);
          out.truth.push({ indicator: 'follow-up-completed', person: person.person, at: new Date(follow), agency: owner });
        }
      }
      if (partners.length > 0 && r.chance(0.08)) {
        const partner = r.pick(partners);
        const transferAt = referralAt + r.int(1, 60) * DAY;
        emit({ correlationId, type: 'case-transfer', sender: coordinator, recipients: [partner.id], acceptedAt: new Date(transferAt), subject, caseFacts: {}, facts });
        for (const agency of [coordinator, partner.id]) out.truth.push({ indicator: 'cross-border-transfers', person: person.person, at: new Date(transferAt), agency, country: partner.country });
      }
    }
    if (firstAlert && firstMeasure !== undefined && firstMeasure >= firstAlert.at) {
      out.truth.push({ indicator: 'time-to-first-measure', person: person.person, at: new Date(firstAlert.at), agency: firstAlert.agency, days: Math.round(((firstMeasure - firstAlert.at) / DAY) * 10) / 10 });
    }
  }
  out.messages.sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime());
  return out;
}

/**
 * Distinct persons per cell key (`indicator|period|agency|dimension|category`), counted
 * from the generator's events — what it meant, not its messages — by the definitions of
 * docs/statistics.md, for tests to hold the indicators' code against.
 */
export function truthCounts(generated: GeneratedYear, year: number): Map<string, number> {
  const persons = new Map(generated.persons.map((p) => [p.person, p]));
  // Months as Sofia's calendar has them, read here with Intl, not with the code under test.
  const sofia = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit' });
  const periodsOf = (at: Date) => {
    const [y, m] = sofia.format(at).split('-').map(Number) as [number, number];
    return y === year ? [String(year), `${year}-Q${Math.floor((m - 1) / 3) + 1}`, `${year}-${String(m).padStart(2, '0')}`] : [];
  };
  const sets = new Map<string, Set<string>>();
  for (const t of generated.truth) {
    const p = persons.get(t.person)!;
    const categories: Record<string, Array<string | undefined>> = {
      all: ['all'], sex: [p.sex], age: [p.ageBand], citizenship: p.citizenship.length ? p.citizenship : ['unknown'], form: p.forms.length ? p.forms : ['unknown'],
      measure: [t.measure], 'measure-outcome': t.measure ? [`${t.measure}:${t.outcome}`] : [], 'partner-country': [t.country],
    };
    for (const period of periodsOf(t.at)) {
      for (const agency of ['national', t.agency]) {
        for (const [dimension, values] of Object.entries(categories)) {
          for (const category of values) {
            if (category === undefined) continue;
            const key = `${t.indicator}|${period}|${agency}|${dimension}|${category}`;
            sets.set(key, (sets.get(key) ?? new Set()).add(t.person));
          }
        }
      }
    }
  }
  return new Map([...sets].map(([key, set]) => [key, set.size]));
}

/**
 * Writes the generated year where the case projector would have: case metadata, facts,
 * referrals, pseudonym links. `issuedFor` is a real exchange of the store: the one the
 * issued pseudonyms name (they must name one).
 */
export async function storeGeneratedYear(db: Queryable, generated: GeneratedYear, issuedFor: string): Promise<void> {
  for (let at = 0; at < generated.messages.length; at += 4000) {
    const chunk = generated.messages.slice(at, at + 4000);
    await db.query(
      `INSERT INTO case_messages (exchange_id, seq, correlation_id, type, sender, recipients, message_id, in_reply_to, accepted_at, facts)
         SELECT id, seq, correlation_id, type, sender, ARRAY[recipient], message_id, in_reply_to, accepted_at, facts
           FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::jsonb[])
             AS g (id, seq, correlation_id, type, sender, recipient, message_id, in_reply_to, accepted_at, facts)`,
      [chunk.map((m) => m.exchangeId), chunk.map((m) => 1_000_000_000 + m.seq), chunk.map((m) => m.correlationId), chunk.map((m) => m.type), chunk.map((m) => m.sender),
        chunk.map((m) => m.recipients[0]), chunk.map((m) => m.messageId), chunk.map((m) => m.inReplyTo ?? null), chunk.map((m) => m.acceptedAt.toISOString()),
        chunk.map((m) => JSON.stringify(m.caseFacts))],
    );
    await db.query(
      'INSERT INTO statistics_facts (exchange_id, subject, accepted_at, facts) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::jsonb[])',
      [chunk.map((m) => m.exchangeId), chunk.map((m) => m.subject), chunk.map((m) => m.acceptedAt.toISOString()), chunk.map((m) => JSON.stringify(m.facts))],
    );
  }
  const r = generated.referrals;
  await db.query(
    `INSERT INTO referrals (delivery_id, exchange_id, correlation_id, requester, owner, requested_at, state, state_at)
       SELECT d, e, c, q, o, t, 'requested', t FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS g (d, e, c, q, o, t)`,
    [r.map((x) => x.deliveryId), r.map((x) => x.exchangeId), r.map((x) => x.correlationId), r.map((x) => x.requester), r.map((x) => x.owner), r.map((x) => x.requestedAt.toISOString())],
  );
  const links = [...generated.links];
  // Issued pseudonyms name the exchange they were issued with: a real one of this system stands in.
  await db.query(
    "INSERT INTO issued_pseudonyms (pseudonym, issued_to, issued_at, exchange_id) SELECT p, 'BG-NGO-ANIMUS', now(), $2 FROM unnest($1::text[]) AS p",
    [links.map(([issued]) => issued), issuedFor],
  );
  await db.query(
    `INSERT INTO pseudonym_links (issued, computed, linked_by, linked_at) SELECT i, c, 'admin:gateway-admin', now() FROM unnest($1::text[], $2::text[]) AS g (i, c)`,
    [links.map(([issued]) => issued), links.map(([, computed]) => computed)],
  );
}
