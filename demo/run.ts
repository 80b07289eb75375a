/**
 * `npm run demo`: a case across the NRM and the TRM against a gateway started with
 * `npm start`, each agency speaking its own protocol through its adapter — the Ministry of
 * Interior's XML, the NCCTHB's JSON API, the NGO shelter's signed webhooks, SACP's REST,
 * SAA's SFTP files — and a partner gateway abroad. Prints each delivery's timeline.
 * Invented people only.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { mapping as moiMapping } from '../adapters/moi/mapping.ts';
import { mapping as ngoMapping } from '../adapters/ngo/mapping.ts';
import { SIGNATURE_HEADER, signBody } from '../adapters/ngo/transport.ts';
import { mapping as saaMapping } from '../adapters/saa/mapping.ts';
import { DIRECTORIES } from '../adapters/saa/transport.ts';
import { mapping as sacpMapping } from '../adapters/sacp/mapping.ts';
import type { Envelope } from '../schemas/index.ts';
import { loadContract } from '../schemas/index.ts';

const url = process.env.RG_URL ?? 'https://localhost:8443';
const dataDir = resolve(process.env.RG_DATA_DIR ?? './var');
const certs = join(dataDir, 'certs');
const examples = loadContract().document.components.examples as Record<string, { value: Record<string, any> }>;
const run = Date.now().toString(36);
const correlationId = `demo-case-${run}`;
const agents = new Map<string, Agent>();
const SETTLED = ['acknowledged', 'failed', 'withheld', 'expired', 'cancelled'];

interface Agency { adapter: string; intakeUrl?: string; directory?: string; secretFile?: string }
const agencies = (): Record<string, Agency> => {
  const file = join(dataDir, 'demo-agencies.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: start the gateway with npm start (embedded defaults) first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Agency>;
};

/** mTLS as a participant's own system (the development certificates). */
function agentFor(participant: string): Agent {
  let agent = agents.get(participant);
  if (!agent) {
    const read = (name: string) => readFileSync(join(certs, name));
    agents.set(participant, (agent = new Agent({ connect: { ca: read('ca.pem'), cert: read(`clients/${participant}.pem`), key: read(`clients/${participant}-key.pem`) } })));
  }
  return agent;
}

function message(example: string, changes: Record<string, unknown>, payload: Record<string, unknown> = {}): Record<string, any> {
  const base = structuredClone(examples[example]!.value);
  return { ...base, ...changes, correlationId, createdAt: new Date().toISOString(), payload: { ...base.payload, ...payload } };
}
/** A message as the agency's own system would write it (the adapter's mapping, used here as the agency's software). */
const native = (m: Record<string, any>, map: typeof moiMapping) => map.toNative({ ...m, id: randomUUID() } as Envelope, { deliveryId: 'none', envelopeDigest: 'none' }).body;

async function post(target: string, as: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await request(target, { method: 'POST', dispatcher: agentFor(as), headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.statusCode, text: await response.body.text() };
}

/** Follows the exchange's event stream as its sender until every delivery has settled. */
async function follow(sender: string, exchangeId: string): Promise<void> {
  const exchange = (await (await request(`${url}/v1/exchanges/${exchangeId}`, { dispatcher: agentFor(sender) })).body.json()) as { acceptedAt: string; deliveries: Array<{ recipient: string }> };
  const started = Date.parse(exchange.acceptedAt);
  const settled = new Map<string, string>();
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 30_000);
  const stream = await request(`${url}/v1/exchanges/${exchangeId}/events`, { dispatcher: agentFor(sender), signal: controller.signal });
  let buffer = '';
  try {
    for await (const chunk of stream.body) {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!data) continue;
        const event = JSON.parse(data) as { recipient: string; status: string; at: string };
        process.stdout.write(`  +${String(Date.parse(event.at) - started).padStart(5)} ms  ${event.recipient.padEnd(14)} ${event.status}\n`);
        if (SETTLED.includes(event.status)) settled.set(event.recipient, event.status);
      }
      if (settled.size === exchange.deliveries.length) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    process.stdout.write(`  (still not settled after 30 s: see GET /v1/exchanges/${exchangeId})\n`);
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
}

const heading = (title: string, how: string, m: Record<string, any>) =>
  process.stdout.write(`\n${title}\n  ${how}: ${m.type} ${m.sender} → ${m.recipients.join(', ')}  (messageId ${m.messageId})\n`);
const expectOk = (answer: { status: number; text: string }, what: string) => {
  if (answer.status >= 300) throw new Error(`${what} answered ${answer.status}: ${answer.text}`);
  return answer.text;
};

try {
  const all = agencies();
  process.stdout.write(`Referral Gateway demo against ${url}, case ${correlationId} (invented people only)\n`);

  const signal = message('Alert', { messageId: `demo-signal-${run}`, recipients: ['BG-NCCTHB'] });
  heading('1. Border police signal a presumed victim to the National Commission', 'MoI XML over HTTPS to the moi adapter', signal);
  const moiAnswer = expectOk(await post(all['BG-MOI']!.intakeUrl!, 'BG-MOI', native(signal, moiMapping), { 'content-type': 'application/xml' }), 'the MoI adapter');
  await follow('BG-MOI', /<GatewayReference>([^<]+)</.exec(moiAnswer)![1]!);

  const referral = message('Referral', { messageId: `demo-referral-${run}`, recipients: ['BG-NGO-ANIMUS'] });
  heading('2. The National Commission refers her to an NGO shelter', 'JSON API; the shelter gets an HMAC-signed webhook', referral);
  const accepted = JSON.parse(expectOk(await post(`${url}/v1/exchanges`, 'BG-NCCTHB', JSON.stringify(referral)), 'the gateway')) as { id: string };
  await follow('BG-NCCTHB', accepted.id);

  // A child, so SACP must be involved: the shelter reports her, under a vital-interest exemption.
  const child = message('Referral', {
    messageId: `demo-child-${run}`, sender: 'BG-NGO-ANIMUS', recipients: ['BG-SACP'],
    legalBasis: { exemption: 'vital-interest', justification: 'Unaccompanied 15-year-old found at the shelter with her sister; no guardian present.' },
  }, {
    subject: {
      identity: { givenName: 'Kalina', familyName: 'Primerova', dateOfBirth: '2011-05-14', sex: 'female' },
      child: { age: 15, unaccompanied: true, guardian: { status: 'not-yet-appointed' } },
      languages: ['bg'],
    },
  });
  heading('3. The shelter reports an unaccompanied child to the State Agency for Child Protection', 'the shelter\'s signed JSON to the ngo adapter', child);
  const secret = readFileSync(all['BG-NGO-ANIMUS']!.secretFile!);
  const ngoBody = native(child, ngoMapping);
  const ngoAnswer = JSON.parse(expectOk(await post(all['BG-NGO-ANIMUS']!.intakeUrl!, 'BG-NGO-ANIMUS', ngoBody, { [SIGNATURE_HEADER]: signBody(secret, ngoBody) }), 'the NGO adapter')) as { exchangeId: string };
  await follow('BG-NGO-ANIMUS', ngoAnswer.exchangeId);

  const services = message('Referral', {
    messageId: `demo-services-${run}`, sender: 'BG-SACP', recipients: ['BG-SAA'],
    legalBasis: { exemption: 'legal-obligation', justification: 'Child Protection Act: placement in a crisis centre for children.' },
  }, { subject: child.payload.subject, requestedServices: [{ measure: '2.1', service: 'crisis-accommodation' }] });
  heading('4. SACP asks the Social Assistance Agency for a crisis-centre place', 'SACP REST to the sacp adapter; SAA receives an SFTP file', services);
  const sacpAnswer = JSON.parse(expectOk(await post(`${all['BG-SACP']!.intakeUrl!}/notifications`, 'BG-SACP', native(services, sacpMapping)), 'the SACP adapter')) as { gatewayReference: string };
  await follow('BG-SACP', sacpAnswer.gatewayReference);

  const placed = message('CaseUpdate', { messageId: `demo-placed-${run}`, sender: 'BG-SAA', recipients: ['BG-NCCTHB'], inReplyTo: undefined });
  heading('5. SAA reports progress to the National Commission in its nightly batch', 'a file dropped on SAA\'s SFTP server', placed);
  const name = `ASP_${run}.json`;
  const saaDir = all['BG-SAA']!.directory!;
  writeFileSync(join(saaDir, DIRECTORIES.toGateway, `.${name}.part`), native(placed, saaMapping));
  renameSync(join(saaDir, DIRECTORIES.toGateway, `.${name}.part`), join(saaDir, DIRECTORIES.toGateway, name));
  const ackFile = join(saaDir, DIRECTORIES.toGatewayAck, `${name}.ack.json`);
  for (let i = 0; i < 100 && !existsSync(ackFile); i++) await new Promise((r) => setTimeout(r, 100));
  const ack = JSON.parse(readFileSync(ackFile, 'utf8')) as { status: string; gatewayReference?: string; reason?: string };
  if (ack.status !== 'ACCEPTED') throw new Error(`SAA's file was rejected: ${ack.reason}`);
  process.stdout.write(`  acknowledgement file ${DIRECTORIES.toGatewayAck}/${name}.ack.json: ${ack.status}\n`);
  await follow('BG-SAA', ack.gatewayReference!);

  const transfer = message('CaseTransfer', { messageId: `demo-transfer-${run}`, recipients: ['HU-NBI'], purpose: 'safe-return' });
  heading('6. The National Commission hands the case to Hungary for a safe return', 'through the partner gateway abroad (peer adapter, TRM)', transfer);
  const trm = JSON.parse(expectOk(await post(`${url}/v1/exchanges`, 'BG-NCCTHB', JSON.stringify(transfer)), 'the gateway')) as { id: string };
  await follow('BG-NCCTHB', trm.id);

  process.stdout.write(`\nDone. GET ${url}/v1/exchanges?correlationId=${correlationId} lists the thread; the files SAA saw are under ${saaDir}.\n`);
} catch (error) {
  process.stderr.write(`demo failed: ${(error as Error).message}\nIs the gateway running (npm start in another terminal)?\n`);
  process.exitCode = 1;
} finally {
  await Promise.all([...agents.values()].map((a) => a.close()));
}
