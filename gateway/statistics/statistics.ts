/**
 * National indicators for the National Commission (docs/statistics.md): one release per
 * year and month start (Sofia time), computed from the case facts the first time it is asked
 * for, protected (k, secondary suppression), stored and audited; afterwards always served
 * as stored. Statisticians see every agency and the national figures; a participant sees
 * its own agency's cells of the same protected release.
 */
import { canonicalDigest } from '../../schemas/index.ts';
import { callerLabel, hasRole, type Caller } from '../access/caller.ts';
import { referralTimeline, type ReferralState } from '../coordination/referral-state.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { FactRow, StatisticsStore } from '../store/statistics-store.ts';
import { localMonth, monthStart } from './calendar.ts';
import { MIN_K } from './disclosure.ts';
import { computeLattice, type Lattice, type ReferralOutcome, type StatMessage, type StatReferral } from './indicators.ts';
import { releaseCsv, releaseOf, sliceFor, type ReleaseBody } from './release.ts';

export interface StatisticsDeps {
  store: StatisticsStore;
  registry: Pick<ParticipantRegistry, 'list'>;
  /** Cells below k persons are suppressed; never less than 11. */
  k: number;
  now?: () => Date;
}

export interface Release {
  /** The stored release's digest (`sha256:` of the whole release's canonical JSON) — the same for every viewer's slice. */
  digest: string;
  releasedAt: string;
  /** What the caller may see. */
  body: ReleaseBody;
}

export interface Statistics {
  /** The release of `year` as of the latest instant it has (docs/statistics.md#releases). */
  release(caller: Caller, year: number, format: 'json' | 'csv'): Promise<Release & { csv?: string }>;
  /** The instant a release of `year` asked for at `now` is as of. */
  asOfFor(year: number, now: Date): Date;
  /** The lattice before disclosure control, as of `asOf`: what tests check the definitions on; never published. */
  latticeOf(year: number, asOf: Date): Promise<Lattice>;
}

/** A year's figures settle this many months after it ends; releases of it are as of then from that day on. */
const SETTLING_MONTHS = 3;
/** A release is made only this long after its instant: acceptances that began before it have finished. */
const SETTLE_MS = 60_000;

const OUTCOME: Record<ReferralState, ReferralOutcome> = {
  requested: 'pending', received: 'pending', accepted: 'accepted', 'in-progress': 'accepted', declined: 'declined', completed: 'completed', cancelled: 'cancelled', expired: 'cancelled',
};

const toStat = (row: FactRow): StatMessage => ({
  exchangeId: row.exchangeId, person: row.person, type: row.type, sender: row.sender, recipients: row.recipients, correlationId: row.correlationId,
  acceptedAt: row.acceptedAt, facts: row.facts,
  ...(row.caseFacts.update ? { update: row.caseFacts.update } : {}), ...(row.caseFacts.decision ? { decision: row.caseFacts.decision } : {}),
});

export function createStatistics(deps: StatisticsDeps): Statistics {
  if (!Number.isInteger(deps.k) || deps.k < MIN_K) throw new RangeError(`statistics.k must be an integer of ${MIN_K} or more, not ${deps.k}`);
  const now = deps.now ?? (() => new Date());

  const asOfFor = (year: number, at: Date) => {
    const current = localMonth(at);
    const thisMonth = monthStart(current.year, current.month);
    const settled = monthStart(year + 1, SETTLING_MONTHS);
    return thisMonth.getTime() < settled.getTime() ? thisMonth : settled;
  };

  const latticeOf = async (year: number, asOf: Date): Promise<Lattice> => {
    const [facts, referrals] = await Promise.all([deps.store.facts(asOf), deps.store.referrals(monthStart(year, 0), new Date(Math.min(asOf.getTime(), monthStart(year + 1, 0).getTime())))]);
    // Each referral's state as of the instant: its timeline up to then (later facts only ever add later steps).
    const owners = await deps.store.ownerMessages(referrals.map((r) => ({ correlationId: r.correlationId, sender: r.owner })), asOf);
    const outcomes: StatReferral[] = referrals.map((r) => {
      const thread = owners.get(`${r.correlationId} ${r.owner}`) ?? [];
      const steps = referralTimeline({ messageId: r.messageId, owner: r.owner, requestedAt: r.requestedAt, deliveryEvents: r.events, thread });
      return { exchangeId: r.exchangeId, owner: r.owner, outcome: OUTCOME[steps[steps.length - 1]!.state] };
    });
    const participants = deps.registry.list().map((p) => ({ id: p.id, kind: p.kind, country: p.country }));
    return computeLattice({ year, asOf, messages: facts.map(toStat), referrals: outcomes, participants });
  };

  return {
    asOfFor,
    latticeOf,
    async release(caller, year, format) {
      const statistician = hasRole(caller, 'statistician');
      if (!statistician && caller.kind !== 'participant') {
        throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Statistics are for administrators with the statistician role, and for participants (their own agency\'s figures).' });
      }
      const at = now();
      const asOf = asOfFor(year, at);
      if (asOf.getTime() <= monthStart(year, 0).getTime()) {
        throw new GatewayError('GW_STATISTICS_NO_PERIOD', { detail: `No month of ${year} has ended yet: the first release of ${year} is as of 1 February ${year}, 00:00 Sofia time.` });
      }
      let stored = await deps.store.release(year, asOf, deps.k);
      if (!stored) {
        if (at.getTime() < asOf.getTime() + SETTLE_MS || !(await deps.store.projectedPast(asOf))) {
          throw new GatewayError('GW_STATISTICS_NOT_READY', { detail: `The case projection has not yet read everything before ${asOf.toISOString()}; try again in a minute.`, headers: { 'retry-after': '60' } });
        }
        const body = releaseOf(year, asOf, await latticeOf(year, asOf), deps.k);
        stored = await deps.store.putRelease({ year, asOf, k: deps.k, body, digest: canonicalDigest(body), releasedBy: callerLabel(caller) }, body.cells.length);
      }
      const whole = stored.body as ReleaseBody;
      const body = statistician ? whole : sliceFor(whole, caller.kind === 'participant' ? caller.participantId : '');
      await deps.store.exported(callerLabel(caller), { year, asOf: asOf.toISOString(), digest: stored.digest, scope: statistician ? 'national' : body.agencies[0] ?? 'none', format });
      return { digest: stored.digest, releasedAt: stored.releasedAt.toISOString(), body, ...(format === 'csv' ? { csv: releaseCsv(body) } : {}) };
    },
  };
}
