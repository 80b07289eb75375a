/** The development PKI created on first start: a CA, the gateway's server, client and seal certificates, one client certificate per demo participant. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { administratorUri, participantUri, roleUri, type AdminRole } from './identity.ts';
import { issueGatewayCertificate } from './authority.ts';
import { createCertificateAuthority, issueKeyedCertificate, type KeyedCertificate } from './pki.ts';

/** Options for {@link ensureDevelopmentPki}. */
export interface DevelopmentPkiOptions {
  /** Folder for the PEM files, e.g. `./var/certs`. */
  dir: string;
  /** One client certificate is issued for each. */
  participants: ReadonlyArray<{ id: string; name: string }>;
  /** Administrator certificates, with their roles. */
  administrators: ReadonlyArray<{ name: string; roles: readonly AdminRole[] }>;
  /** The gateway's name in its own certificates (`urn:nrm:gateway:<name>`); `referral-gateway` by default. */
  gatewayName?: string;
  /** Host names the server certificate is valid for. */
  hostnames: readonly string[];
}

/** The development CA, the server certificate, the gateway's own client certificate; participants' files sit in `clientsDir`. */
export interface DevelopmentPki {
  ca: KeyedCertificate;
  server: KeyedCertificate;
  /** Presented by the gateway to recipients' endpoints and webhooks. */
  gatewayClient: KeyedCertificate;
  /** Signs seals and acceptance receipts. */
  seal: KeyedCertificate;
  clientsDir: string;
  /** Every certificate issued here (PEM), so the gateway can record them and they can be listed and revoked. */
  issued: string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Creates what is missing and reuses what exists, so restarts keep the same CA and
 * certificates (and curl commands keep working), while a participant added to the
 * configuration gets its certificate on the next start. Private keys are written 0600.
 */
export function ensureDevelopmentPki(options: DevelopmentPkiOptions): DevelopmentPki {
  const clientsDir = join(options.dir, 'clients');
  mkdirSync(clientsDir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const validity = (days: number) => ({ notBefore: new Date(now - HOUR), notAfter: new Date(now + days * DAY) });

  const ca = loadOrCreate(options.dir, 'ca', () =>
    createCertificateAuthority({
      subject: { commonName: 'Referral Gateway Development CA', organization: 'Referral Gateway (development only)' },
      ...validity(3650),
    }),
  );
  const own = { ca, hostnames: options.hostnames, name: options.gatewayName ?? 'referral-gateway', organization: 'Referral Gateway (development only)', ...validity(825) };
  const server = loadOrCreate(options.dir, 'server', () => issueGatewayCertificate('server', own));
  const gatewayClient = loadOrCreate(options.dir, 'gateway-client', () => issueGatewayCertificate('gateway-client', own));
  const seal = loadOrCreate(options.dir, 'seal', () => issueGatewayCertificate('seal', own));
  const issued = [server.certPem, gatewayClient.certPem, seal.certPem];
  for (const participant of options.participants) {
    issued.push(loadOrCreate(clientsDir, participant.id, () =>
      issueKeyedCertificate({
        ca,
        purpose: 'client',
        subject: { commonName: participant.id, organization: participant.name },
        uris: [participantUri(participant.id)],
        ...validity(825),
      }),
    ).certPem);
  }
  for (const admin of options.administrators) {
    issued.push(loadOrCreate(clientsDir, admin.name, () =>
      issueKeyedCertificate({
        ca,
        purpose: 'client',
        subject: { commonName: admin.name, organization: 'Referral Gateway administrators' },
        uris: [administratorUri(admin.name), ...admin.roles.map(roleUri)],
        ...validity(825),
      }),
    ).certPem);
  }
  return { ca, server, gatewayClient, seal, clientsDir, issued };
}

function loadOrCreate(dir: string, name: string, create: () => KeyedCertificate): KeyedCertificate {
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
  }
  const created = create();
  writeFileSync(keyPath, created.keyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, created.certPem);
  return created;
}
