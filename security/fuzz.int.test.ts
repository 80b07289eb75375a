/**
 * A bounded fuzz run in `npm test` (the long one: `npm run fuzz`): a few thousand mutated
 * requests over every route, with every kind of certificate. No 5xx, every refusal
 * problem+json with its registered code, nothing invalid accepted, no canary in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSENT } from '../demo/participants.ts';
import { captureLogs, contract, createTestPki, example, startTestGateway, validators, type TestGateway } from '../testing/test-gateway.ts';
import { FUZZ_CANARY, fuzz } from './fuzz.ts';

describe('fuzzing every route', () => {
  const pki = createTestPki();
  const logs = captureLogs();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki, logs: logs.stream });
  });
  afterAll(() => gw?.close());

  it('answers 3,000 mutated requests without a 5xx, each refusal a registered problem, and accepts nothing invalid', async () => {
    const clients = [
      ...['BG-MOI', 'BG-NCCTHB', 'BG-SAA', 'BG-NGO-ANIMUS'].map((participant) => ({ client: gw.as(pki.participant(participant)), participant })),
      ...[pki.admin, pki.certificateOfficer, pki.consentOfficer, undefined, pki.expired, pki.foreign].map((cert) => ({ client: gw.as(cert) })),
    ];
    const seeds = [
      ...(['Alert', 'Referral', 'ReferralResponse', 'CaseTransfer', 'CaseUpdate'] as const).map((name) => ({ ...example(name), messageId: `fuzz-${name}` })),
      DEMO_CONSENT, { url: 'https://93.184.215.14/hook' }, { reason: 'keyCompromise' }, { reason: 'the shelter closed' },
      { identity: { givenName: 'Ana', familyName: 'Fuzz', dateOfBirth: '1990-01-01' } },
    ];
    const report = await fuzz({ document: contract.document, clients, seeds, requests: 3_000, seed: 20261202 });
    expect(report.failures).toEqual([]);
    expect(report.sent).toBe(3_000);
    expect(report.accepted.length, 'some were taken, and checked').toBeGreaterThan(0);
    // Many different answers: the run reached past the front door.
    expect(Object.keys(report.byStatus).length).toBeGreaterThan(5);
    const checkEnvelope = validators.schema('Envelope');
    for (const id of report.accepted) {
      const { rows } = await gw.db.query<{ envelope: unknown }>('SELECT envelope FROM exchanges WHERE id = $1', [id]);
      expect(checkEnvelope(rows[0]!.envelope), id).toEqual([]);
    }
    expect(logs.lines.join('\n')).not.toContain(FUZZ_CANARY);
  }, 120_000);
});
