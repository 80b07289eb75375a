/** Certificate revocation lists (RFC 5280 §5), DER-encoded with the `@peculiar/asn1-x509` schemas and signed by OpenSSL. */
import { createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  Certificate,
  CertificateList,
  CRLNumber,
  CRLReason,
  CRLReasons,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_subjectKeyIdentifier,
  RevokedCertificate,
  SubjectKeyIdentifier,
  TBSCertList,
  Time,
  Version,
} from '@peculiar/asn1-x509';
import type { KeyedCertificate } from './pki.ts';

/** RFC 5280 reason codes a revocation may give (`removeFromCRL` and `certificateHold` are not used: revocation is final). */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** One revoked certificate. */
export interface RevokedEntry {
  /** Hex serial number, as {@link normalizeSerial} writes it. */
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

/** Options for {@link buildCrl}. */
export interface CrlOptions {
  /** The issuing CA; its key signs the list. */
  ca: KeyedCertificate;
  /** Monotonically increasing (RFC 5280 §5.2.3). */
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: readonly RevokedEntry[];
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/**
 * A v2 CRL in DER: issuer taken from the CA certificate, authority key identifier equal to
 * the CA's subject key identifier (so `openssl verify -crl_check` matches it), a CRL number,
 * and a reason code on each entry. Signed SHA-256 with RSA, like the certificates.
 */
export function buildCrl(options: CrlOptions): Buffer {
  const caCert = AsnConvert.parse(new X509Certificate(options.ca.certPem).raw, Certificate);
  const caKey: KeyObject = createPrivateKey(options.ca.keyPem);
  const algorithm = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const keyId = subjectKeyIdentifier(caCert);
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: caCert.tbsCertificate.subject,
    thisUpdate: new Time(options.thisUpdate),
    nextUpdate: new Time(options.nextUpdate),
    ...(options.entries.length > 0
      ? {
          revokedCertificates: options.entries.map(
            (entry) =>
              new RevokedCertificate({
                userCertificate: serialToInteger(entry.serial),
                revocationDate: new Time(entry.revokedAt),
                crlEntryExtensions: [
                  new Extension({ extnID: id_ce_cRLReasons, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLReason(CRLReasons[entry.reason]))) }),
                ],
              }),
          ),
        }
      : {}),
    crlExtensions: [
      ...(keyId
        ? [new Extension({ extnID: id_ce_authorityKeyIdentifier, critical: false, extnValue: new OctetString(AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: keyId }))) })]
        : []),
      new Extension({ extnID: id_ce_cRLNumber, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLNumber(options.number))) }),
    ],
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, caKey);
  const list = new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature: new Uint8Array(signature).buffer });
  return Buffer.from(AsnConvert.serialize(list));
}

/** PEM armour for a DER CRL. */
export function crlToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN X509 CRL-----\n${lines.join('\n')}\n-----END X509 CRL-----\n`;
}

function subjectKeyIdentifier(cert: Certificate): SubjectKeyIdentifier | undefined {
  const extension = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  return extension ? AsnConvert.parse(extension.extnValue, SubjectKeyIdentifier) : undefined;
}

/** The DER INTEGER content of a positive hex serial: a leading zero octet when the top bit is set. */
function serialToInteger(serial: string): ArrayBuffer {
  const hex = serial.length % 2 === 1 ? `0${serial}` : serial;
  const bytes = Buffer.from(hex, 'hex');
  const content = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new Uint8Array(content).buffer;
}
