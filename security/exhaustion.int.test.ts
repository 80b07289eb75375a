/**
 * Finding 3, in part: one participant cannot hold every connection of a process. Event
 * streams and waiting long polls are capped per certificate and in all (429, Retry-After);
 * a revoked certificate's open stream ends; a client trickling its headers is cut off.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyPair } from '../certs/index.ts';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('long-held requests and slow clients', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  let exchangeId: string;
  const agents: Agent[] = [];
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki, overrides: { limits: { heldPerCertificate: 3, heldTotal: 5, headersTimeoutMs: 1000, requestTimeoutMs: 2000 } } });
    exchangeId = (await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', freshExample('Alert'))).body.id;
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await gw?.close();
  });

  /** Opens an event stream (its own connection); resolves once the headers are in. */
  async function stream(cert: { certPem: string; keyPem: string }, id = exchangeId) {
    const agent = new Agent({ connect: { ca: pki.ca.certPem, cert: cert.certPem, key: cert.keyPem } });
    agents.push(agent);
    const controller = new AbortController();
    const response = await request(`${gw.url}/v1/exchanges/${id}/events`, { dispatcher: agent, signal: controller.signal });
    let ended = false;
    response.body.on('end', () => (ended = true)).on('error', () => (ended = true)).resume();
    return { status: response.statusCode, headers: response.headers, close: () => controller.abort(), ended: () => ended, body: response.body };
  }

  it('caps the streams one certificate holds, and all of them together, with 429 and Retry-After', async () => {
    const moi = pki.participant('BG-MOI');
    const mine = [await stream(moi), await stream(moi), await stream(moi)];
    expect(mine.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await stream(moi);
    expect([fourth.status, fourth.headers['retry-after']]).toEqual([429, '5']);
    // Another certificate may still hold some, up to the total.
    const admin = [await stream(pki.admin), await stream(pki.admin)];
    expect(admin.map((s) => s.status)).toEqual([200, 200]);
    const overTotal = await stream(pki.admin);
    expect(overTotal.status).toBe(429);
    // A long poll is a held request too.
    const poll = await gw.as(pki.participant('BG-SAA')).get('/v1/inbox?wait=1');
    expect([poll.status, poll.body.code]).toEqual([429, 'GW_TOO_MANY_HELD']);
    // Closing one frees its place.
    mine[0]!.close();
    await vi.waitFor(async () => {
      const again = await stream(moi);
      expect(again.status).toBe(200);
      again.close();
    }, { timeout: 5_000, interval: 50 });
    for (const s of [...mine, ...admin]) s.close();
  });

  it('ends the open stream of a certificate revoked meanwhile', async () => {
    // A certificate of its own, so revoking it touches nothing else.
    const { privateKeyPem } = generateKeyPair();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'rg-held-')), 'key.pem');
    writeFileSync(keyFile, privateKeyPem);
    const csr = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=x'], { encoding: 'utf8' });
    const issued = await gw.as(pki.certificateOfficer).post('/v1/certificates', { csr, subject: { kind: 'participant', participantId: 'BG-MOI' } });
    expect(issued.status).toBe(201);
    const opened = await stream({ certPem: issued.body.certificate, keyPem: privateKeyPem });
    expect(opened.status).toBe(200);
    expect(opened.ended()).toBe(false);
    await gw.as(pki.certificateOfficer).post(`/v1/certificates/${issued.body.serial}/revoke`, { reason: 'keyCompromise' });
    await vi.waitFor(() => expect(opened.ended()).toBe(true), { timeout: 5_000, interval: 20 });
  });

  it('drops a client that trickles its headers', async () => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(gw.url).port), servername: 'localhost', ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n'); // and nothing more
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
