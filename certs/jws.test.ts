import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, CompactSign, flattenedVerify, importPKCS8, importX509 } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, createJwsSigner, createJwsVerifier, issueKeyedCertificate, participantUri, SignatureError } from './index.ts';

const DAY = 86_400_000;
const now = Date.now();
const valid = { notBefore: new Date(now - DAY), notAfter: new Date(now + DAY) };
const ca = createCertificateAuthority({ subject: { commonName: 'Test CA' }, ...valid });
const other = createCertificateAuthority({ subject: { commonName: 'Other CA' }, ...valid });
const issue = (authority = ca, validity = valid, purpose: 'client' | 'server' | 'seal' = 'client') =>
  issueKeyedCertificate({ ca: authority, purpose, subject: { commonName: 'BG-MOI' }, uris: [participantUri('BG-MOI')], ...validity });
const moi = issue();
const revoked = new Set<string>();
const verifier = createJwsVerifier({ caPem: ca.certPem, isRevoked: (s) => revoked.has(s) });
const envelope = '{"id":"0b0c","messageId":"msg-1","payload":{"note":"synthetic"}}';

function failure(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SignatureError) return error.failure;
    throw error;
  }
  return undefined;
}

/** Verifies a compact JWS the way docs/verify.md tells an auditor to: openssl, the x5c certificate, nothing of ours. */
function opensslVerifies(jws: string, payload?: string): boolean {
  const [header, attached, signature] = jws.split('.') as [string, string, string];
  const dir = mkdtempSync(join(tmpdir(), 'rg-jws-'));
  const x5c = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { x5c: string[] }).x5c;
  writeFileSync(join(dir, 'signer.pem'), new X509Certificate(Buffer.from(x5c[0]!, 'base64')).toString());
  execFileSync('openssl', ['x509', '-in', join(dir, 'signer.pem'), '-pubkey', '-noout', '-out', join(dir, 'key.pem')]);
  writeFileSync(join(dir, 'input'), `${header}.${attached || Buffer.from(payload!).toString('base64url')}`);
  writeFileSync(join(dir, 'sig'), Buffer.from(signature, 'base64url'));
  const ed25519 = new X509Certificate(Buffer.from(x5c[0]!, 'base64')).publicKey.asymmetricKeyType === 'ed25519';
  try {
    execFileSync('openssl', ed25519
      ? ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'key.pem'), '-rawin', '-in', join(dir, 'input'), '-sigfile', join(dir, 'sig')]
      : ['dgst', '-sha256', '-verify', join(dir, 'key.pem'), '-signature', join(dir, 'sig'), join(dir, 'input')], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('JWS seals and signatures', () => {
  it('writes RS256 compact JWS with x5c and sigT that jose and openssl verify', async () => {
    const signer = createJwsSigner(moi, [ca.certPem]);
    const jws = signer.sign(envelope, { signedAt: new Date('2026-11-22T10:00:00.123Z') });
    const { payload, protectedHeader } = await compactVerify(jws, await importX509(moi.certPem, 'RS256'));
    expect(Buffer.from(payload).toString()).toBe(envelope);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', sigT: '2026-11-22T10:00:00Z' });
    expect(protectedHeader.x5c).toEqual([new X509Certificate(moi.certPem).raw.toString('base64'), new X509Certificate(ca.certPem).raw.toString('base64')]);
    expect(opensslVerifies(jws)).toBe(true);
  });

  it('signs with an Ed25519 seal key as EdDSA (RFC 8037), the same bytes each time, verified by jose, openssl and the gateway', async () => {
    const seal = issue(ca, valid, 'seal');
    expect(new X509Certificate(seal.certPem).publicKey.asymmetricKeyType).toBe('ed25519');
    expect(new X509Certificate(seal.certPem).verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    const signer = createJwsSigner(seal, [ca.certPem]);
    const signedAt = new Date('2026-11-22T10:00:00Z');
    const jws = signer.sign(envelope, { signedAt });
    expect(signer.sign(envelope, { signedAt })).toBe(jws); // deterministic: a replay's acceptance receipt is the same bytes
    const { payload, protectedHeader } = await compactVerify(jws, await importX509(seal.certPem, 'EdDSA'));
    expect(Buffer.from(payload).toString()).toBe(envelope);
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(opensslVerifies(jws)).toBe(true);
    const detached = signer.signDetached(envelope);
    expect(verifier.verify(detached, { detachedPayload: envelope }).header.alg).toBe('EdDSA');
    expect(opensslVerifies(detached, envelope.replace('msg-1', 'msg-2'))).toBe(false);
    expect(failure(() => verifier.verify(detached, { detachedPayload: envelope.replace('msg-1', 'msg-2') }))).toBe('bad-signature');
  });

  it('refuses a header whose alg is not the one the signer\'s key takes, whichever way round', () => {
    const relabel = (jws: string, alg: string) => {
      const [header, payload, signature] = jws.split('.') as [string, string, string];
      const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), alg })).toString('base64url');
      return `${changed}.${payload}.${signature}`;
    };
    const seal = issue(ca, valid, 'seal');
    expect(failure(() => verifier.verify(relabel(createJwsSigner(seal).sign(envelope), 'RS256')))).toBe('malformed');
    expect(failure(() => verifier.verify(relabel(createJwsSigner(moi).sign(envelope), 'EdDSA')))).toBe('malformed');
    expect(failure(() => verifier.verify(relabel(createJwsSigner(moi).sign(envelope), 'none')))).toBe('malformed');
  });

  it('detaches the payload, and a single changed byte of it fails jose, openssl and the gateway', async () => {
    const jws = createJwsSigner(moi).signDetached(envelope);
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    const [header, , signature] = jws.split('.');
    const key = await importX509(moi.certPem, 'RS256');
    await expect(flattenedVerify({ protected: header!, payload: Buffer.from(envelope).toString('base64url'), signature: signature! }, key)).resolves.toBeDefined();
    expect(opensslVerifies(jws, envelope)).toBe(true);
    expect(verifier.verify(jws, { detachedPayload: envelope }).identity).toEqual({ kind: 'participant', participantId: 'BG-MOI' });
    for (const index of [0, 20, envelope.length - 2]) {
      const changed = envelope.slice(0, index) + (envelope[index] === 'x' ? 'y' : 'x') + envelope.slice(index + 1);
      await expect(flattenedVerify({ protected: header!, payload: Buffer.from(changed).toString('base64url'), signature: signature! }, key)).rejects.toThrow();
      expect(opensslVerifies(jws, changed)).toBe(false);
      expect(failure(() => verifier.verify(jws, { detachedPayload: changed }))).toBe('bad-signature');
    }
  });

  it('verifies what a standard library (jose) signed with a participant key', async () => {
    const jws = await new CompactSign(Buffer.from(envelope))
      .setProtectedHeader({ alg: 'RS256', x5c: [new X509Certificate(moi.certPem).raw.toString('base64')], sigT: new Date().toISOString() })
      .sign(await importPKCS8(moi.keyPem, 'RS256'));
    const verified = verifier.verify(jws);
    expect(verified.payload.toString()).toBe(envelope);
    expect(verified.identity).toEqual({ kind: 'participant', participantId: 'BG-MOI' });
  });

  it.each([
    ['a foreign CA', () => issue(other), 'untrusted'],
    ['a self-signed certificate', () => createCertificateAuthority({ subject: { commonName: 'BG-MOI' }, ...valid }), 'untrusted'],
    ['an expired certificate', () => issue(ca, { notBefore: new Date(now - 3 * DAY), notAfter: new Date(now - DAY) }), 'expired'],
    ['a certificate not valid yet', () => issue(ca, { notBefore: new Date(now + DAY), notAfter: new Date(now + 3 * DAY) }), 'not-yet-valid'],
    ['a TLS server certificate', () => issue(ca, valid, 'server'), 'wrong-usage'],
  ] as const)('refuses a signature by %s', (_name, make, expected) => {
    const signer = make();
    expect(failure(() => verifier.verify(createJwsSigner(signer).sign(envelope, { signedAt: new Date(now - 2 * DAY) })))).toBe(expected);
  });

  it('refuses a revoked signer from the moment its serial is on the list', () => {
    const cert = issue();
    const jws = createJwsSigner(cert).sign(envelope);
    expect(verifier.verify(jws).payload.toString()).toBe(envelope);
    revoked.add(BigInt(`0x${new X509Certificate(cert.certPem).serialNumber}`).toString(16));
    expect(failure(() => verifier.verify(jws))).toBe('revoked');
  });

  it('refuses malformed input with a reason instead of crashing', () => {
    const jws = createJwsSigner(moi).sign(envelope);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const header = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(failure(() => verifier.verify('not a jws'))).toBe('malformed');
    expect(failure(() => verifier.verify(`${header({ alg: 'none', x5c: [] })}.${p}.`))).toBe('malformed');
    expect(failure(() => verifier.verify(`${header({ alg: 'HS256' })}.${p}.${s}`))).toBe('malformed');
    expect(failure(() => verifier.verify(`${header({ alg: 'RS256', x5c: ['AAAA'], sigT: new Date().toISOString() })}.${p}.${s}`))).toBe('malformed');
    expect(failure(() => verifier.verify(`${h}..${s}`))).toBe('malformed'); // detached, but no payload given
    const future = createJwsSigner(moi).sign(envelope, { signedAt: new Date(now + 3_600_000) });
    expect(failure(() => verifier.verify(future))).toBe('malformed');
  });
});
