/**
 * Finding 4, at connect time: a webhook's name is resolved again for every connection, and
 * an answer that turned private since registration (DNS rebinding) is refused before any
 * connection is made; the connection goes to the address checked.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonPoster } from '../adapters/index.ts';
import { guardedLookup, type WebhookResolver } from '../queues/webhook-queue.ts';
import { createTestPki } from '../testing/test-gateway.ts';

describe('a webhook name that rebinds to a private address', () => {
  const pki = createTestPki();
  let server: https.Server;
  let port: number;
  let connections = 0;
  beforeAll(async () => {
    server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => res.writeHead(204).end());
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A name server that answers `addresses` for every name, as a rebinding attacker's would. */
  const answering = (...addresses: string[]): WebhookResolver => (_host, callback) => callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  const tls = { caPem: pki.ca.certPem, certPem: pki.participant('BG-MOI').certPem, keyPem: pki.participant('BG-MOI').keyPem };
  const post = async (lookup: ReturnType<typeof guardedLookup>) => {
    const poster = createJsonPoster(`https://hooks.example.org:${port}/hook`, tls, 5000, { lookup });
    try {
      return await poster.post({ body: '{}', headers: {}, signal: AbortSignal.timeout(5000) }).then(() => 'sent', (error: { code?: string }) => error.code);
    } finally {
      await poster.close();
    }
  };

  it('refuses the connection when the name now resolves to loopback, and nothing reaches the address', async () => {
    const before = connections;
    expect(await post(guardedLookup('BG-MOI', {}, answering('127.0.0.1')))).toBe('NETWORK_WEBHOOK_ADDRESS_REFUSED');
    expect(await post(guardedLookup('BG-MOI', {}, answering('::ffff:127.0.0.1', '10.0.0.7')))).toBe('NETWORK_WEBHOOK_ADDRESS_REFUSED');
    expect(connections).toBe(before);
  });

  it('connects where an operator allow-listed the name for that participant (so the refusal above is the guard at work)', async () => {
    const before = connections;
    // The certificate names localhost, not hooks.example.org: the handshake fails after the connection is made.
    expect(await post(guardedLookup('BG-SACP', { 'BG-SACP': ['hooks.example.org'] }, answering('127.0.0.1')))).not.toBe('NETWORK_WEBHOOK_ADDRESS_REFUSED');
    expect(connections).toBeGreaterThan(before);
  });

  it('keeps only the public addresses of a mixed answer', () => {
    const lookup = guardedLookup('BG-MOI', {}, answering('127.0.0.1', '93.184.215.14', 'fd00::1', '2606:4700::1111'));
    const answers: unknown[] = [];
    lookup('hooks.example.org', { all: true }, (error, addresses) => answers.push(error, addresses));
    expect(answers).toEqual([null, [{ address: '93.184.215.14', family: 4 }, { address: '2606:4700::1111', family: 6 }]]);
  });
});
