import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCrl, createCertificateAuthority, crlToPem, issueKeyedCertificate, normalizeSerial, participantUri } from './index.ts';

const DAY = 86_400_000;
const valid = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) };

describe('certificate revocation lists', () => {
  const ca = createCertificateAuthority({ subject: { commonName: 'Test CA', organization: 'Referral Gateway tests' }, ...valid });
  const client = () => issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: 'BG-MOI' }, uris: [participantUri('BG-MOI')], ...valid });
  const revoked = client();
  const kept = client();
  const dir = mkdtempSync(join(tmpdir(), 'rg-crl-'));
  const path = (name: string) => join(dir, name);
  writeFileSync(path('ca.pem'), ca.certPem);
  writeFileSync(path('revoked.pem'), revoked.certPem);
  writeFileSync(path('kept.pem'), kept.certPem);
  const serial = normalizeSerial(new X509Certificate(revoked.certPem).serialNumber);
  const der = buildCrl({ ca, number: 42, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + DAY), entries: [{ serial, revokedAt: new Date(), reason: 'keyCompromise' }] });
  writeFileSync(path('crl.der'), der);
  writeFileSync(path('crl.pem'), crlToPem(der));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });
  /** `openssl crl -verify` exits 0 either way; its verdict is the "verify OK" / "verify failure" line. */
  const crlVerdict = (...args: string[]) => {
    const run = spawnSync('openssl', ['crl', ...args, '-CAfile', path('ca.pem'), '-verify', '-noout'], { encoding: 'utf8' });
    return `${run.stdout}${run.stderr}`.match(/verify (OK|failure)/)?.[0];
  };

  it('verifies with openssl crl -verify, in DER and PEM, and carries number, reason and key identifier', () => {
    expect(crlVerdict('-inform', 'DER', '-in', path('crl.der'))).toBe('verify OK');
    expect(crlVerdict('-in', path('crl.pem'))).toBe('verify OK');
    const text = openssl('crl', '-in', path('crl.pem'), '-CAfile', path('ca.pem'), '-verify', '-noout', '-text');
    expect(text).toContain('X509v3 CRL Number: \n                42');
    expect(text).toContain('Key Compromise');
    expect(text).toContain('X509v3 Authority Key Identifier');
    // openssl prints the serial in whole octets, without leading zero octets.
    expect(text.replace(/\s/g, '')).toContain(`SerialNumber:${(serial.length % 2 === 1 ? `0${serial}` : serial).toUpperCase()}RevocationDate`);
  });

  it('makes openssl verify -crl_check reject the revoked certificate and accept the others', () => {
    expect(() => openssl('verify', '-crl_check', '-CAfile', path('ca.pem'), '-CRLfile', path('crl.pem'), path('revoked.pem'))).toThrow(/certificate revoked/);
    expect(openssl('verify', '-crl_check', '-CAfile', path('ca.pem'), '-CRLfile', path('crl.pem'), path('kept.pem'))).toContain('OK');
  });

  it('is refused by openssl when signed by another CA', () => {
    const other = createCertificateAuthority({ subject: { commonName: 'Test CA', organization: 'Referral Gateway tests' }, ...valid });
    writeFileSync(path('forged.pem'), crlToPem(buildCrl({ ca: other, number: 1, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + DAY), entries: [] })));
    expect(crlVerdict('-in', path('forged.pem'))).toBe('verify failure');
  });

  it('encodes serials with the top bit set as positive integers', () => {
    const pem = crlToPem(buildCrl({ ca, number: 1, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + DAY), entries: [{ serial: 'ff01', revokedAt: new Date(), reason: 'superseded' }, { serial: '7', revokedAt: new Date(), reason: 'unspecified' }] }));
    writeFileSync(path('high.pem'), pem);
    const text = openssl('crl', '-in', path('high.pem'), '-noout', '-text');
    expect(text).toContain('Serial Number: FF01');
    expect(text).toContain('Serial Number: 07');
    expect(text).toContain('Superseded');
  });
});
