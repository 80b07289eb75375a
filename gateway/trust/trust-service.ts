/** Certificates on behalf of callers: issuing from CSRs, listing, revoking, the CA and CRL, and the revocation state every request is checked against. */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  administratorUri,
  adapterUri,
  buildCrl,
  CertificateRequestError,
  createJwsSigner,
  createJwsVerifier,
  crlToPem,
  issueCertificate,
  normalizeSerial,
  participantUri,
  readCertificationRequest,
  readGatewayName,
  readIdentity,
  roleUri,
  type AdminRole,
  type JwsSigner,
  type JwsVerifier,
  type KeyedCertificate,
  type RevocationReason,
} from '../../certs/index.ts';
import type { CertificateRequest, CertificateView } from '../../schemas/index.ts';
import type { TrustConfig } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import type { Logger } from '../logger.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { CertificateRecord, CertificateRow, CertificateStore, CertificateSubjectKind } from '../store/index.ts';

/** What the trust service needs. */
export interface TrustServiceDeps {
  store: CertificateStore;
  registry: ParticipantRegistry;
  /** The endpoint a participant is pushed to, if any: a server certificate may name only its host. */
  endpointOf(participantId: string): string | undefined;
  /** The gateway CA, with its key. */
  ca: KeyedCertificate;
  /** The gateway's seal certificate and key. */
  seal: KeyedCertificate;
  policy: TrustConfig;
  logger: Logger;
  now?: () => Date;
}

/** A DER document and its PEM form. */
export interface Published {
  der: Buffer;
  pem: string;
}

/** Certificates and the revocation state. */
export interface TrustService {
  /** Signs seals and acceptance receipts. */
  readonly sealer: JwsSigner;
  /** Verifies participants' signatures against the CA and the current revocation state. */
  readonly verifier: JwsVerifier;
  /** Whether a (normalised) serial is revoked, as of the last reload or this process's own revocation. */
  isRevoked(serial: string): boolean;
  /**
   * Issues a certificate. A participant renews only its own certificate, and only the one it
   * presents (`presentedSerial`), naming it in `replaces`; one renewal at a time.
   */
  issue(caller: Caller, request: CertificateRequest, presentedSerial?: string): Promise<CertificateView>;
  list(caller: Caller, filter: { participant?: string; expiringWithinDays?: number; limit: number }): Promise<CertificateView[]>;
  get(caller: Caller, serial: string): Promise<CertificateView>;
  revoke(caller: Caller, serial: string, reason: RevocationReason): Promise<CertificateView>;
  /** Records certificates issued outside the API (the development PKI, the gateway's own). */
  register(certificates: ReadonlyArray<{ certPem: string; issuedBy: string }>): Promise<void>;
  caCertificate(): Published;
  /** The current CRL; re-signed when the revocations changed or half its validity has passed. */
  crl(): Promise<Published>;
  /** Valid certificates whose validity ends within the warning period. */
  expiring(): Promise<CertificateRow[]>;
  /** Revokes superseded certificates whose rotation overlap ended and logs a warning for each expiring one; hourly after `start`. */
  maintain(): Promise<void>;
  /** Loads the revocation list, maintains, and keeps both current until `stop`. */
  start(): Promise<void>;
  stop(): void;
}

const DAY = 86_400_000;
const SERIAL = /^[0-9a-fA-F]{1,40}$/;

/** The trust service. */
export function createTrustService(deps: TrustServiceDeps): TrustService {
  const { store, policy, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const caCert = new X509Certificate(deps.ca.certPem);
  const caNotAfter = Date.parse(caCert.validTo);
  let revoked = new Set<string>();
  /** Revoked by this process: kept across reloads, so a reload that read the store just before a revocation committed cannot undo it here. */
  const revokedHere = new Set<string>();
  let published: { crl: Published; version: string; thisUpdate: number } | undefined;
  const timers: NodeJS.Timeout[] = [];

  const isRevoked = (serial: string) => revoked.has(serial);
  let starting: Promise<void> | undefined;
  const sealer = createJwsSigner(deps.seal, [deps.ca.certPem]);
  const verifier = createJwsVerifier({ caPem: deps.ca.certPem, isRevoked, clockSkewMs: policy.clockSkewSeconds * 1000 });

  const reload = async () => {
    const rows = await store.revocations();
    revoked = new Set([...rows.map((r) => r.serial), ...revokedHere]);
    return rows;
  };
  const markRevoked = (serial: string) => {
    revokedHere.add(serial);
    revoked.add(serial);
  };

  /** A participant system manages its own certificates (an adapter's certificate does not); administrators need the role. */
  const mayManage = (caller: Caller, row: CertificateRow): boolean =>
    caller.kind === 'administrator' ? caller.roles.includes('certificate-officer') : row.participant === caller.participantId && caller.adapter === undefined;

  /**
   * A stolen key must not yield certificates that outlive the stolen one: a participant's
   * renewal replaces the certificate it presents, and only when that one is not in a
   * renewal already — no successor, and its own predecessor retired — so a participant holds
   * at most two valid certificates, and revoking one for key compromise reaches the other.
   */
  const checkRenewal = async (replaces: string | undefined, presented: string | undefined) => {
    if (!replaces) {
      throw new GatewayError('GW_VALIDATION_FAILED', {
        detail: 'A participant renews the certificate it presents: name it in replaces. New certificates come from the certificate officer.',
        violations: [{ pointer: '/replaces', message: 'is required when a participant renews its own certificate', keyword: 'rotation' }],
      });
    }
    if (!presented || normalizeSerial(replaces) !== presented) {
      throw new GatewayError('GW_RENEWAL_REFUSED', {
        detail: `Renew the certificate you present (${presented ?? 'none'}), from the system that holds it; another one is the certificate officer's to replace.`,
        violations: [{ pointer: '/replaces', message: 'is not the certificate presented on this request', keyword: 'rotation' }],
      });
    }
    const [current, successors] = await Promise.all([store.get(presented), store.successors(presented)]);
    const predecessor = current?.replaces ? await store.get(current.replaces) : undefined;
    if (successors.length > 0 || (predecessor && !predecessor.revokedAt)) {
      throw new GatewayError('GW_RENEWAL_REFUSED', {
        detail: successors.length > 0
          ? `Certificate ${presented} was renewed already (${successors.map((s) => s.serial).join(', ')}); use that one.`
          : `Certificate ${presented} is itself a renewal whose predecessor ${predecessor!.serial} is still valid; renew once it is retired.`,
      });
    }
  };

  const expiringBefore = () => new Date(now().getTime() + policy.expiryWarningDays * DAY);

  const warnExpiring = async () => {
    for (const c of await store.list({ expiringBefore: expiringBefore(), limit: 1000 })) {
      logger.warn({ serial: c.serial, subject: subjectLabel(c), notAfter: c.notAfter.toISOString() }, 'certificate expires soon');
    }
  };

  const retireSuperseded = async () => {
    const retired = await store.retireSuperseded({ issuedBefore: new Date(now().getTime() - policy.rotationOverlapDays * DAY), actor: 'gateway:rotation' });
    for (const serial of retired) {
      markRevoked(serial);
      logger.info({ serial }, 'superseded certificate revoked after the rotation overlap');
    }
  };

  return {
    sealer,
    verifier,
    isRevoked,

    async issue(caller, request, presentedSerial) {
      const subject = request.subject;
      if (caller.kind === 'participant') {
        // A participant system renews its own certificate; anything else is the certificate officer's.
        if (subject.kind !== 'participant' || subject.participantId !== caller.participantId || caller.adapter) {
          throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'A participant may only request a renewal of its own participant certificate; other certificates need a certificate officer.' });
        }
        await checkRenewal(request.replaces, presentedSerial);
      } else {
        requireRole(caller, 'certificate-officer');
      }
      if (subject.kind !== 'administrator' && !deps.registry.get(subject.participantId)) {
        throw new GatewayError('GW_PARTICIPANT_NOT_FOUND', { detail: `${subject.participantId} is not a registered participant.`, violations: [{ pointer: '/subject/participantId', message: 'is not a registered participant', keyword: 'registry' }] });
      }
      let replaced: CertificateRow | undefined;
      if (request.replaces) {
        replaced = await store.get(normalizeSerial(request.replaces));
        if (!replaced || !sameSubject(replaced, subject) || replaced.revokedAt) {
          throw new GatewayError('GW_CERTIFICATE_NOT_FOUND', {
            detail: 'replaces must name a certificate of the same subject that is not revoked.',
            violations: [{ pointer: '/replaces', message: 'names no unrevoked certificate of this subject', keyword: 'rotation' }],
          });
        }
      }
      let publicKeyPem: string;
      try {
        ({ publicKeyPem } = readCertificationRequest(request.csr));
      } catch (error) {
        if (!(error instanceof CertificateRequestError)) throw error;
        throw new GatewayError('GW_CSR_INVALID', { detail: error.message, violations: [{ pointer: '/csr', message: error.message, keyword: 'csr' }] });
      }
      if (subject.kind === 'endpoint') checkEndpointNames(subject, deps.endpointOf(subject.participantId));
      const issuedAt = now().getTime();
      const notAfter = Math.min(issuedAt + policy.validityDays[subject.kind === 'endpoint' ? 'participant' : subject.kind] * DAY, caNotAfter);
      const uris = subject.kind === 'participant' || subject.kind === 'endpoint' ? [participantUri(subject.participantId)]
        : subject.kind === 'adapter' ? [participantUri(subject.participantId), adapterUri(subject.name)]
        : [administratorUri(subject.name), ...subject.roles.map((r) => roleUri(r))];
      const commonName = subject.kind === 'participant' ? subject.participantId
        : subject.kind === 'endpoint' ? (subject.dnsNames?.[0] ?? subject.ipAddresses![0]!)
        : subject.kind === 'adapter' ? `${subject.name} for ${subject.participantId}` : subject.name;
      const certPem = issueCertificate({
        ca: deps.ca, publicKeyPem, purpose: subject.kind === 'endpoint' ? 'server' : 'client', subject: { commonName }, uris,
        ...(subject.kind === 'endpoint' ? { dnsNames: subject.dnsNames ?? [], ipAddresses: subject.ipAddresses ?? [] } : {}),
        notBefore: new Date(issuedAt - 60_000), notAfter: new Date(notAfter),
      });
      const record = describeCertificate(certPem, callerLabel(caller));
      await store.record({ ...record, ...(replaced ? { replaces: replaced.serial } : {}) });
      // The certificate officer hears of every renewal a participant makes itself (and the audit log holds it).
      if (caller.kind === 'participant') logger.warn({ serial: record.serial, replaces: replaced?.serial, participant: record.participant }, 'participant renewed its own certificate');
      return toView((await store.get(record.serial))!, now());
    },

    async list(caller, filter) {
      const participant = caller.kind === 'participant' ? caller.participantId : filter.participant;
      if (caller.kind === 'administrator') requireRole(caller, 'certificate-officer', 'auditor');
      const rows = await store.list({
        ...(participant ? { participant } : {}),
        ...(filter.expiringWithinDays !== undefined ? { expiringBefore: new Date(now().getTime() + filter.expiringWithinDays * DAY) } : {}),
        limit: filter.limit,
      });
      return rows.map((r) => toView(r, now()));
    },

    async get(caller, serial) {
      const row = SERIAL.test(serial) ? await store.get(normalizeSerial(serial)) : undefined;
      const visible = row && (caller.kind === 'administrator' ? caller.roles.includes('certificate-officer') || caller.roles.includes('auditor') : row.participant === caller.participantId);
      if (!row || !visible) throw new GatewayError('GW_CERTIFICATE_NOT_FOUND');
      return toView(row, now());
    },

    async revoke(caller, serial, reason) {
      const normalized = SERIAL.test(serial) ? normalizeSerial(serial) : undefined;
      const row = normalized ? await store.get(normalized) : undefined;
      if (!row || !mayManage(caller, row)) throw new GatewayError('GW_CERTIFICATE_NOT_FOUND');
      const outcome = await store.revoke({ serial: row.serial, reason, actor: callerLabel(caller) });
      if (outcome.outcome === 'not-found') throw new GatewayError('GW_CERTIFICATE_NOT_FOUND');
      // Effective in this process at once; other processes reload within `revocationRefreshMs`.
      markRevoked(row.serial);
      for (const serial of outcome.cascaded) markRevoked(serial);
      if (outcome.outcome === 'revoked') logger.info({ serial: row.serial, reason, subject: subjectLabel(row) }, 'certificate revoked');
      if (outcome.cascaded.length > 0) logger.warn({ serial: row.serial, renewals: outcome.cascaded, subject: subjectLabel(row) }, 'renewals made with a compromised certificate revoked with it');
      return toView(outcome.certificate, now());
    },

    async register(certificates) {
      for (const { certPem, issuedBy } of certificates) await store.record(describeCertificate(certPem, issuedBy));
    },

    caCertificate() {
      return { der: caCert.raw, pem: deps.ca.certPem };
    },

    async crl() {
      const entries = (await reload()).map((r) => ({ serial: r.serial, revokedAt: r.revokedAt, reason: r.reason as RevocationReason }));
      const version = entries.map((e) => e.serial).join(',');
      const at = now().getTime();
      const halfLife = (policy.crlValidityHours * 3_600_000) / 2;
      if (published && published.version === version && at - published.thisUpdate < halfLife) return published.crl;
      const der = buildCrl({
        ca: deps.ca,
        number: await store.nextCrlNumber(),
        thisUpdate: new Date(at - 60_000),
        nextUpdate: new Date(at + policy.crlValidityHours * 3_600_000),
        entries,
      });
      published = { crl: { der, pem: crlToPem(der) }, version, thisUpdate: at };
      return published.crl;
    },

    expiring: () => store.list({ expiringBefore: expiringBefore(), limit: 10_000 }),

    async maintain() {
      await retireSuperseded();
      await warnExpiring();
    },

    start() {
      // Once per process, however many listeners ask.
      starting ??= (async () => {
        await reload();
        await this.maintain();
        // This process's copy of the revocation list; the hourly maintenance is a job of the relay role (queues/jobs/).
        const onError = (error: unknown) => logger.error({ err: error }, 'reloading revocations failed');
        timers.push(setInterval(() => void reload().catch(onError), policy.revocationRefreshMs).unref());
      })().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      return starting;
    },

    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      starting = undefined;
    },
  };
}

/** The record of a certificate, read from the certificate itself. */
export function describeCertificate(certPem: string, issuedBy: string): CertificateRecord {
  const certificate = new X509Certificate(certPem);
  const identity = readIdentity(certificate);
  const gateway = readGatewayName(certificate);
  // A participant's server certificate (its endpoint's) serves TLS only: it never authenticates a client.
  const serves = certificate.keyUsage?.includes(SERVER_AUTH) && !certificate.keyUsage.includes(CLIENT_AUTH);
  const subjectKind: CertificateSubjectKind = identity?.kind === 'administrator' ? 'administrator'
    : identity?.kind === 'participant' ? (identity.adapter ? 'adapter' : serves ? 'endpoint' : 'participant')
    : 'gateway';
  return {
    serial: normalizeSerial(certificate.serialNumber),
    subjectKind,
    ...(identity?.kind === 'participant' ? { participant: identity.participantId } : {}),
    ...(identity?.kind === 'participant' && identity.adapter ? { name: identity.adapter } : {}),
    ...(identity?.kind === 'administrator' ? { name: identity.name } : {}),
    ...(!identity && gateway ? { name: gateway } : {}),
    roles: identity?.kind === 'administrator' ? [...identity.roles] : [],
    fingerprint: `sha256:${createHash('sha256').update(certificate.raw).digest('hex')}`,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    certificatePem: certPem,
    issuedBy,
  };
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * A server certificate names only its participant's registered endpoint: each DNS name or IP
 * address asked for must be that endpoint's host (so nobody gets a certificate the gateway's
 * adapters would trust for somebody else's address).
 */
function checkEndpointNames(subject: Extract<CertificateRequest['subject'], { kind: 'endpoint' }>, endpoint: string | undefined): void {
  if (!endpoint) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: `${subject.participantId} has no registered endpoint: set its delivery settings (mode push, endpoint) first.`,
      violations: [{ pointer: '/subject/participantId', message: 'has no registered endpoint', keyword: 'endpoint' }],
    });
  }
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const asked = [
    ...(subject.dnsNames ?? []).map((name, i) => ({ name: name.toLowerCase(), pointer: `/subject/dnsNames/${i}` })),
    ...(subject.ipAddresses ?? []).map((name, i) => ({ name: name.toLowerCase(), pointer: `/subject/ipAddresses/${i}` })),
  ];
  const notAddresses = (subject.ipAddresses ?? []).flatMap((address, i) => (isIP(address) ? [] : [{ pointer: `/subject/ipAddresses/${i}`, message: 'is not an IPv4 or IPv6 address', keyword: 'format' }]));
  if (notAddresses.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations: notAddresses });
  const strangers = asked.filter((a) => a.name !== host);
  if (strangers.length > 0) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: `A server certificate for ${subject.participantId} may name only its endpoint's host, ${host}.`,
      violations: strangers.map((a) => ({ pointer: a.pointer, message: `is not the host of the registered endpoint (${host})`, keyword: 'endpoint' })),
    });
  }
}

function sameSubject(row: CertificateRow, subject: CertificateRequest['subject']): boolean {
  if (row.subjectKind !== subject.kind) return false;
  if (subject.kind === 'administrator') return row.name === subject.name;
  return row.participant === subject.participantId && (subject.kind !== 'adapter' || row.name === subject.name);
}

function subjectLabel(row: CertificateRow): string {
  return row.subjectKind === 'participant' || row.subjectKind === 'endpoint' ? `${row.subjectKind}:${row.participant}` : row.subjectKind === 'adapter' ? `adapter:${row.name}@${row.participant}` : `${row.subjectKind}:${row.name}`;
}

/** The API view of a certificate. */
function toView(row: CertificateRow, at: Date): CertificateView {
  const t = at.getTime();
  const status = row.revokedAt ? 'revoked' : t > row.notAfter.getTime() ? 'expired' : t < row.notBefore.getTime() ? 'not-yet-valid' : 'valid';
  return {
    serial: row.serial,
    status,
    subject: row.subjectKind === 'administrator' ? { kind: 'administrator', name: row.name!, roles: row.roles as AdminRole[] }
      : row.subjectKind === 'adapter' ? { kind: 'adapter', participantId: row.participant!, name: row.name! }
      : row.subjectKind === 'participant' || row.subjectKind === 'endpoint' ? { kind: row.subjectKind, participantId: row.participant! }
      : { kind: 'gateway', name: row.name ?? 'gateway' },
    fingerprint: row.fingerprint,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    issuedAt: row.issuedAt.toISOString(),
    ...(row.replaces ? { replaces: row.replaces } : {}),
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString(), revocationReason: row.revocationReason as RevocationReason } : {}),
    certificate: row.certificatePem,
  };
}
