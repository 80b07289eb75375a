/**
 * Finding 13: what every listener offers and answers. TLS 1.3, or 1.2 with ECDHE and AEAD
 * only; answers never cached or sniffed, HTTPS pinned; paths matched exactly (a proxy rule
 * on `/metrics` cannot be walked around as `/METRICS`); embedded data private to its user.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainOnly, serveHttps } from '../adapters/shared/https.ts';
import { startGateway } from '../app/start.ts';
import { captureLogs, createTestPki, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

const pki = createTestPki();

/** Whether a TLS 1.2 handshake offering only `cipher` succeeds against `port`. */
function handshake(port: number, cipher: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.ca.certPem, maxVersion: 'TLSv1.2', ciphers: cipher, cert: pki.admin.certPem, key: pki.admin.keyPem });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('what the listeners offer and answer', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
  });
  afterAll(() => gw?.close());

  it('offers TLS 1.2 only with forward secrecy and AEAD, on the API and on an adapter intake', async () => {
    const intake = await serveHttps({ tls: { caPem: pki.ca.certPem, ...pki.server }, clients: chainOnly, handle: async () => ({ status: 204 }) });
    try {
      for (const port of [Number(new URL(gw.url).port), Number(new URL(intake.url).port)]) {
        expect(await handshake(port, 'ECDHE-RSA-AES128-GCM-SHA256'), 'ECDHE + GCM').toBe(true);
        expect(await handshake(port, 'ECDHE-RSA-CHACHA20-POLY1305'), 'ECDHE + ChaCha20').toBe(true);
        expect(await handshake(port, 'AES128-GCM-SHA256'), 'RSA key transport').toBe(false);
        expect(await handshake(port, 'AES256-SHA'), 'RSA key transport, CBC, SHA-1').toBe(false);
        expect(await handshake(port, 'ECDHE-RSA-AES128-SHA'), 'CBC with SHA-1').toBe(false);
      }
    } finally {
      await intake.stop();
    }
  });

  it('marks every answer no-store, nosniff and HTTPS-only: success, problem, and unknown route alike', async () => {
    for (const [client, path] of [[gw.as(), '/healthz'], [gw.as(pki.admin), '/v1/participants'], [gw.as(), '/v1/participants'], [gw.as(), '/nothing-here']] as const) {
      const { headers } = await client.get(path);
      expect(headers, path).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'strict-transport-security': 'max-age=31536000' });
    }
  });

  it.each(['/METRICS', '/Metrics', '/metrics/', '/HEALTHZ', '/V1/PARTICIPANTS', '/v1/Participants', '/v1/participants/'])('does not serve %s', async (path) => {
    const response = await gw.as(pki.admin).get(path);
    expect([response.status, response.body?.code]).toEqual([404, 'GW_ROUTE_NOT_FOUND']);
    expect(response.text).not.toMatch(/rg_|BG-MOI/);
  });
});

describe('the embedded data folder', () => {
  it('is made private at start, and what the gateway writes there is its user\'s only', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rg-private-')), 'var');
    mkdirSync(dataDir, { mode: 0o755 });
    const logs = captureLogs();
    const running = await startGateway({
      overrides: { host: '127.0.0.1', port: 0, dataDir, roles: ['api'], demoAgencies: false, demoPartner: false, logLevel: 'info' },
      logDestination: logs.stream,
    });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(logs.lines.map((l) => JSON.parse(l).msg)).toContain('the data folder was open to other users; made private (700)');
      // Every folder is private, so nothing below is reachable by another user; the files the
      // gateway writes itself are private too. (PGlite writes its own files 666 whatever the
      // umask, inside its 700 folder.)
      const open = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        const others = statSync(path).mode & 0o077;
        const pgliteFile = !entry.isDirectory() && path.includes('/pglite/');
        return [...(others && !pgliteFile ? [path] : []), ...(entry.isDirectory() ? open(path) : [])];
      });
      expect(open(dataDir)).toEqual([]);
      expect(statSync(join(dataDir, 'pglite')).mode & 0o777).toBe(0o700);
    } finally {
      await running.stop();
    }
  });
});
