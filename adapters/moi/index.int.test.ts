import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeSerial } from '../../certs/index.ts';
import { createTestPki, example, uniqueId } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { mapping, MOI_NAMESPACE } from './mapping.ts';
import type { MoiSimulator } from './simulator.ts';

describe('moi adapter against the gateway (XML over HTTPS, both ways)', () => {
  let system: TestSystem;
  const ministry = () => system.running.agencies.get('BG-MOI')!.system as MoiSimulator;
  const accepted = async (messageId: string) =>
    Number((await system.running.db.query<{ n: string }>('SELECT count(*) AS n FROM exchanges WHERE sender = $1 AND message_id = $2', ['BG-MOI', messageId])).rows[0]!.n);
  /** A signal as the ministry's system writes it. */
  const signal = (change: (message: any) => void = () => {}) => {
    const message = example('Alert');
    message.messageId = uniqueId('moi');
    change(message);
    return { messageId: message.messageId as string, document: mapping.toNative({ ...message, id: 'not-sent' }, { deliveryId: 'none', envelopeDigest: 'none' }) };
  };

  beforeAll(async () => {
    system = await startTestSystem({ overrides: { demoProtocols: 'native', demoPartner: false } });
  });
  afterAll(() => system?.close());

  it('delivers a referral as MoI XML, and the ministry\'s acknowledgement comes back as the signed receipt', async () => {
    const { id } = await system.submit('Referral', (m) => (m.recipients = ['BG-MOI']));
    const exchange = await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    expect(exchange.deliveries[0].receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The ministry's registration number is kept on the attempt that delivered.
    expect(exchange.deliveries[0].attempts.at(-1)).toMatchObject({ outcome: 'delivered', remoteReference: expect.stringMatching(/^URI-\d+$/) });
    const xml = [...ministry().documents.values()].at(-1)!;
    expect(xml).toContain(`<Referral xmlns="${MOI_NAMESPACE}"`);
    expect(xml).toContain('<VictimStatus>PREDPOLAGAEMA</VictimStatus>');
    expect(xml).toContain(`<DeliveryId>${exchange.deliveries[0].id}</DeliveryId>`);
  });

  it('retries while the ministry is down, then delivers', async () => {
    await ministry().stop();
    try {
      const { id } = await system.submit('Referral', (m) => (m.recipients = ['BG-MOI']));
      await system.settle(id, 'BG-NCCTHB', ['retrying']);
      await ministry().start();
      await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    } finally {
      await ministry().start().catch(() => {});
    }
  });

  it('turns a signal posted as MoI XML into an alert, once, however often it is posted', async () => {
    const { messageId, document } = signal();
    const first = await ministry().send(document);
    expect(first).toMatchObject({ accepted: true });
    expect(first.detail).toContain('<Status>PRIETO</Status>');
    const reference = /<GatewayReference>([^<]+)</.exec(first.detail)![1]!;
    const again = await ministry().send(document);
    expect(again.detail).toContain('<Status>VECHE_PRIETO</Status>');
    expect(await accepted(messageId)).toBe(1);
    const tracked = await system.track(reference, 'BG-MOI');
    expect(tracked).toMatchObject({ type: 'alert', sender: 'BG-MOI', messageId });
  });

  it('answers malformed XML, an unknown code and a refused signal with a Rejection, and accepts nothing', async () => {
    const broken = signal();
    const malformed = await ministry().send({ ...broken.document, body: broken.document.body.slice(0, 200) });
    expect(malformed.accepted).toBe(false);
    expect(malformed.detail).toMatch(/<Code>NATIVE_MALFORMED<\/Code>/);

    const unknownCode = signal();
    const coded = await ministry().send({ ...unknownCode.document, body: unknownCode.document.body.replace('PREDPOLAGAEMA', 'MOZHE_BI') });
    expect(coded.detail).toMatch(/<Code>UNKNOWN_CODE<\/Code>[\s\S]*VictimStatus/);

    const noBasis = signal((m) => delete m.legalBasis);
    const refused = await ministry().send(noBasis.document);
    expect(refused.accepted).toBe(false);
    expect(refused.detail).toMatch(/<Code>GW_LEGAL_BASIS_MISSING<\/Code>/);

    for (const { messageId } of [broken, unknownCode, noBasis]) expect(await accepted(messageId)).toBe(0);
  });

  it('lets in only the ministry\'s own certificate: another participant\'s is answered FORBIDDEN, a stranger\'s is untrusted', async () => {
    const { document, messageId } = signal();
    const intakeUrl = system.running.queues!.adapter('BG-MOI')!.intakeUrl!;
    const caPem = readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8');
    const post = async (cert: { certPem: string; keyPem: string }) => {
      const agent = new Agent({ connect: { ca: caPem, cert: cert.certPem, key: cert.keyPem } });
      try {
        const response = await request(intakeUrl, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/xml' }, body: document.body });
        return { status: response.statusCode, text: await response.body.text() };
      } finally {
        await agent.close();
      }
    };
    const other = await post(system.certificate('BG-NCCTHB'));
    expect(other.status).toBe(403);
    expect(other.text).toContain('<Code>FORBIDDEN</Code>');
    const stranger = await post(createTestPki().foreign);
    expect(stranger.status).toBe(403);
    expect(stranger.text).toContain('<Code>GW_CLIENT_CERT_UNTRUSTED</Code>');
    expect(await accepted(messageId)).toBe(0);
  });

  // Last: it revokes the ministry's certificate for the rest of the file.
  it('refuses a signal from the ministry once its certificate is revoked, on the connection it already had open', async () => {
    const before = signal();
    expect((await ministry().send(before.document)).accepted).toBe(true);
    const serial = normalizeSerial(new X509Certificate(system.certificate('BG-MOI').certPem).serialNumber);
    const revoked = await system.as('gateway-admin').post(`/v1/certificates/${serial}/revoke`, { reason: 'keyCompromise' });
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    const { document, messageId } = signal();
    let answer!: Awaited<ReturnType<MoiSimulator['send']>>;
    // Each process reloads the revocation list every second.
    await vi.waitFor(async () => {
      answer = await ministry().send(document);
      expect(answer.accepted).toBe(false);
    }, { timeout: 10_000, interval: 100 });
    expect(answer.again, 'never told to send again').toBe(false);
    expect(answer.detail).toContain('<Code>GW_CLIENT_CERT_REVOKED</Code>');
    expect(await accepted(messageId)).toBe(0);
  });
});
