/**
 * The national indicators on the whole system (PostgreSQL, Redis, agency systems over
 * HTTPS): the case projector captures each exchange's facts without a name or date of
 * birth; a generated year of 3,000 invented persons in the store gives, through the API,
 * the counts made independently from the generator's events, with links between pseudonyms
 * resolved and referral outcomes read from their threads; a release is stored once, audited
 * and served the same afterwards; participants see their own agency's cells; nobody is
 * named in any answer; facts go after their retention, releases stay.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PARTICIPANTS } from '../../demo/participants.ts';
import { generateYear, storeGeneratedYear, truthCounts } from '../../testing/statistics-cases.ts';
import { createPostgresDatabase, uniqueId, type TestResponse } from '../../testing/test-gateway.ts';
import { GatewayError } from '../errors.ts';
import { createParticipantRegistry } from '../participants/participant-registry.ts';
import { migrate, openDatabase } from '../store/index.ts';
import { createStatisticsStore } from '../store/statistics-store.ts';
import { createStatistics } from './statistics.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { canonicalDigest } from '../../schemas/index.ts';
import { cellKey } from './indicators.ts';

const YEAR = 2025;

describe('national indicators through the API', () => {
  let system: TestSystem;
  const participants = DEMO_PARTICIPANTS.map((p) => ({ id: p.id, kind: p.kind, country: p.country }));
  const generated = generateYear({ year: YEAR, persons: 3000, seed: 29, participants });
  const eventually = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

  beforeAll(async () => {
    system = await startTestSystem({
      overrides: {
        audit: { chainIntervalMs: 100 },
        devAdministrators: [{ name: 'gateway-admin', roles: ['certificate-officer', 'consent-officer', 'operator', 'auditor', 'statistician'] }, { name: 'night-operator', roles: ['operator'] }],
      },
    });
  });
  afterAll(() => system?.close());

  let alert: { id: string };
  it('captures each exchange\'s facts as the case projector reads it: an age band, never the name or the date of birth', async () => {
    const thread = uniqueId('case');
    alert = await system.submit('Alert', (m) => { m.correlationId = thread; });
    const referral = await system.submit('Referral', (m) => { m.correlationId = thread; });
    const factsOf = (id: string) => eventually(async () => {
      const { rows: [row] } = await system.running.db.query<{ subject: string; facts: Record<string, unknown> }>('SELECT subject, facts FROM statistics_facts WHERE exchange_id = $1', [id]);
      expect(row).toBeDefined();
      return row!;
    });
    const alertFacts = await factsOf(alert.id);
    expect(alertFacts.subject).toMatch(/^psn_/);
    // Born 1999-04-02: 27 at acceptance in 2026.
    expect(alertFacts.facts).toEqual({ sex: 'female', ageBand: '25-34', citizenship: ['BG'], forms: ['labour'] });
    const referralFacts = await factsOf(referral.id);
    expect(referralFacts.facts).toMatchObject({ ageBand: '25-34', forms: ['labour'], requested: ['2.1'], measures: [{ code: '1.1', status: 'completed', provider: 'BG-MOI' }, { code: '1.2', status: 'completed', provider: 'BG-MOI' }] });
    const text = JSON.stringify([alertFacts.facts, referralFacts.facts]);
    for (const personal of ['Desislava', 'Testova', '1999', '+359', 'Vidin']) expect(text).not.toContain(personal);
  });

  let release: TestResponse;
  it('publishes, for the statistician, the counts made independently from a generated year of 3,000 persons, none below k', async () => {
    await storeGeneratedYear(system.running.db, generated, alert.id);
    release = await system.as('gateway-admin').get(`/v1/statistics/${YEAR}`);
    expect(release.body.code).toBeUndefined();
    expect(release.body).toMatchObject({ year: YEAR, asOf: '2026-03-31T21:00:00.000Z', k: 11, digest: expect.stringMatching(/^sha256:/) });
    expect(release.body.periods).toHaveLength(17);
    expect(release.body.periods.every((p: { complete: boolean }) => p.complete)).toBe(true);

    const expected = truthCounts(generated, YEAR);
    const cells = release.body.cells as Array<{ indicator: string; period: string; agency: string; dimension: string; category: string; persons: number | null }>;
    let published = 0;
    for (const cell of cells) {
      if (cell.persons === null) continue;
      published += 1;
      expect(cell.persons, cellKey(cell as never)).toBe(expected.get(cellKey(cell as never)) ?? 0);
      expect(cell.persons).toBeGreaterThanOrEqual(11);
    }
    expect(published).toBeGreaterThan(2000);
    // Every cell, suppressed ones too, counts as the generator meant: through SQL, links and referral threads.
    const lattice = await system.running.gateway.statistics.latticeOf(YEAR, new Date(release.body.asOf));
    const wrong = lattice.cells.map(cellKey).filter((key) => (lattice.counts.get(key) ?? 0) !== (expected.get(key) ?? 0));
    expect(wrong.slice(0, 5)).toEqual([]);
    const national = cells.find((c) => c.indicator === 'victims-supported' && c.period === String(YEAR) && c.agency === 'national' && c.dimension === 'all')!;
    expect(national.persons).toBe(expected.get(`victims-supported|${YEAR}|national|all|all`));
    expect(national.persons).toBeGreaterThan(1000);
  });

  it('records the release once in the audit log and serves it the same afterwards; every answer is audited', async () => {
    const again = await system.as('gateway-admin').get(`/v1/statistics/${YEAR}`);
    expect(again.body).toEqual(release.body);
    expect(again.headers['release-digest']).toBe(release.body.digest);
    // The digest is of the release itself: what is served, without its digest and the time it was made.
    const { digest, releasedAt, ...released } = release.body;
    expect(canonicalDigest(released)).toBe(digest);
    expect(Date.parse(releasedAt)).toBeGreaterThan(0);
    const { rows } = await system.running.db.query<{ action: string; details: Record<string, unknown> }>(
      "SELECT action, details FROM audit_log WHERE action IN ('statistics.released', 'statistics.exported') ORDER BY seq",
    );
    expect(rows.filter((r) => r.action === 'statistics.released').map((r) => r.details)).toEqual([
      { year: YEAR, asOf: release.body.asOf, k: 11, digest: release.body.digest, cells: release.body.cells.length },
    ]);
    expect(rows.filter((r) => r.action === 'statistics.exported').map((r) => r.details.scope)).toEqual(['national', 'national']);
    await expect(system.running.db.query("UPDATE statistics_releases SET k = 12")).rejects.toThrow(/append-only/);
  });

  it('gives a participant its own agency\'s cells of the same release, and CSV', async () => {
    const own = await system.as('BG-NGO-ANIMUS').get(`/v1/statistics/${YEAR}`);
    expect(own.body.agencies).toEqual(['BG-NGO-ANIMUS']);
    expect(own.body.cells.length).toBeGreaterThan(100);
    expect(own.body.cells.every((c: { agency: string }) => c.agency === 'BG-NGO-ANIMUS')).toBe(true);
    const whole = new Map((release.body.cells as Array<{ persons: number | null }>).map((c) => [cellKey(c as never), c.persons]));
    for (const cell of own.body.cells) expect(cell.persons).toBe(whole.get(cellKey(cell)));
    expect(own.body.digest).toBe(release.body.digest);

    const csv = await system.as('gateway-admin').get(`/v1/statistics/${YEAR}?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`statistics-${YEAR}-as-of-2026-04-01.csv`);
    const lines = (csv.text as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('indicator,period,agency,dimension,category,status,persons,median_days,p90_days');
    expect(lines).toHaveLength(release.body.cells.length + 1);
    expect(lines.filter((l) => l.includes(',suppressed,')).length).toBe(release.body.cells.filter((c: { persons: number | null }) => c.persons === null).length);
  });

  it('names no one in any answer or export', async () => {
    const answers = [JSON.stringify(release.body), (await system.as('gateway-admin').get(`/v1/statistics/${YEAR}?format=csv`)).text as string, JSON.stringify((await system.as('BG-SACP').get(`/v1/statistics/${YEAR}`)).body)];
    for (const text of answers) {
      expect(text).not.toMatch(/psn_/);
      for (const person of generated.persons.slice(0, 50)) expect(text).not.toContain(person.person.slice(4, 20));
      for (const personal of ['Desislava', 'Testova', '1999-04-02']) expect(text).not.toContain(personal);
    }
  });

  it('refuses with a clear problem what it cannot answer', async () => {
    const other = await system.as('night-operator').get(`/v1/statistics/${YEAR}`);
    expect([other.status, other.body.code]).toEqual([403, 'GW_ROLE_REQUIRED']);
    const future = await system.as('gateway-admin').get('/v1/statistics/2031');
    expect([future.status, future.body.code]).toEqual([404, 'GW_STATISTICS_NO_PERIOD']);
    const bad = await system.as('gateway-admin').get('/v1/statistics/last-year');
    expect([bad.status, bad.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    const format = await system.as('gateway-admin').get(`/v1/statistics/${YEAR}?format=xlsx`);
    expect([format.status, format.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
  });

  it('deletes facts after their retention; the stored release stays', async () => {
    await system.running.gateway.retention.purgeDue(new Date(Date.UTC(YEAR + 6, 0, 15)));
    const { rows: [left] } = await system.running.db.query<{ old: number; recent: number }>(
      `SELECT count(*) FILTER (WHERE accepted_at < '${YEAR + 1}-01-01')::int AS old, count(*) FILTER (WHERE accepted_at >= '${YEAR + 1}-01-01')::int AS recent FROM statistics_facts`,
    );
    expect(left).toEqual({ old: 0, recent: expect.any(Number) });
    expect(left!.recent).toBeGreaterThanOrEqual(2);
    const after = await system.as('gateway-admin').get(`/v1/statistics/${YEAR}`);
    expect(after.body.digest).toBe(release.body.digest);
  });
});

describe('a release the case projection has not caught up with', () => {
  it('is refused with 503 GW_STATISTICS_NOT_READY and Retry-After, and nothing is stored', async () => {
    const created = await createPostgresDatabase();
    const db = await openDatabase({ url: created.url });
    try {
      await migrate(db);
      // An entry from inside the year that no projection has read (none runs here).
      await db.query("INSERT INTO audit_log (at, actor, action, exchange_id, details) VALUES ('2025-06-01T10:00:00Z', 'gateway', 'retention.purged', NULL, '{}')");
      const statistics = createStatistics({ store: createStatisticsStore(db), registry: createParticipantRegistry(DEMO_PARTICIPANTS), k: 11 });
      const refused = await statistics.release({ kind: 'administrator', name: 'statistician', roles: ['statistician'] }, YEAR, 'json').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GatewayError);
      expect((refused as GatewayError).code).toBe('GW_STATISTICS_NOT_READY');
      expect((refused as GatewayError).headers).toEqual({ 'retry-after': '60' });
      expect((await db.query('SELECT count(*)::int AS n FROM statistics_releases')).rows[0]).toEqual({ n: 0 });
      expect(() => createStatistics({ store: createStatisticsStore(db), registry: createParticipantRegistry(DEMO_PARTICIPANTS), k: 10 })).toThrow(RangeError);
    } finally {
      await db.close();
      await created.drop();
    }
  });
});
