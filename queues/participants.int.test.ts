/**
 * Deliveries follow the registry at run time (real PostgreSQL, Redis, HTTPS): an operator adds
 * a participant and gives it an endpoint; the certificate officer issues that endpoint's TLS
 * server certificate from a CSR; the next delivery goes there through the `https-json`
 * adapter — refused when the certificate does not name the endpoint's host, accepted once
 * it does; a new endpoint is used from the next delivery on; suspended, its deliveries wait
 * in the queue and resume when it is reinstated.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRecipientSimulator, type RecipientSimulator } from '../adapters/index.ts';
import { generateKeyPair } from '../certs/index.ts';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { deliveryQueueName, freePort } from './index.ts';

const SHELTER = {
  id: 'BG-NGO-NADEZHDA', name: 'Nadezhda Shelter (invented)', kind: 'ngo', country: 'BG',
  accepts: [{ type: 'referral', schemaVersions: ['1.0'] }], sends: ['referral-response', 'case-update'],
};

describe('deliveries to a participant managed at run time', () => {
  let system: TestSystem;
  const systems: RecipientSimulator[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rg-endpoint-'));
  beforeAll(async () => {
    system = await startTestSystem({ delivery: { attempts: 20 } });
  });
  afterAll(async () => {
    await Promise.all(systems.map((s) => s.close()));
    await system?.close();
  });
  const admin = () => system.as('gateway-admin');

  /** A key and CSR made with openssl, as the shelter's IT team would; the certificate officer has it signed. */
  async function serverCertificate(names: { dnsNames?: string[]; ipAddresses?: string[] }) {
    const { privateKeyPem } = generateKeyPair();
    const keyFile = join(dir, `key-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(keyFile, privateKeyPem);
    const csr = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=ignored'], { encoding: 'utf8' });
    const answer = await admin().post('/v1/certificates', { csr, subject: { kind: 'endpoint', participantId: SHELTER.id, ...names } });
    return { answer, keyPem: privateKeyPem };
  }
  /** The shelter's system, listening on `port` with `certificate`. */
  async function shelterSystem(port: number, certificate: { certPem: string; keyPem: string }) {
    const caPem = readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8');
    const simulated = await createRecipientSimulator({ participantId: SHELTER.id, server: { caPem, ...certificate }, port });
    systems.push(simulated);
    return simulated;
  }
  const refer = () => system.submit('Referral', (m) => void (m.recipients = [SHELTER.id]));
  const deliveryOf = async (exchangeId: string) => (await system.track(exchangeId, 'BG-NCCTHB')).deliveries[0];
  const setDelivery = (endpoint: string) => admin().put(`/v1/admin/participants/${SHELTER.id}/delivery`, { mode: 'push', endpoint });

  it('refuses a server certificate before the participant has an endpoint, and for a name that is not its endpoint\'s host', async () => {
    expect((await admin().post('/v1/admin/participants', SHELTER)).status).toBe(201);
    const before = await serverCertificate({ dnsNames: ['localhost'] });
    expect(before.answer.body.violations).toEqual([expect.objectContaining({ pointer: '/subject/participantId', message: 'has no registered endpoint' })]);

    const port = await freePort();
    const settings = await setDelivery(`https://localhost:${port}/referrals`);
    expect(settings.status, settings.text).toBe(200);
    expect(settings.body.delivery).toMatchObject({ mode: 'push', endpoint: `https://localhost:${port}/referrals` });
    const stranger = await serverCertificate({ dnsNames: ['localhost', 'shelter.example.org'] });
    expect([stranger.answer.status, stranger.answer.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(stranger.answer.body.violations).toEqual([expect.objectContaining({ pointer: '/subject/dnsNames/1' })]);
    expect((await system.as('BG-NGO-ANIMUS').post('/v1/certificates', { csr: 'x', subject: { kind: 'endpoint', participantId: 'BG-NGO-ANIMUS', dnsNames: ['localhost'] } })).body.code).toBe('GW_ROLE_REQUIRED');
  });

  it('delivers through the https-json adapter to the endpoint holding a server certificate issued from its CSR, listed as an endpoint certificate', async () => {
    const endpoint = new URL((await admin().get(`/v1/admin/participants/${SHELTER.id}`)).body.delivery.endpoint);
    const { answer, keyPem } = await serverCertificate({ dnsNames: ['localhost'] });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.subject).toMatchObject({ kind: 'endpoint', participantId: SHELTER.id });
    const shelter = await shelterSystem(Number(endpoint.port), { certPem: answer.body.certificate, keyPem });

    const { id, messageId } = await refer();
    await system.settle(id, 'BG-NCCTHB', ['delivered']);
    expect(shelter.arrivals.get(`BG-NCCTHB/${messageId}`)).toBe(1);
    const listed = (await admin().get(`/v1/certificates?participant=${SHELTER.id}`)).body.items;
    expect(listed.map((c: { subject: { kind: string } }) => c.subject.kind)).toEqual(['endpoint']);
  });

  it('uses a changed endpoint from the next delivery on, and will not deliver where the certificate does not name the host', async () => {
    const localhostCert = await serverCertificate({ dnsNames: ['localhost'] });
    // The same certificate on an address it does not name: the adapter refuses the endpoint (TLS), the delivery retries.
    const port = await freePort();
    await shelterSystem(port, { certPem: localhostCert.answer.body.certificate, keyPem: localhostCert.keyPem });
    expect((await setDelivery(`https://127.0.0.1:${port}/referrals`)).status).toBe(200);
    const { id } = await refer();
    await vi.waitFor(async () => {
      const delivery = await deliveryOf(id);
      expect(delivery.status).toBe('retrying');
      expect(delivery.attempts.at(-1).error.code).toMatch(/ALTNAME|HOSTNAME|CERT/);
    }, { timeout: 15_000, interval: 100 });

    // Its IT team gets a certificate naming the address; the system serves it; the waiting delivery goes through.
    const addressCert = await serverCertificate({ ipAddresses: ['127.0.0.1'] });
    expect(addressCert.answer.status, addressCert.answer.text).toBe(201);
    const port2 = await freePort();
    const shelter = await shelterSystem(port2, { certPem: addressCert.answer.body.certificate, keyPem: addressCert.keyPem });
    expect((await setDelivery(`https://127.0.0.1:${port2}/referrals`)).status).toBe(200);
    await system.settle(id, 'BG-NCCTHB', ['delivered'], 30_000);
    expect(shelter.arrivals.size).toBe(1);
  });

  it('holds deliveries while the participant is suspended, in the queue, and resumes them when it is reinstated', async () => {
    const endpoint = (await admin().get(`/v1/admin/participants/${SHELTER.id}`)).body.delivery.endpoint;
    const shelter = systems.find((s) => new URL(s.endpoint).port === new URL(endpoint).port)!;
    shelter.behave({ fail: { status: 503 } });
    const { id, messageId } = await refer();
    await vi.waitFor(async () => expect((await deliveryOf(id)).status).toBe('retrying'), { timeout: 15_000, interval: 50 });

    expect((await admin().post(`/v1/admin/participants/${SHELTER.id}/suspend`, { reason: 'Shelter closed for inspection.' })).status).toBe(200);
    await vi.waitFor(() => expect(system.running.queues!.holding(SHELTER.id)).toBe(true), { timeout: 5_000, interval: 20 });
    // An attempt already in flight when the suspension came finishes (it fails: the shelter still answers 503).
    await vi.waitFor(async () => expect((await deliveryOf(id)).status).toBe('retrying'), { timeout: 10_000, interval: 20 });
    shelter.behave({});
    // The job stays in the queue past the time it was due: the paused worker takes nothing.
    const queue = new Queue(deliveryQueueName(SHELTER.id), { connection: { url: system.redis.url }, prefix: system.running.config.queuePrefix });
    try {
      const deliveryId = (await deliveryOf(id)).id;
      const job = (await queue.getJob(deliveryId))!;
      await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(job.timestamp + (job.delay ?? 0) + 1_000), { timeout: 10_000, interval: 100 });
      expect(await queue.getJob(deliveryId)).toBeDefined();
      expect((await deliveryOf(id)).status).toBe('retrying');
      expect(shelter.applied).not.toContain(`BG-NCCTHB/${messageId}`);
    } finally {
      await queue.close();
    }

    expect((await admin().post(`/v1/admin/participants/${SHELTER.id}/reinstate`, { reason: 'Inspection passed.' })).status).toBe(200);
    await system.settle(id, 'BG-NCCTHB', ['delivered'], 30_000);
    expect(shelter.applied).toContain(`BG-NCCTHB/${messageId}`);
  });
});
