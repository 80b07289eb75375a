import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterUri, administratorUri, createCertificateAuthority, ensureDevelopmentPki, issueKeyedCertificate, normalizeSerial, participantUri, readIdentity, roleUri } from './index.ts';

const DAY = 86_400_000;
const validity = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) };

describe('certificates', () => {
  const ca = createCertificateAuthority({ subject: { commonName: 'Test CA' }, ...validity });

  it('issues client certificates that openssl verifies as TLS client certificates of the CA', () => {
    const client = issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: 'BG-MOI' }, uris: [participantUri('BG-MOI')], ...validity });
    const dir = mkdtempSync(join(tmpdir(), 'rg-pki-'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'client.pem'), client.certPem);
    const out = execFileSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.pem'), join(dir, 'client.pem')], { encoding: 'utf8' });
    expect(out.trim()).toBe(`${join(dir, 'client.pem')}: OK`);
    expect(() => execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'client.pem')], { stdio: 'pipe' })).toThrow();
  });

  it('reads the participant a certificate names', () => {
    const client = issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: 'x' }, uris: [participantUri('BG-SACP')], ...validity });
    expect(readIdentity(new X509Certificate(client.certPem))).toEqual({ kind: 'participant', participantId: 'BG-SACP' });
  });

  it('reads an administrator and the roles it holds, ignoring unknown roles', () => {
    const admin = issueKeyedCertificate({
      ca, purpose: 'client', subject: { commonName: 'a' }, ...validity,
      uris: [administratorUri('ana'), roleUri('auditor'), 'urn:nrm:role:superuser'],
    });
    expect(readIdentity(new X509Certificate(admin.certPem))).toEqual({ kind: 'administrator', name: 'ana', roles: ['auditor'] });
  });

  it('identifies nobody from a certificate naming two participants', () => {
    const both = issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: 'x' }, uris: [participantUri('BG-MOI'), participantUri('BG-SAA')], ...validity });
    expect(readIdentity(new X509Certificate(both.certPem))).toBeUndefined();
  });
  it('reads an adapter acting for a participant, and refuses a certificate naming two adapters', () => {
    const cert = (uris: string[]) => new X509Certificate(issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: 'x' }, uris, ...validity }).certPem);
    expect(readIdentity(cert([participantUri('BG-SAA'), adapterUri('saa-sftp')]))).toEqual({ kind: 'participant', participantId: 'BG-SAA', adapter: 'saa-sftp' });
    expect(readIdentity(cert([participantUri('BG-SAA'), adapterUri('a'), adapterUri('b')]))).toBeUndefined();
    expect(readIdentity(cert([adapterUri('saa-sftp')]))).toBeUndefined();
  });
});

describe('the development PKI', () => {
  it('keeps its CA across restarts, issues for new participants, and writes keys readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-devpki-'));
    const options = { dir, participants: [{ id: 'BG-MOI', name: 'MoI' }], administrators: [], hostnames: ['localhost', '127.0.0.1'] };
    const first = ensureDevelopmentPki(options);
    const second = ensureDevelopmentPki({ ...options, participants: [...options.participants, { id: 'BG-SAA', name: 'SAA' }] });
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(readIdentity(new X509Certificate(readFileSync(join(dir, 'clients', 'BG-SAA.pem'))))).toEqual({ kind: 'participant', participantId: 'BG-SAA' });
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'clients', 'BG-MOI-key.pem')).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(second.server.certPem).checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('writes serial numbers one way, whichever tool printed them', () => {
    expect(normalizeSerial('00ABc')).toBe('abc');
    expect(normalizeSerial('0')).toBe('0');
    expect(normalizeSerial('7F01')).toBe('7f01');
  });
});
