import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorityError, generateKeyPair } from '../certs/index.ts';
import { startGateway, type RunningGateway } from '../app/start.ts';
import { clientFor, createPostgresDatabase, uniqueId } from '../testing/test-gateway.ts';

const dir = mkdtempSync(join(tmpdir(), 'rg-prod-ca-'));
const path = (name: string) => join(dir, name);
const ca = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/ca.ts', ...args], { encoding: 'utf8' });
const csrFor = (name: string) => {
  const { privateKeyPem } = generateKeyPair();
  writeFileSync(path(`${name}-key.pem`), privateKeyPem, { mode: 0o600 });
  writeFileSync(path(`${name}.csr`), execFileSync('openssl', ['req', '-new', '-key', path(`${name}-key.pem`), '-subj', `/CN=${name}`], { encoding: 'utf8' }));
  return { keyPem: privateKeyPem, csrFile: path(`${name}.csr`) };
};

describe('a production CA made with npm run ca', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let running: RunningGateway | undefined;
  const tls = () => ({
    caFile: path('ca/ca.pem'), caKeyFile: path('ca/ca-key.pem'), caKeyPassphraseFile: path('passphrase'),
    certFile: path('gw/server.pem'), keyFile: path('gw/server-key.pem'),
    clientCertFile: path('gw/gateway-client.pem'), clientKeyFile: path('gw/gateway-client-key.pem'),
    sealCertFile: path('gw/seal.pem'), sealKeyFile: path('gw/seal-key.pem'),
  });
  const start = (overrides: Record<string, unknown> = {}) =>
    startGateway({ overrides: { host: '127.0.0.1', port: 0, dataDir: dir, databaseUrl: database.url, roles: ['api'], logLevel: 'silent', tls: tls(), pseudonymKeyFile: path('pseudonym.key'), ...overrides } });

  beforeAll(async () => {
    database = await createPostgresDatabase();
    writeFileSync(path('passphrase'), 'correct horse battery staple\n', { mode: 0o600 });
    writeFileSync(path('pseudonym.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const init = ca('init', '--dir', path('ca'), '--name', 'Test NRM CA', '--organization', 'Synthetic Test Commission', '--country', 'BG', '--passphrase-file', path('passphrase'));
    expect(init.status, init.stderr).toBe(0);
    const own = ca('gateway-certs', '--ca-dir', path('ca'), '--dir', path('gw'), '--host', 'localhost', '--host', '127.0.0.1', '--passphrase-file', path('passphrase'));
    expect(own.status, own.stderr).toBe(0);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('writes the CA key encrypted, readable by its owner only, and refuses to replace the CA', () => {
    expect(statSync(path('ca/ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path('ca')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path('ca/ca-key.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const again = ca('init', '--dir', path('ca'), '--name', 'Another', '--organization', 'x');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds a CA');
  });

  it('issues the first certificate officer offline, and the gateway lets it issue and list certificates', async () => {
    const officer = csrFor('first-officer');
    const issued = ca('issue-admin', '--ca-dir', path('ca'), '--csr', officer.csrFile, '--name', 'first-officer', '--role', 'certificate-officer',
      '--out', path('first-officer.pem'), '--database-url', database.url, '--passphrase-file', path('passphrase'));
    expect(issued.status, issued.stderr).toBe(0);
    running = await start();
    const base = running.url.replace('127.0.0.1', 'localhost');
    const caPem = readFileSync(path('ca/ca.pem'), 'utf8');
    const { client, agent } = clientFor(base, caPem, { certPem: readFileSync(path('first-officer.pem'), 'utf8'), keyPem: officer.keyPem });
    const moi = csrFor('bg-moi');
    const response = await client.post('/v1/certificates', { csr: readFileSync(moi.csrFile, 'utf8'), subject: { kind: 'participant', participantId: 'BG-MOI' } });
    expect(response.status, response.text).toBe(201);
    const listed = (await client.get('/v1/certificates')).body.items as Array<{ subject: { kind: string; name?: string } }>;
    expect(listed.map((c) => c.subject.kind).sort()).toEqual(['administrator', 'gateway', 'gateway', 'gateway', 'participant']);
    expect(listed).toContainEqual(expect.objectContaining({ subject: { kind: 'administrator', name: 'first-officer', roles: ['certificate-officer'] } }));
    const { client: moiClient, agent: moiAgent } = clientFor(base, caPem, { certPem: response.body.certificate, keyPem: moi.keyPem });
    expect((await moiClient.get('/v1/participants/BG-MOI')).status).toBe(200);
    const crl = await moiClient.get('/v1/crl?format=pem');
    writeFileSync(path('crl.pem'), crl.text);
    const verdict = spawnSync('openssl', ['crl', '-in', path('crl.pem'), '-CAfile', path('ca/ca.pem'), '-verify', '-noout'], { encoding: 'utf8' });
    expect(`${verdict.stdout}${verdict.stderr}`).toContain('verify OK');
    const seal = new X509Certificate(readFileSync(path('gw/seal.pem'), 'utf8'));
    expect(seal.keyUsage).toBeUndefined(); // no extended key usage: never a TLS certificate
    expect(seal.checkIssued(new X509Certificate(caPem))).toBe(true);
    await Promise.all([agent.close(), moiAgent.close()]);
    await running.stop();
    running = undefined;
  });

  it('refuses to start with a wrong passphrase or a CA key others can read', async () => {
    writeFileSync(path('wrong'), `${uniqueId('wrong')}\n`, { mode: 0o600 });
    await expect(start({ tls: { ...tls(), caKeyPassphraseFile: path('wrong') } })).rejects.toThrow(AuthorityError);
    chmodSync(path('ca/ca-key.pem'), 0o644);
    try {
      await expect(start()).rejects.toThrow(/readable by group or others/);
    } finally {
      chmodSync(path('ca/ca-key.pem'), 0o600);
    }
  });
});
