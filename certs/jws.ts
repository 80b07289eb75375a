/**
 * JWS (RFC 7515) signing and verification with `node:crypto`: RS256 for RSA keys, EdDSA
 * (Ed25519, RFC 8037) for the gateway's seal key, the signer's chain in `x5c`, the signing
 * time in `sigT` (the JAdES header name), compact serialisation, payload attached or
 * detached (RFC 7515 Appendix F).
 */
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, ExtendedKeyUsage, id_ce_extKeyUsage, id_ce_keyUsage, id_kp_clientAuth, KeyUsage, KeyUsageFlags } from '@peculiar/asn1-x509';
import { readIdentity, type CertificateIdentity } from './identity.ts';
import { normalizeSerial, type KeyedCertificate } from './pki.ts';

/** The algorithms signed and accepted, and the key type each takes: `alg` must match the signer's certificate. */
const ALGORITHMS = { RS256: { keyType: 'rsa', digest: 'sha256' }, EdDSA: { keyType: 'ed25519', digest: null } } as const;
export type JwsAlgorithm = keyof typeof ALGORITHMS;

/** The algorithm for a key of `keyType`, if it signs at all. */
const algorithmFor = (keyType: string | undefined): JwsAlgorithm | undefined =>
  (Object.keys(ALGORITHMS) as JwsAlgorithm[]).find((alg) => ALGORITHMS[alg].keyType === keyType);

/** The protected header the gateway writes and expects. */
export interface JwsHeader {
  alg: JwsAlgorithm;
  /** Base64 DER: the signer's certificate first, then its issuer. */
  x5c: string[];
  /** Signing time, RFC 3339 UTC. */
  sigT: string;
  typ?: string;
  [name: string]: unknown;
}

/** Signs with one key, parsed once. */
export interface JwsSigner {
  /** The signer's certificate. */
  readonly certificate: X509Certificate;
  /** Compact JWS with the payload attached. */
  sign(payload: string | Buffer, options?: { signedAt?: Date; typ?: string }): string;
  /** Compact JWS with the payload detached (`header..signature`); the verifier supplies the payload. */
  signDetached(payload: string | Buffer, options?: { signedAt?: Date; typ?: string }): string;
}

/** A signer for `keyed`, whose issuer chain (without the signer) is `chainPems`. */
export function createJwsSigner(keyed: KeyedCertificate, chainPems: readonly string[] = []): JwsSigner {
  const key = createPrivateKey(keyed.keyPem);
  const alg = algorithmFor(key.asymmetricKeyType);
  if (!alg) throw new RangeError(`A ${String(key.asymmetricKeyType)} key does not sign JWS here: RSA or Ed25519 only.`);
  const certificate = new X509Certificate(keyed.certPem);
  const x5c = [certificate, ...chainPems.map((pem) => new X509Certificate(pem))].map((c) => c.raw.toString('base64'));
  const compact = (payload: string | Buffer, options: { signedAt?: Date; typ?: string }, detached: boolean) => {
    const header: JwsHeader = { alg, ...(options.typ ? { typ: options.typ } : {}), x5c, sigT: rfc3339(options.signedAt ?? new Date()) };
    const encodedHeader = base64url(JSON.stringify(header));
    const encodedPayload = base64url(payload);
    const signature = sign(ALGORITHMS[alg].digest, Buffer.from(`${encodedHeader}.${encodedPayload}`), key).toString('base64url');
    return `${encodedHeader}.${detached ? '' : encodedPayload}.${signature}`;
  };
  return {
    certificate,
    sign: (payload, options = {}) => compact(payload, options, false),
    signDetached: (payload, options = {}) => compact(payload, options, true),
  };
}

/** Why a signature was refused. */
export type SignatureFailure =
  | 'malformed'
  | 'bad-signature'
  | 'untrusted'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'wrong-usage';

/** A refused signature, with the reason a caller can act on. */
export class SignatureError extends Error {
  constructor(readonly failure: SignatureFailure, message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** A signature that verified, and who made it. */
export interface VerifiedJws {
  header: JwsHeader;
  payload: Buffer;
  signer: X509Certificate;
  /** Normalised serial of the signer's certificate. */
  serial: string;
  /** What the signer's certificate names, if anything. */
  identity: CertificateIdentity | undefined;
  signedAt: Date;
}

/** What signatures are checked against. */
export interface TrustAnchor {
  /** The CA that must have issued the signer's certificate directly. */
  caPem: string;
  /** Whether a (normalised) serial is revoked; asked on every verification. */
  isRevoked(serial: string): boolean;
  /** How far `sigT` may be ahead of the verifier's clock. Default 5 minutes. */
  clockSkewMs?: number;
}

/** Verifies JWS made by certificates of one CA. */
export interface JwsVerifier {
  /**
   * Checks the signature with the key of `x5c[0]`, that certificate's chain to the CA, its
   * validity at `at` (default now), revocation, and key usage (digital signature; extended
   * key usage, where present, must allow client use). `detachedPayload` is required when
   * the payload part is empty. Throws {@link SignatureError}.
   */
  verify(jws: string, options?: { detachedPayload?: string | Buffer; at?: Date }): VerifiedJws;
}

interface CheckedCertificate {
  certificate: X509Certificate;
  serial: string;
  notBefore: number;
  notAfter: number;
  usageProblem: string | undefined;
  identity: CertificateIdentity | undefined;
}

/** A verifier; certificate checks that do not depend on time or revocation are cached per certificate. */
export function createJwsVerifier(anchor: TrustAnchor): JwsVerifier {
  const ca = new X509Certificate(anchor.caPem);
  const caKey = ca.publicKey;
  const skew = anchor.clockSkewMs ?? 300_000;
  const cache = new Map<string, CheckedCertificate>();

  const check = (der: string): CheckedCertificate => {
    const cached = cache.get(der);
    if (cached) return cached;
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(Buffer.from(der, 'base64'));
    } catch {
      throw new SignatureError('malformed', 'x5c[0] is not a DER certificate.');
    }
    if (!certificate.checkIssued(ca) || !certificate.verify(caKey)) {
      throw new SignatureError('untrusted', `The signer's certificate (issuer ${certificate.issuer.replace(/\n/g, ', ')}) was not issued by the gateway CA.`);
    }
    const checked: CheckedCertificate = {
      certificate,
      serial: normalizeSerial(certificate.serialNumber),
      notBefore: Date.parse(certificate.validFrom),
      notAfter: Date.parse(certificate.validTo),
      usageProblem: usageProblem(certificate),
      identity: readIdentity(certificate),
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(der, checked);
    return checked;
  };

  return {
    verify(jws, options = {}) {
      const parts = jws.split('.');
      if (parts.length !== 3 || !parts[0] || !parts[2]) throw new SignatureError('malformed', 'Not a compact JWS (three base64url parts).');
      const [encodedHeader, attached, encodedSignature] = parts as [string, string, string];
      let header: JwsHeader;
      try {
        header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as JwsHeader;
      } catch {
        throw new SignatureError('malformed', 'The protected header is not base64url JSON.');
      }
      if (!Object.hasOwn(ALGORITHMS, String(header.alg))) throw new SignatureError('malformed', `alg must be RS256 or EdDSA (got ${String(header.alg)}).`);
      if (!Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string') throw new SignatureError('malformed', 'The header has no x5c certificate chain.');
      const signedAt = typeof header.sigT === 'string' ? Date.parse(header.sigT) : Number.NaN;
      if (Number.isNaN(signedAt)) throw new SignatureError('malformed', 'The header has no sigT signing time.');
      if (attached && options.detachedPayload !== undefined) throw new SignatureError('malformed', 'The payload must be detached here.');
      if (!attached && options.detachedPayload === undefined) throw new SignatureError('malformed', 'The JWS has no payload.');
      const encodedPayload = attached || base64url(options.detachedPayload!);

      const signer = check(header.x5c[0]);
      const at = (options.at ?? new Date()).getTime();
      if (at > signer.notAfter) throw new SignatureError('expired', `The signer's certificate expired ${signer.certificate.validTo}.`);
      if (at < signer.notBefore) throw new SignatureError('not-yet-valid', `The signer's certificate is valid from ${signer.certificate.validFrom}.`);
      if (anchor.isRevoked(signer.serial)) throw new SignatureError('revoked', `The signer's certificate ${signer.serial} is revoked.`);
      if (signer.usageProblem) throw new SignatureError('wrong-usage', signer.usageProblem);
      if (signedAt > at + skew) throw new SignatureError('malformed', 'sigT is in the future.');

      // The header names the algorithm, the certificate's key decides it: no RSA key is tried as anything else.
      const algorithm = ALGORITHMS[header.alg];
      if (signer.certificate.publicKey.asymmetricKeyType !== algorithm.keyType) {
        throw new SignatureError('malformed', `alg ${header.alg} does not match the signer's ${String(signer.certificate.publicKey.asymmetricKeyType)} key.`);
      }
      const signature = Buffer.from(encodedSignature, 'base64url');
      if (!verify(algorithm.digest, Buffer.from(`${encodedHeader}.${encodedPayload}`), signer.certificate.publicKey, signature)) {
        throw new SignatureError('bad-signature', 'The signature does not match the content.');
      }
      return {
        header,
        payload: attached ? Buffer.from(attached, 'base64url') : Buffer.from(options.detachedPayload!),
        signer: signer.certificate,
        serial: signer.serial,
        identity: signer.identity,
        signedAt: new Date(signedAt),
      };
    },
  };
}

/** Why a certificate may not sign, or `undefined` when it may. */
function usageProblem(certificate: X509Certificate): string | undefined {
  const parsed = AsnConvert.parse(certificate.raw, Certificate);
  const extensions = parsed.tbsCertificate.extensions ?? [];
  const keyUsage = extensions.find((e) => e.extnID === id_ce_keyUsage);
  if (keyUsage) {
    const flags = AsnConvert.parse(keyUsage.extnValue, KeyUsage).toNumber();
    if (!(flags & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation))) return 'The certificate\'s key usage does not allow signing.';
  }
  const extended = extensions.find((e) => e.extnID === id_ce_extKeyUsage);
  if (extended && !AsnConvert.parse(extended.extnValue, ExtendedKeyUsage).includes(id_kp_clientAuth)) {
    return 'The certificate\'s extended key usage is not for participant systems (clientAuth).';
  }
  return undefined;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** RFC 3339 UTC with whole seconds, as JAdES writes `sigT`. */
function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
