/**
 * The typed client against a running gateway (PostgreSQL, Redis, mutual TLS): a sender
 * submits and follows the events; a recipient pulls, verifies the seal, signs a receipt and
 * acknowledges; the sender sees it acknowledged. Refusals come back as problems with their code.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { example, uniqueId } from '../testing/test-gateway.ts';
import { createReferralClient, GatewayProblem, type ReferralClient } from './index.ts';

describe('the typed client', () => {
  let system: TestSystem;
  let sender: ReferralClient;
  let recipient: ReferralClient;
  beforeAll(async () => {
    // No simulated agencies: every participant pulls, as an integrator's system without an endpoint does.
    system = await startTestSystem({ overrides: { demoAgencies: false } });
    const files = (id: string) => {
      const dir = system.running.devCertsDir!;
      return { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'clients', `${id}.pem`), keyFile: join(dir, 'clients', `${id}-key.pem`) };
    };
    const baseUrl = system.running.url.replace('127.0.0.1', 'localhost');
    sender = createReferralClient({ baseUrl, credentials: files('BG-NCCTHB') });
    recipient = createReferralClient({ baseUrl, credentials: files('BG-NGO-ANIMUS') });
  });
  afterAll(async () => {
    await sender?.close();
    await recipient?.close();
    await system?.close();
  });

  it('submits, follows the events to the acknowledgement, and lets the recipient verify the seal and sign its receipt', async () => {
    const message = example('Referral');
    message.messageId = uniqueId('client');
    message.correlationId = uniqueId('case');
    const accepted = await sender.submit(message);
    expect(accepted).toMatchObject({ messageId: message.messageId, status: 'accepted' });

    const stop = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const event of sender.follow(accepted.id, { signal: stop.signal })) {
        seen.push(event.status);
        if (event.status === 'acknowledged') stop.abort();
      }
    })();

    const { data: inbox } = await recipient.api.GET('/v1/inbox', { params: { query: { wait: 10, limit: 10 } } });
    const item = inbox!.items.find((i) => i.exchangeId === accepted.id)!;
    expect(item).toBeDefined();
    await expect(recipient.verifySeal(item.envelope, item.seal!)).resolves.toMatchObject({ signer: expect.stringContaining('seal') });
    await expect(recipient.verifySeal({ ...item.envelope, correlationId: 'case-tampered' }, item.seal!)).rejects.toThrow();

    const receipt = await recipient.signReceipt({ deliveryId: item.deliveryId, envelopeDigest: item.envelopeDigest });
    const ack = await recipient.api.POST('/v1/inbox/{deliveryId}/ack', { params: { path: { deliveryId: item.deliveryId } }, body: receipt });
    expect(ack.response.status, JSON.stringify(ack.error)).toBe(200);
    expect(ack.data!.status).toBe('acknowledged');

    await following;
    expect(seen).toEqual(['accepted', 'queued', 'delivered', 'acknowledged']);
    expect((await sender.track(accepted.id)).deliveries[0]!.status).toBe('acknowledged');
  });

  it('resumes an event stream after the last event it saw', async () => {
    const message = example('Referral');
    message.messageId = uniqueId('client');
    const { id } = await sender.submit(message);
    const first = new AbortController();
    let lastEventId = '';
    for await (const event of sender.follow(id, { signal: first.signal })) {
      lastEventId = event.eventId;
      first.abort();
    }
    // Meanwhile the recipient takes the delivery: the resumed stream starts after what was seen.
    const { data } = await recipient.api.GET('/v1/inbox', { params: { query: { wait: 10, limit: 10 } } });
    expect(data!.items.map((i) => i.exchangeId)).toContain(id);
    const again = new AbortController();
    const resumed: Array<{ eventId: string; status: string }> = [];
    for await (const event of sender.follow(id, { signal: again.signal, lastEventId })) {
      resumed.push(event);
      if (event.status === 'delivered') again.abort();
    }
    expect(resumed.every((e) => BigInt(e.eventId) > BigInt(lastEventId))).toBe(true);
    expect(resumed.map((e) => e.status)).not.toContain('accepted');
  });

  it('reconnects a followed stream the gateway dropped, and goes on from the last event it saw', async () => {
    const message = example('Referral');
    message.messageId = uniqueId('client');
    const { id } = await sender.submit(message);
    const stop = new AbortController();
    const seen: Array<{ eventId: string; status: string }> = [];
    let dropped = false;
    for await (const event of sender.follow(id, { signal: stop.signal })) {
      seen.push(event);
      if (event.status === 'queued' && !dropped) {
        // Every connection cut, as a restart or a proxy would; then the recipient takes the delivery.
        dropped = true;
        system.running.gateway.server.closeAllConnections();
        // The recipient's own kept-alive connection was cut too: it asks again, as any client would.
        const pull = () => recipient.api.GET('/v1/inbox', { params: { query: { wait: 10, limit: 10 } } });
        await pull().catch(pull);
      }
      if (event.status === 'delivered') stop.abort();
    }
    expect(seen.map((e) => e.status)).toEqual(['accepted', 'queued', 'delivered']);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(3);
  });

  it('signs a submission over its canonical JSON, and the gateway verifies it (a signature over another body is refused)', async () => {
    const message = example('Referral');
    message.messageId = uniqueId('signed');
    const signed = await sender.submit(message, { sign: true });
    expect(signed.status).toBe('accepted');
    const other = example('Referral');
    other.messageId = uniqueId('signed');
    const wrong = await sender.api.POST('/v1/exchanges', { body: other, headers: { 'referral-signature': await sender.signSubmission(message) } });
    expect([wrong.response.status, (wrong.error as { code: string }).code]).toEqual([422, 'GW_SIGNATURE_INVALID']);
  });

  it('answers a refusal with the gateway\'s problem: its code, pointers and whether to retry', async () => {
    const broken = example('Referral');
    delete broken.recipients;
    const refusal = await sender.submit(broken).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayProblem);
    expect((refusal as GatewayProblem).code).toBe('GW_VALIDATION_FAILED');
    expect((refusal as GatewayProblem).retryable).toBe(false);
    expect((refusal as GatewayProblem).problem.violations).toContainEqual(expect.objectContaining({ pointer: '/recipients' }));
    const unknown = await sender.track('6f1c2b8e-0000-4000-8000-000000000000').catch((error: unknown) => error);
    expect((unknown as GatewayProblem).code).toBe('GW_EXCHANGE_NOT_FOUND');
  });
});
