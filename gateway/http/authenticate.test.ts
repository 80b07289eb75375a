/**
 * The one certificate check, on a kept-alive connection: the certificate is read and
 * verified once, while revocation and the end of validity are looked at on every request
 * (the clock is moved, not waited for).
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issueKeyedCertificate, participantUri } from '../../certs/index.ts';
import { DEMO_PARTICIPANTS } from '../../demo/participants.ts';
import { createTestPki } from '../../testing/test-gateway.ts';
import { createPeers } from '../federation/peers.ts';
import { createParticipantRegistry } from '../participants/participant-registry.ts';
import { createCertificateCheck } from './authenticate.ts';

const HOUR = 3_600_000;

describe('the certificate check on a kept-alive connection', () => {
  afterEach(() => vi.useRealTimers());

  const pki = createTestPki();
  const ca = new X509Certificate(pki.ca.certPem);
  /** A connection presenting `certPem`, counting how often its certificate is read. */
  const connection = (certPem: string) => {
    const read = vi.fn(() => new X509Certificate(certPem));
    return { socket: { authorized: true, getPeerX509Certificate: read } as unknown as TLSSocket, read };
  };

  it('reads the certificate once, and refuses it on the same connection once it is revoked', () => {
    const revoked = new Set<string>();
    const check = createCertificateCheck(createParticipantRegistry(DEMO_PARTICIPANTS), ca, (serial) => revoked.has(serial), createPeers([], 0));
    const { socket, read } = connection(pki.participant('BG-MOI').certPem);
    const first = check(socket);
    expect(first).toMatchObject({ ok: true, caller: { kind: 'participant', participantId: 'BG-MOI' } });
    revoked.add((first as { serial: string }).serial);
    expect(check(socket)).toMatchObject({ ok: false, code: 'GW_CLIENT_CERT_REVOKED' });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('refuses a certificate that ends while its connection is open', () => {
    vi.useFakeTimers();
    const now = Date.now();
    const shortLived = issueKeyedCertificate({
      ca: pki.ca, purpose: 'client', subject: { commonName: 'BG-MOI' }, uris: [participantUri('BG-MOI')],
      notBefore: new Date(now - HOUR), notAfter: new Date(now + HOUR),
    });
    const check = createCertificateCheck(createParticipantRegistry(DEMO_PARTICIPANTS), ca, () => false, createPeers([], 0));
    const { socket } = connection(shortLived.certPem);
    expect(check(socket).ok).toBe(true);
    vi.setSystemTime(now + 2 * HOUR);
    expect(check(socket)).toMatchObject({ ok: false, code: 'GW_CLIENT_CERT_EXPIRED' });
  });
});
