/**
 * `npm run fuzz -- [--requests 100000] [--seed N]`: the long fuzz run against a gateway of its
 * own (a fresh PostgreSQL database), printing what came back and how to reproduce it. The
 * bounded run in `npm test` is `security/fuzz.int.test.ts`.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Intake } from '../adapters/index.ts';
import { mapping } from '../adapters/moi/mapping.ts';
import { answerXml } from '../adapters/moi/transport.ts';
import { takeIn } from '../adapters/shared/intake.ts';
import { DEMO_CONSENT } from '../demo/participants.ts';
import { captureLogs, contract, createTestPki, example, startTestGateway, validators } from '../testing/test-gateway.ts';
import { FUZZ_CANARY, fuzz, fuzzMoiXml } from './fuzz.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000_007) } } });
const requests = Number(values.requests);
const seed = Number(values.seed);

const pki = createTestPki();
const logs = captureLogs();
const gw = await startTestGateway({ store: 'postgresql', pki, logs: logs.stream });
const started = performance.now();
const cpuBefore = process.cpuUsage();
try {
  const clients = [
    ...['BG-MOI', 'BG-NCCTHB', 'BG-SAA', 'BG-NGO-ANIMUS'].map((participant) => ({ client: gw.as(pki.participant(participant)), participant })),
    ...[pki.admin, pki.certificateOfficer, pki.consentOfficer, undefined, pki.expired, pki.foreign].map((cert) => ({ client: gw.as(cert) })),
  ];
  const seeds = [
    ...(['Alert', 'Referral', 'ReferralResponse', 'CaseTransfer', 'CaseUpdate'] as const).map((name) => ({ ...example(name), messageId: `fuzz-${name}` })),
    DEMO_CONSENT, { url: 'https://93.184.215.14/hook' }, { reason: 'keyCompromise' }, { identity: { givenName: 'Ana', familyName: 'Fuzz', dateOfBirth: '1990-01-01' } },
  ];
  const report = await fuzz({
    document: contract.document, clients, seeds, requests, seed,
    onProgress: (r) => process.stdout.write(`\r${r.sent} sent, ${r.failures.length} failures`),
  });
  const seconds = (performance.now() - started) / 1000;
  const invalid: string[] = [];
  const checkEnvelope = validators.schema('Envelope');
  for (const id of report.accepted) {
    const { rows } = await gw.db.query<{ envelope: unknown }>('SELECT envelope FROM exchanges WHERE id = $1', [id]);
    if (checkEnvelope(rows[0]!.envelope).length > 0) invalid.push(id);
  }
  const documents = ['Alert', 'Referral'].map((name) => mapping.toNative({ ...example(name as 'Alert'), sender: 'BG-MOI', id: 'x' }, { deliveryId: 'none', envelopeDigest: 'none' }).body);
  const intake: Intake = {
    submit: async (message) => {
      if (validators.newExchange(message).length > 0) invalid.push(`moi:${message.messageId}`);
      return { ok: true, status: 202, acceptance: { id: '0b0c0d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5', messageId: message.messageId } } as never;
    },
    acknowledge: async () => ({ ok: true }) as never,
  };
  const xml = await fuzzMoiXml({
    documents, count: Math.max(1000, Math.floor(requests / 10)), seed,
    takeIn: async (body) => {
      const outcome = await takeIn({ contentType: 'application/xml', body }, { mapping, participantId: 'BG-MOI', intake, logger: pino({ level: 'silent' }) });
      return { outcome: outcome.outcome, status: answerXml(outcome).status, ...('code' in outcome ? { code: outcome.code } : {}) };
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const canary = logs.lines.some((l) => l.includes(FUZZ_CANARY));
  process.stdout.write([
    '',
    `API: ${report.sent} requests in ${seconds.toFixed(1)} s (${(report.sent / seconds).toFixed(0)}/s; load generator and gateway in one process, ${((cpu.user + cpu.system) / 1000 / report.sent).toFixed(2)} CPU ms each)`,
    `  answers: ${Object.entries(report.byStatus).sort().map(([s, n]) => `${s}×${n}`).join(', ')}`,
    `  accepted exchanges: ${report.accepted.length}, of which invalid: ${invalid.filter((i) => !i.startsWith('moi:')).length}`,
    `  failures (5xx, not problem+json, unregistered code, wrong status or retryability): ${report.failures.length}`,
    ...report.failures.slice(0, 20).map((f) => `    ${f}`),
    `MoI XML intake: ${xml.tried} mutated documents, ${xml.accepted} taken, refused ${Object.entries(xml.refused).map(([c, n]) => `${c}×${n}`).join(', ')}; failures ${xml.failures.length}; invalid handed on ${invalid.filter((i) => i.startsWith('moi:')).length}`,
    `canary "${FUZZ_CANARY}" in the logs: ${canary ? 'YES' : 'no'}`,
    `reproduce: npm run fuzz -- --requests ${requests} --seed ${seed}`,
    '',
  ].join('\n'));
  process.exitCode = report.failures.length + xml.failures.length + invalid.length > 0 || canary ? 1 : 0;
} finally {
  await gw.close();
}
