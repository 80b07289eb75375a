/** The production CA on disk: initialised once with a protected key, loaded by the gateway at start. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayUri } from './identity.ts';
import { createCertificateAuthority, issueKeyedCertificate, type KeyedCertificate } from './pki.ts';

const DAY = 86_400_000;

/** Options for {@link initCertificateAuthority}. */
export interface InitAuthorityOptions {
  dir: string;
  commonName: string;
  organization: string;
  country?: string;
  validityDays: number;
  /** Encrypts the key (PKCS#8, AES-256-CBC). Strongly advised outside a hardware module. */
  passphrase?: string;
}

/** Where {@link initCertificateAuthority} wrote the CA. */
export interface AuthorityFiles {
  certFile: string;
  keyFile: string;
}

/** Why the CA could not be created or loaded. */
export class AuthorityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorityError';
  }
}

/**
 * Creates a CA in `dir` (`ca.pem`, `ca-key.pem`): the key file 0600 in a 0700 folder,
 * encrypted when a passphrase is given. Refuses to overwrite an existing CA: replacing
 * it would invalidate every certificate issued.
 */
export function initCertificateAuthority(options: InitAuthorityOptions): AuthorityFiles {
  const certFile = join(options.dir, 'ca.pem');
  const keyFile = join(options.dir, 'ca-key.pem');
  if (existsSync(certFile) || existsSync(keyFile)) throw new AuthorityError(`${options.dir} already holds a CA; refusing to replace it.`);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const ca = createCertificateAuthority({
    subject: { commonName: options.commonName, organization: options.organization, ...(options.country ? { country: options.country } : {}) },
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + options.validityDays * DAY),
  });
  const keyPem = options.passphrase
    ? (createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: options.passphrase }) as string)
    : ca.keyPem;
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, ca.certPem);
  return { certFile, keyFile };
}

/**
 * Reads the CA certificate and key; decrypts the key with `passphrase` when it is
 * encrypted. Refuses a key file that others can read, and a key that does not match.
 */
export function loadCertificateAuthority(files: AuthorityFiles & { passphrase?: string }): KeyedCertificate {
  const { mode } = statSync(files.keyFile);
  if ((mode & 0o077) !== 0) throw new AuthorityError(`${files.keyFile} is readable by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it.`);
  const certPem = readFileSync(files.certFile, 'utf8');
  let key;
  try {
    key = createPrivateKey({ key: readFileSync(files.keyFile, 'utf8'), ...(files.passphrase ? { passphrase: files.passphrase } : {}) });
  } catch {
    throw new AuthorityError(`${files.keyFile} cannot be read${files.passphrase ? ' with the passphrase given' : '; is it encrypted (set the passphrase file)?'}.`);
  }
  if (!new X509Certificate(certPem).checkPrivateKey(key)) throw new AuthorityError(`${files.keyFile} is not the key of ${files.certFile}.`);
  return { certPem, keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** Options for {@link issueGatewayCertificates}. */
export interface GatewayCertificateOptions {
  ca: KeyedCertificate;
  dir: string;
  /** DNS names and IP addresses of the gateway's TLS endpoint. */
  hostnames: readonly string[];
  /** The gateway's name in its client and seal certificates' URIs. */
  name: string;
  organization: string;
  validityDays: number;
}

/** The gateway's own certificates. */
export type GatewayCertificateKind = 'server' | 'gateway-client' | 'seal';
export const GATEWAY_CERTIFICATE_KINDS: readonly GatewayCertificateKind[] = ['server', 'gateway-client', 'seal'];

/**
 * One of the gateway's own certificates with a fresh key: `server` (the TLS endpoint, for
 * `hostnames`), `gateway-client` (presented to recipients and webhooks) or `seal` (signs
 * seals and receipts; no TLS use). The production command and the development PKI both use it.
 */
export function issueGatewayCertificate(
  kind: GatewayCertificateKind,
  options: Pick<GatewayCertificateOptions, 'ca' | 'hostnames' | 'name' | 'organization'> & { notBefore: Date; notAfter: Date },
): KeyedCertificate {
  const { ca, name, organization, notBefore, notAfter } = options;
  const ip = (h: string) => /^[\d.:]+$/.test(h);
  if (kind === 'server') {
    return issueKeyedCertificate({
      ca, purpose: 'server', subject: { commonName: options.hostnames[0] ?? name, organization },
      dnsNames: options.hostnames.filter((h) => !ip(h)), ipAddresses: options.hostnames.filter(ip), notBefore, notAfter,
    });
  }
  const purpose = kind === 'seal' ? 'seal' : 'client';
  return issueKeyedCertificate({
    ca, purpose, subject: { commonName: kind === 'seal' ? `${name} seal` : name, organization }, uris: [gatewayUri(name)], notBefore, notAfter,
  });
}

/** The gateway's three certificates, issued by `ca` into `dir` (keys 0600); returns the certificate files. */
export function issueGatewayCertificates(options: GatewayCertificateOptions): Record<GatewayCertificateKind, string> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const validity = { notBefore: new Date(now - 60_000), notAfter: new Date(now + options.validityDays * DAY) };
  const written = {} as Record<GatewayCertificateKind, string>;
  for (const kind of GATEWAY_CERTIFICATE_KINDS) {
    const keyed = issueGatewayCertificate(kind, { ...options, ...validity });
    writeFileSync(join(options.dir, `${kind}-key.pem`), keyed.keyPem, { mode: 0o600 });
    writeFileSync(join(options.dir, `${kind}.pem`), keyed.certPem);
    written[kind] = join(options.dir, `${kind}.pem`);
  }
  return written;
}
