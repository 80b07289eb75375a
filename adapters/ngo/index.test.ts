import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAdapterConformance } from '../conformance/kit.ts';
import { ngo } from './index.ts';
import { createNgoSimulator } from './simulator.ts';
import { signBody, verifyBody } from './transport.ts';

const secret = randomBytes(32);
const secretFile = join(mkdtempSync(join(tmpdir(), 'rg-ngo-')), 'secret');
writeFileSync(secretFile, secret, { mode: 0o600 });

runAdapterConformance({
  participantId: 'BG-NGO-ANIMUS',
  async create({ participantId, tls, logger, intake, checkClient }) {
    const server = { caPem: tls.caPem, ...tls.server };
    const system = await createNgoSimulator({ server, secret });
    const adapter = ngo.create({
      participantId, checkClient, endpoint: system.endpoint, timeoutMs: 5_000, logger, intake,
      settings: { secretFile, publicCertificate: false, intakeHost: '127.0.0.1', intakePort: 0 },
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem }, serverTls: server,
    });
    system.intakeAt(() => adapter.intakeUrl);
    return { adapter, system };
  },
  skip: [
    {
      test: 'intake refuses a revoked certificate',
      reason: 'small NGOs sign their posts with an HMAC of a shared secret instead of a client certificate (docs/decisions.md); replacing the secret is its revocation',
    },
  ],
});

describe('ngo webhook signature', () => {
  const body = '{"message":{}}';
  it('verifies its own signature, and refuses another secret, another body, or an old one', () => {
    const now = Date.now();
    const header = signBody(secret, body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyBody(secret, body, header, now)).toBe(true);
    expect(verifyBody(randomBytes(32), body, header, now)).toBe(false);
    expect(verifyBody(secret, `${body} `, header, now)).toBe(false);
    expect(verifyBody(secret, body, header, now + 301_000)).toBe(false);
    expect(verifyBody(secret, body, undefined, now)).toBe(false);
    expect(verifyBody(secret, body, 't=1,v1=zz', now)).toBe(false);
  });
});
