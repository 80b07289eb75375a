import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, flattenedVerify, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJwsSigner, generateKeyPair, type KeyedCertificate } from '../../certs/index.ts';
import { canonicalize } from '../../schemas/index.ts';
import { DEMO_PARTICIPANTS } from '../../demo/participants.ts';
import { createGateway } from '../gateway.ts';
import { createLogger } from '../logger.ts';
import { ADAPTER_CATALOGUE, captureLogs, clientFor, contract, createTestPki, freshExample, startTestGateway, TEST_PSEUDONYM_KEY, uniqueId, validators, type TestGateway } from '../../testing/test-gateway.ts';

const pki = createTestPki();
const dir = mkdtempSync(join(tmpdir(), 'rg-trust-'));
const file = (name: string, content: string | Buffer) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);

/** A key and a CSR for it, made the way an agency's IT team would: with openssl. */
function keyAndCsr(): { keyPem: string; csr: string } {
  const { privateKeyPem } = generateKeyPair();
  const keyFile = file(`${uniqueId('key')}.pem`, privateKeyPem);
  const csr = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=ignored by the gateway'], { encoding: 'utf8' });
  return { keyPem: privateKeyPem, csr };
}


describe('trust: certificates, revocation, seals and signatures', () => {
  let gw: TestGateway;
  const logs = captureLogs();
  const officer = () => gw.as(pki.certificateOfficer);

  /** A certificate for `participantId` issued through the API. */
  async function issued(participantId: string, extra: Record<string, unknown> = {}, as = officer()): Promise<KeyedCertificate & { serial: string }> {
    const { keyPem, csr } = keyAndCsr();
    const response = await as.post('/v1/certificates', { csr, subject: { kind: 'participant', participantId }, ...extra });
    expect(response.status, response.text).toBe(201);
    return { certPem: response.body.certificate, keyPem, serial: response.body.serial };
  }

  /** The canonical envelope the gateway sealed: the message, its id, and the pseudonym the gateway computed. */
  async function envelopeOf(id: string, message: any): Promise<string> {
    const { pseudonym } = (await gw.as(pki.participant('BG-MOI')).post('/v1/pseudonyms', { identity: message.payload.subject.identity })).body;
    return canonicalize({ id, ...message, payload: { ...message.payload, subject: { ...message.payload.subject, pseudonym } } });
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      store: 'postgresql',
      pki,
      logs: logs.stream,
      overrides: {
        participants: DEMO_PARTICIPANTS.map((p) => (p.id === 'BG-SACP' ? { ...p, requiresSignedSubmissions: true } : p)),
        trust: { validityDays: { administrator: 10 }, expiryWarningDays: 30, rotationOverlapDays: 0 },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('issuing from a CSR', () => {
    it('issues a client certificate naming the participant, which openssl accepts for TLS clients and the gateway lets in', async () => {
      const cert = await issued('BG-SAA');
      const x509 = new X509Certificate(cert.certPem);
      expect(x509.subjectAltName).toBe('URI:urn:nrm:participant:BG-SAA');
      expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      // 397 days by policy, but never beyond the CA (valid 30 days in this test PKI).
      expect(x509.validTo).toBe(new X509Certificate(pki.ca.certPem).validTo);
      expect(execFileSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.pem'), file('saa.pem', cert.certPem)], { encoding: 'utf8' })).toContain('OK');
      expect((await gw.as(cert).get('/v1/participants/BG-SAA')).status).toBe(200);
      const listed = (await officer().get('/v1/certificates?participant=BG-SAA')).body.items;
      expect(listed).toContainEqual(expect.objectContaining({ serial: cert.serial, status: 'valid', subject: { kind: 'participant', participantId: 'BG-SAA' } }));
      const { rows } = await gw.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'certificate.issued' AND details->>'serial' = $1`, [cert.serial]);
      expect(rows).toEqual([{ actor: 'admin:test-officer' }]);
    });

    it('issues adapter and administrator certificates with their names and roles', async () => {
      const adapter = await officer().post('/v1/certificates', { csr: keyAndCsr().csr, subject: { kind: 'adapter', participantId: 'BG-SAA', name: 'saa-sftp' } });
      expect(new X509Certificate(adapter.body.certificate).subjectAltName).toBe('URI:urn:nrm:participant:BG-SAA, URI:urn:nrm:adapter:saa-sftp');
      const admin = await officer().post('/v1/certificates', { csr: keyAndCsr().csr, subject: { kind: 'administrator', name: 'night-operator', roles: ['operator'] } });
      expect(admin.body.subject).toEqual({ kind: 'administrator', name: 'night-operator', roles: ['operator'] });
      expect(new X509Certificate(admin.body.certificate).subjectAltName).toBe('URI:urn:nrm:admin:night-operator, URI:urn:nrm:role:operator');
    });

    it('refuses callers without the certificate-officer role, other participants, unknown participants and unusable CSRs', async () => {
      const { csr } = keyAndCsr();
      const forMoi = { csr, subject: { kind: 'participant', participantId: 'BG-MOI' } };
      expect((await gw.as(pki.admin).post('/v1/certificates', forMoi)).body.code).toBe('GW_ROLE_REQUIRED'); // operator + auditor
      expect((await gw.as(pki.participant('BG-SAA')).post('/v1/certificates', forMoi)).body.code).toBe('GW_ROLE_REQUIRED');
      const unknown = await officer().post('/v1/certificates', { csr, subject: { kind: 'participant', participantId: 'BG-NOBODY' } });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'GW_PARTICIPANT_NOT_FOUND']);
      const garbage = await officer().post('/v1/certificates', { ...forMoi, csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' });
      expect([garbage.status, garbage.body.code, garbage.body.violations[0].pointer]).toEqual([400, 'GW_CSR_INVALID', '/csr']);
      const ec = execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x'], { encoding: 'utf8' });
      expect((await officer().post('/v1/certificates', { ...forMoi, csr: ec })).body.code).toBe('GW_CSR_INVALID');
      const { rows } = await gw.db.query(`SELECT 1 FROM certificates WHERE participant = 'BG-NOBODY'`);
      expect(rows).toEqual([]);
    });

    it('lets a participant renew its own certificate; both work during the overlap, then the old one is revoked as superseded', async () => {
      const old = await issued('BG-NCCTHB');
      const renewed = await issued('BG-NCCTHB', { replaces: old.serial }, gw.as(old));
      const oldClient = gw.as(old);
      expect((await oldClient.get('/v1/participants')).status).toBe(200);
      expect((await gw.as(renewed).get('/v1/participants')).status).toBe(200);
      expect((await gw.as(renewed).get(`/v1/certificates/${renewed.serial}`)).body.replaces).toBe(old.serial);
      await gw.gateway.trust.maintain(); // the overlap is 0 days in this gateway
      const refused = await oldClient.get('/v1/participants');
      expect([refused.status, refused.body.code]).toEqual([401, 'GW_CLIENT_CERT_REVOKED']);
      expect((await officer().get(`/v1/certificates/${old.serial}`)).body).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
      expect((await gw.as(renewed).get('/v1/participants')).status).toBe(200);
    });

    it('lets a participant renew only the certificate it presents, naming it, one renewal at a time, and tells the officer', async () => {
      const first = await issued('BG-SAA');
      const other = await issued('BG-SAA');
      const subject = { kind: 'participant', participantId: 'BG-SAA' };
      const post = (as: KeyedCertificate, body: Record<string, unknown>) => gw.as(as).post('/v1/certificates', { csr: keyAndCsr().csr, subject, ...body });
      const selfIssued = async () => (await gw.db.query(`SELECT serial FROM certificates WHERE issued_by = 'participant:BG-SAA'`)).rows.length;

      const unnamed = await post(first, {});
      expect([unnamed.status, unnamed.body.code, unnamed.body.violations[0].pointer]).toEqual([400, 'GW_VALIDATION_FAILED', '/replaces']);
      const another = await post(first, { replaces: other.serial });
      expect([another.status, another.body.code]).toEqual([409, 'GW_RENEWAL_REFUSED']);
      expect(await selfIssued()).toBe(0);

      const renewed = await issued('BG-SAA', { replaces: first.serial }, gw.as(first));
      // A second spare from the old certificate, or a renewal of the renewal while the old one is valid: refused.
      expect((await post(first, { replaces: first.serial })).body.code).toBe('GW_RENEWAL_REFUSED');
      expect((await post(renewed, { replaces: renewed.serial })).body.code).toBe('GW_RENEWAL_REFUSED');
      expect(await selfIssued()).toBe(1);

      const told = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'participant renewed its own certificate' && l.serial === renewed.serial);
      expect(told).toMatchObject({ level: 40, replaces: first.serial, participant: 'BG-SAA' });
      const { rows } = await gw.db.query<{ actor: string; details: Record<string, unknown> }>(
        `SELECT actor, details FROM audit_log WHERE action = 'certificate.issued' AND details->>'serial' = $1`, [renewed.serial],
      );
      expect(rows).toEqual([{ actor: 'participant:BG-SAA', details: expect.objectContaining({ replaces: first.serial }) }]);
    });

    it('revokes, with a certificate revoked for key compromise, the renewals the participant made from it, and no certificate the officer issued', async () => {
      const a = await issued('BG-NGO-ANIMUS');
      const b = await issued('BG-NGO-ANIMUS', { replaces: a.serial }, gw.as(a));
      await gw.gateway.trust.maintain(); // a is retired (no overlap here): b may be renewed
      const c = await issued('BG-NGO-ANIMUS', { replaces: b.serial }, gw.as(b)); // made with b's key: maybe by a thief
      const d = await issued('BG-NGO-ANIMUS', { replaces: b.serial }); // the officer's replacement
      const revoked = await officer().post(`/v1/certificates/${b.serial}/revoke`, { reason: 'keyCompromise' });
      expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      expect((await officer().get(`/v1/certificates/${c.serial}`)).body).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      expect((await gw.as(c).get('/v1/participants')).body.code).toBe('GW_CLIENT_CERT_REVOKED');
      expect((await gw.as(d).get('/v1/participants')).status).toBe(200);
      const { rows } = await gw.db.query<{ details: Record<string, unknown> }>(
        `SELECT details FROM audit_log WHERE action = 'certificate.revoked' AND details->>'serial' = $1`, [c.serial],
      );
      expect(rows).toEqual([{ details: { serial: c.serial, reason: 'keyCompromise', renewalOf: b.serial } }]);
    });
  });

  describe('revocation', () => {
    it('takes effect on the very next request, on the same kept-alive connection', async () => {
      const cert = await issued('BG-MOI');
      const client = gw.as(cert);
      expect((await client.get('/v1/participants')).status).toBe(200);
      const revoked = await officer().post(`/v1/certificates/${cert.serial}/revoke`, { reason: 'keyCompromise' });
      expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      const refused = await client.get('/v1/participants');
      expect([refused.status, refused.body.code]).toEqual([401, 'GW_CLIENT_CERT_REVOKED']);
      expect((await client.post('/v1/exchanges', freshExample('Alert'))).body.code).toBe('GW_CLIENT_CERT_REVOKED');
      // Revoking again keeps the first reason.
      expect((await officer().post(`/v1/certificates/${cert.serial}/revoke`, { reason: 'superseded' })).body.revocationReason).toBe('keyCompromise');
    });

    it('reaches another gateway process on the same database within its refresh interval', async () => {
      const other = createGateway(gw.config, { logger: createLogger({ level: 'silent' }), db: gw.db, tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem }, authority: { ca: pki.ca, seal: pki.seal }, pseudonymKey: TEST_PSEUDONYM_KEY, contract, validators, adapters: ADAPTER_CATALOGUE });
      const url = await other.listen();
      const cert = await issued('BG-MOI');
      const { client, agent } = clientFor(url, pki.ca.certPem, cert);
      try {
        expect((await client.get('/v1/participants')).status).toBe(200);
        await officer().post(`/v1/certificates/${cert.serial}/revoke`, { reason: 'keyCompromise' });
        const started = Date.now();
        await vi.waitFor(async () => expect((await client.get('/v1/participants')).body.code).toBe('GW_CLIENT_CERT_REVOKED'), { timeout: 3000, interval: 20 });
        expect(Date.now() - started).toBeLessThan(gw.config.trust.revocationRefreshMs + 500);
      } finally {
        await agent.close();
        await other.close();
      }
    });

    it('lets a participant revoke its own certificate but not another\'s, and checks the reason', async () => {
      const mine = await issued('BG-NGO-ANIMUS');
      const theirs = await issued('BG-MOI');
      expect((await gw.as(mine).post(`/v1/certificates/${theirs.serial}/revoke`, { reason: 'keyCompromise' })).body.code).toBe('GW_CERTIFICATE_NOT_FOUND');
      expect((await gw.as(mine).post(`/v1/certificates/${mine.serial}/revoke`, { reason: 'because' })).body.code).toBe('GW_VALIDATION_FAILED');
      expect((await gw.as(mine).post(`/v1/certificates/${mine.serial}/revoke`, { reason: 'cessationOfOperation' })).status).toBe(200);
      expect((await officer().post('/v1/certificates/abc123/revoke', { reason: 'unspecified' })).body.code).toBe('GW_CERTIFICATE_NOT_FOUND');
    });

    it('publishes the CA and a CRL without a client certificate, which openssl verifies and uses to reject the revoked certificate', async () => {
      const revoked = await issued('BG-SAA');
      const kept = await issued('BG-SAA');
      await officer().post(`/v1/certificates/${revoked.serial}/revoke`, { reason: 'affiliationChanged' });
      const anonymous = gw.as();
      const caDer = await anonymous.send('GET', '/v1/ca');
      expect(caDer.contentType).toBe('application/pkix-cert');
      const caPem = await anonymous.get('/v1/ca?format=pem');
      expect(caPem.text).toBe(pki.ca.certPem);
      const der = await anonymous.send('GET', '/v1/crl');
      expect(der.contentType).toBe('application/pkix-crl');
      const pem = await anonymous.send('GET', '/v1/crl', { headers: { accept: 'application/x-pem-file' } });
      expect(pem.text).toMatch(/^-----BEGIN X509 CRL-----/);
      const crlFile = file('gateway-crl.pem', pem.text);
      const verdict = spawnSync('openssl', ['crl', '-in', crlFile, '-CAfile', file('fetched-ca.pem', caPem.text), '-verify', '-noout'], { encoding: 'utf8' });
      expect(`${verdict.stdout}${verdict.stderr}`).toContain('verify OK');
      const verify = (cert: KeyedCertificate) => spawnSync('openssl', ['verify', '-crl_check', '-CAfile', join(dir, 'ca.pem'), '-CRLfile', crlFile, file(`${uniqueId('c')}.pem`, cert.certPem)], { encoding: 'utf8' });
      expect(`${verify(revoked).stdout}${verify(revoked).stderr}`).toContain('certificate revoked');
      expect(verify(kept).status).toBe(0);
    });
  });

  describe('client certificates', () => {
    it('refuses a certificate issued for another purpose (TLS server) with its own code', async () => {
      const response = await gw.as(pki.wrongUsage).get('/v1/participants');
      expect([response.status, response.body.code]).toEqual([401, 'GW_CLIENT_CERT_WRONG_USAGE']);
    });
  });

  describe('expiry warnings', () => {
    it('lists, counts in /metrics and logs the certificates expiring within the warning period', async () => {
      const admin = await officer().post('/v1/certificates', { csr: keyAndCsr().csr, subject: { kind: 'administrator', name: 'short-lived', roles: ['auditor'] } });
      const serial = admin.body.serial as string;
      const expiring = (await officer().get('/v1/certificates?expiringWithinDays=30')).body.items.map((c: { serial: string }) => c.serial);
      expect(expiring).toContain(serial);
      expect((await officer().get('/v1/certificates?expiringWithinDays=5')).body.items.map((c: { serial: string }) => c.serial)).not.toContain(serial);
      const metrics = (await gw.as().get('/metrics')).text;
      expect(metrics).toMatch(/^rg_certificates_expiring [1-9]\d*$/m);
      expect(metrics).toContain(`rg_certificate_expiry_timestamp_seconds{serial="${serial}",subject_kind="administrator",subject="short-lived"}`);
      await gw.gateway.trust.maintain();
      expect(logs.lines.some((l) => l.includes('certificate expires soon') && l.includes(serial))).toBe(true);
    });
  });

  describe('seals and receipts', () => {
    it('seals the accepted envelope with Ed25519 and returns an acceptance receipt that jose and openssl verify', async () => {
      const message = freshExample('Alert');
      const response = await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', message);
      expect(response.status).toBe(202);
      const { acceptanceReceipt, id, envelopeDigest } = response.body;
      const { seal } = (await gw.as(pki.participant('BG-MOI')).get(`/v1/exchanges/${id}`)).body;
      const envelope = await envelopeOf(id, message);
      const [header, , signature] = (seal as string).split('.') as [string, string, string];
      const sealHeader = JSON.parse(Buffer.from(header, 'base64url').toString());
      const sealer = new X509Certificate(Buffer.from(sealHeader.x5c[0], 'base64'));
      expect(sealer.checkIssued(new X509Certificate(pki.ca.certPem))).toBe(true);
      expect([sealHeader.alg, sealer.publicKey.asymmetricKeyType]).toEqual(['EdDSA', 'ed25519']);
      const key = await importX509(sealer.toString(), 'EdDSA');
      await expect(flattenedVerify({ protected: header, payload: Buffer.from(envelope).toString('base64url'), signature }, key)).resolves.toBeDefined();
      const changed = envelope.replace('"type":"alert"', '"type":"alerT"');
      await expect(flattenedVerify({ protected: header, payload: Buffer.from(changed).toString('base64url'), signature }, key)).rejects.toThrow();
      const opensslCheck = (payload: string) => {
        writeFileSync(join(dir, 'input'), `${header}.${Buffer.from(payload).toString('base64url')}`);
        writeFileSync(join(dir, 'sig'), Buffer.from(signature, 'base64url'));
        writeFileSync(join(dir, 'seal-key.pem'), sealer.publicKey.export({ type: 'spki', format: 'pem' }));
        return spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'seal-key.pem'), '-rawin', '-in', join(dir, 'input'), '-sigfile', join(dir, 'sig')]).status;
      };
      expect(opensslCheck(envelope)).toBe(0);
      expect(opensslCheck(changed)).not.toBe(0);

      const { payload } = await compactVerify(acceptanceReceipt, key);
      expect(JSON.parse(Buffer.from(payload).toString())).toEqual({
        statement: 'accepted', exchangeId: id, messageId: message.messageId, sender: 'BG-MOI', recipients: message.recipients, envelopeDigest, acceptedAt: response.body.acceptedAt,
      });
      // A replay repeats the same receipt, byte for byte.
      expect((await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', message)).body.acceptanceReceipt).toBe(acceptanceReceipt);
    });
  });

  describe('docs/verify.md', () => {
    /** The openssl procedure of docs/verify.md, run as written, in a folder holding the auditor's files. */
    const procedure = readFileSync(new URL('../../docs/verify.md', import.meta.url), 'utf8').split('## With openssl')[1]!.match(/```sh\n([\s\S]*?)```/)![1]!;
    const audit = (files: Record<string, string>) => {
      const folder = mkdtempSync(join(tmpdir(), 'rg-audit-'));
      for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', procedure], { cwd: folder, encoding: 'utf8' });
      return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
    };

    it('verifies a seal and a receipt with openssl as written, and fails when one byte changes', async () => {
      const message = freshExample('Alert');
      const accepted = await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', message);
      const { seal } = (await gw.as(pki.participant('BG-MOI')).get(`/v1/exchanges/${accepted.body.id}`)).body;
      const envelope = await envelopeOf(accepted.body.id, message);
      const trust = { 'ca.pem': pki.ca.certPem, 'crl.pem': (await gw.as().get('/v1/crl?format=pem')).text };

      const sealed = audit({ ...trust, 'seal.jws': seal, 'envelope.json': envelope });
      expect(sealed.output).toContain('verify OK');
      expect(sealed.output).toContain('signer.pem: OK');
      expect(sealed.output).toContain('Signature Verified Successfully');
      expect(sealed.ok).toBe(true);
      const tampered = audit({ ...trust, 'seal.jws': seal, 'envelope.json': envelope.replace('"alert"', '"alerT"') });
      expect(tampered.output).toContain('Signature Verification Failure');
      expect(tampered.ok).toBe(false);
      // A header that names another algorithm than the certificate's key takes is refused before any check.
      const [sealHead, , sealSignature] = seal.split('.');
      const relabelled = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(sealHead, 'base64url').toString()), alg: 'RS256' })).toString('base64url');
      const confused = audit({ ...trust, 'seal.jws': `${relabelled}..${sealSignature}`, 'envelope.json': envelope });
      expect(confused.output).toContain("alg RS256 does not match the signer's key (EdDSA)");
      expect(confused.ok).toBe(false);

      const receipt = createJwsSigner(pki.participant('BG-NCCTHB')).sign(JSON.stringify({ deliveryId: accepted.body.deliveries[0].id, envelopeDigest: accepted.body.envelopeDigest }));
      const received = audit({ ...trust, 'seal.jws': receipt, 'envelope.json': envelope });
      expect(received.output).toContain('Verified OK'); // a participant's RSA receipt
      expect(received.ok).toBe(true);
      expect(received.output).toContain(`"envelopeDigest": "${accepted.body.envelopeDigest}"`);
      expect(received.output).toContain(`${accepted.body.envelopeDigest}\n`); // sha256sum of envelope.json matches
      const [h, p, sig] = receipt.split('.') as [string, string, string];
      const statement = Buffer.from(p, 'base64url').toString();
      const at = statement.indexOf('"deliveryId":"') + '"deliveryId":"'.length;
      const forged = Buffer.from(statement.slice(0, at) + (statement[at] === '0' ? '1' : '0') + statement.slice(at + 1)).toString('base64url');
      expect(audit({ ...trust, 'seal.jws': `${h}.${forged}.${sig}`, 'envelope.json': envelope }).ok).toBe(false);
    });
  });

  describe('senders that must sign', () => {
    const sacpMessage = () => {
      const message = freshExample('CaseUpdate');
      message.sender = 'BG-SACP';
      message.recipients = ['BG-NCCTHB'];
      return message;
    };
    const sign = (cert: KeyedCertificate, body: unknown) => ({ 'referral-signature': createJwsSigner(cert).signDetached(canonicalize(body)) });
    const sacp = () => gw.as(pki.participant('BG-SACP'));

    it('accepts a submission signed with the sender\'s certificate and keeps the signature', async () => {
      const message = sacpMessage();
      const headers = sign(pki.participant('BG-SACP'), message);
      const response = await sacp().post('/v1/exchanges', message, headers);
      expect(response.status, response.text).toBe(202);
      expect((await sacp().get(`/v1/exchanges/${response.body.id}`)).body.senderSignature).toBe(headers['referral-signature']);
    });

    it.each([
      ['no signature', () => ({}), 400, 'GW_SIGNATURE_REQUIRED'],
      ['a signature by another participant', (m: unknown) => sign(pki.participant('BG-MOI'), m), 403, 'GW_SIGNER_MISMATCH'],
      ['a signature over other content', (m: any) => sign(pki.participant('BG-SACP'), { ...m, messageId: 'msg-other-content' }), 422, 'GW_SIGNATURE_INVALID'],
      ['an expired signer', (m: unknown) => sign(pki.expired, m), 422, 'GW_SIGNER_CERT_EXPIRED'],
      ['a signer not valid yet', (m: unknown) => sign(pki.notYetValid, m), 422, 'GW_SIGNER_CERT_NOT_YET_VALID'],
      ['a foreign CA', (m: unknown) => sign(pki.foreign, m), 422, 'GW_SIGNER_CERT_UNTRUSTED'],
      ['a self-signed certificate', (m: unknown) => sign(pki.selfSigned, m), 422, 'GW_SIGNER_CERT_UNTRUSTED'],
      ['a TLS server certificate', (m: unknown) => sign(pki.wrongUsage, m), 422, 'GW_SIGNER_CERT_WRONG_USAGE'],
      ['garbage', () => ({ 'referral-signature': 'not-a-jws' }), 422, 'GW_SIGNATURE_INVALID'],
    ] as const)('refuses %s with a clear code and stores nothing', async (_name, headers, status, code) => {
      const message = sacpMessage();
      const response = await sacp().post('/v1/exchanges', message, headers(message));
      expect([response.status, response.body.code]).toEqual([status, code]);
      expect(response.body.violations?.[0]?.pointer ?? '#/header/Referral-Signature').toBe('#/header/Referral-Signature');
      const { rows } = await gw.db.query('SELECT 1 FROM exchanges WHERE message_id = $1', [message.messageId]);
      expect(rows).toEqual([]);
    });

    it('refuses a signature by a certificate revoked a moment ago', async () => {
      const cert = await issued('BG-SACP');
      await officer().post(`/v1/certificates/${cert.serial}/revoke`, { reason: 'keyCompromise' });
      const message = sacpMessage();
      const response = await sacp().post('/v1/exchanges', message, sign(cert, message));
      expect([response.status, response.body.code]).toEqual([422, 'GW_SIGNER_CERT_REVOKED']);
    });

    it('verifies a signature from a participant that need not sign, too', async () => {
      const message = freshExample('Alert');
      const bad = await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', message, sign(pki.participant('BG-NCCTHB'), message));
      expect(bad.body.code).toBe('GW_SIGNER_MISMATCH');
    });
  });
});
