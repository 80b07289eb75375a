/** `npm run demo`: a short NRM scenario against a gateway started with `npm start`, printing each delivery's timeline as it happens. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { loadContract } from '../schemas/index.ts';

const url = process.env.RG_URL ?? 'https://localhost:8443';
const certs = join(resolve(process.env.RG_DATA_DIR ?? './var'), 'certs');
const examples = loadContract().document.components.examples as Record<string, { value: Record<string, any> }>;
const run = Date.now().toString(36);
const correlationId = `demo-case-${run}`;
const agents = new Map<string, Agent>();

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

/** Submits, then follows the exchange's event stream until every delivery has settled. */
async function step(title: string, body: Record<string, any>): Promise<void> {
  process.stdout.write(`\n${title}\n  ${body.type} ${body.sender} → ${body.recipients.join(', ')}  (messageId ${body.messageId})\n`);
  const response = await request(`${url}/v1/exchanges`, {
    method: 'POST', dispatcher: agentFor(body.sender), headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = (await response.body.json()) as Record<string, any>;
  if (response.statusCode !== 202) throw new Error(`the gateway answered ${response.statusCode}: ${JSON.stringify(answer)}`);
  const started = Date.parse(answer.acceptedAt);
  const settled = new Map<string, string>();
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 30_000);
  const stream = await request(`${url}/v1/exchanges/${answer.id}/events`, { dispatcher: agentFor(body.sender), signal: controller.signal });
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
        if (['acknowledged', 'failed', 'withheld', 'expired', 'cancelled'].includes(event.status)) settled.set(event.recipient, event.status);
      }
      if (settled.size === body.recipients.length) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    process.stdout.write('  (still not settled after 30 s: see GET /v1/exchanges/{id})\n');
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
}

try {
  const alert = message('Alert', { messageId: `demo-alert-${run}`, recipients: ['BG-NCCTHB'] });
  const referral = message('Referral', { messageId: `demo-referral-${run}` });
  const response = message('ReferralResponse', { messageId: `demo-response-${run}`, inReplyTo: referral.messageId });
  const caseTransfer = {
    ...message('CaseTransfer', { messageId: `demo-transfer-${run}`, recipients: ['BG-SAA'] }),
    payload: {
      subject: referral.payload.subject,
      identificationStatus: 'identified',
      reason: 'end-of-crisis-phase',
      measures: [
        { code: '1.1', status: 'completed', provider: 'BG-MOI' },
        { code: '2.1', status: 'completed', provider: 'BG-NGO-ANIMUS' },
        { code: '3.1', status: 'planned' },
      ],
    },
  };
  process.stdout.write(`Referral Gateway demo against ${url}, case ${correlationId} (invented people only)\n`);
  await step('1. Border police signal a presumed victim to the National Commission', alert);
  await step('2. The National Commission refers her to an NGO shelter for crisis accommodation', referral);
  await step('3. The shelter accepts the referral', response);
  await step('4. After the crisis phase the case moves to the Social Assistance Agency', caseTransfer);
  process.stdout.write(`\nDone. GET ${url}/v1/exchanges?correlationId=${correlationId} lists the whole thread.\n`);
} catch (error) {
  process.stderr.write(`demo failed: ${(error as Error).message}\nIs the gateway running (npm start in another terminal)?\n`);
  process.exitCode = 1;
} finally {
  await Promise.all([...agents.values()].map((a) => a.close()));
}
