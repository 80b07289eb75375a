/**
 * `npm run fuzz -- [--requests 100000] [--seed N]`: the long fuzz run against a gateway of its
 * own (a fresh PostgreSQL database), printing what came back and how to reproduce it. The
 * bounded run in `npm test` is `security/fuzz.int.test.ts`.
 */
import { parseArgs } from 'node:util';
import { captureLogs, contract, createTestPki, startTestGateway, validators } from '../testing/test-gateway.ts';
import { FUZZ_CANARY, fuzz, fuzzClients, fuzzMoiXml, fuzzSeeds, invalidlyAccepted, moiIntakeUnderTest } from './fuzz.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000_007) } } });
const requests = Number(values.requests);
const seed = Number(values.seed);

const pki = createTestPki();
const logs = captureLogs();
const gw = await startTestGateway({ store: 'postgresql', pki, logs: logs.stream });
const started = performance.now();
const cpuBefore = process.cpuUsage();
try {
  const report = await fuzz({
    document: contract.document, clients: fuzzClients(gw), seeds: fuzzSeeds(), requests, seed,
    onProgress: (r) => process.stdout.write(`\r${r.sent} sent, ${r.failures.length} failures`),
  });
  const seconds = (performance.now() - started) / 1000;
  const invalid = await invalidlyAccepted(gw, validators, report.accepted);
  const moi = moiIntakeUnderTest(validators);
  const xml = await fuzzMoiXml({ documents: moi.documents, count: Math.max(1000, Math.floor(requests / 10)), seed, takeIn: moi.takeIn });
  const cpu = process.cpuUsage(cpuBefore);
  const canary = logs.lines.some((l) => l.includes(FUZZ_CANARY));
  process.stdout.write([
    '',
    `API: ${report.sent} requests in ${seconds.toFixed(1)} s (${(report.sent / seconds).toFixed(0)}/s; load generator and gateway in one process, ${((cpu.user + cpu.system) / 1000 / report.sent).toFixed(2)} CPU ms each)`,
    `  answers: ${Object.entries(report.byStatus).sort().map(([s, n]) => `${s}×${n}`).join(', ')}`,
    `  accepted exchanges: ${report.accepted.length}, of which invalid: ${invalid.length}`,
    `  failures (5xx, not problem+json, unregistered code, wrong status or retryability): ${report.failures.length}`,
    ...report.failures.slice(0, 20).map((f) => `    ${f}`),
    `MoI XML intake: ${xml.tried} mutated documents, ${xml.accepted} taken, refused ${Object.entries(xml.refused).map(([c, n]) => `${c}×${n}`).join(', ')}; failures ${xml.failures.length}; invalid handed on ${moi.invalid.length}`,
    `canary "${FUZZ_CANARY}" in the logs: ${canary ? 'YES' : 'no'}`,
    `reproduce: npm run fuzz -- --requests ${requests} --seed ${seed}`,
    '',
  ].join('\n'));
  process.exitCode = report.failures.length + xml.failures.length + invalid.length + moi.invalid.length > 0 || canary ? 1 : 0;
} finally {
  await gw.close();
}
