/**
 * A bounded fuzz run in `npm test` (the long one: `npm run fuzz`): a few thousand mutated
 * requests over every route, with every kind of certificate. No 5xx, every refusal
 * problem+json with its registered code, nothing invalid accepted, no canary in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, contract, createTestPki, startTestGateway, validators, type TestGateway } from '../testing/test-gateway.ts';
import { FUZZ_CANARY, fuzz, fuzzClients, fuzzSeeds, invalidlyAccepted } from './fuzz.ts';

describe('fuzzing every route', () => {
  const pki = createTestPki();
  const logs = captureLogs();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki, logs: logs.stream });
  });
  afterAll(() => gw?.close());

  it('answers 3,000 mutated requests without a 5xx, each refusal a registered problem, and accepts nothing invalid', async () => {
    const report = await fuzz({ document: contract.document, clients: fuzzClients(gw), seeds: fuzzSeeds(), requests: 3_000, seed: 20261202 });
    expect(report.failures).toEqual([]);
    expect(report.sent).toBe(3_000);
    expect(report.accepted.length, 'some were taken, and checked').toBeGreaterThan(0);
    // Many different answers: the run reached past the front door.
    expect(Object.keys(report.byStatus).length).toBeGreaterThan(5);
    expect(await invalidlyAccepted(gw, validators, report.accepted)).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain(FUZZ_CANARY);
  }, 120_000);
});
