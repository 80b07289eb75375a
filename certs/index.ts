/** PKI: the gateway CA, certificates, revocation lists, signatures, and the identities they carry. */
export { createCertificateAuthority, issueCertificate, issueKeyedCertificate, generateKeyPair, readCertificationRequest, normalizeSerial, CertificateRequestError } from './pki.ts';
export type { KeyedCertificate, IssueOptions, SubjectName, CertificatePurpose } from './pki.ts';
export { ensureDevelopmentPki } from './dev-pki.ts';
export type { DevelopmentPki, DevelopmentPkiOptions } from './dev-pki.ts';
export { initCertificateAuthority, loadCertificateAuthority, issueGatewayCertificates, AuthorityError } from './authority.ts';
export { buildCrl, crlToPem, REVOCATION_REASONS } from './crl.ts';
export type { RevokedEntry, RevocationReason } from './crl.ts';
export { createJwsSigner, createJwsVerifier, SignatureError } from './jws.ts';
export type { JwsHeader, JwsSigner, JwsVerifier, VerifiedJws, TrustAnchor, SignatureFailure } from './jws.ts';
export { readIdentity, readGatewayName, participantUri, administratorUri, adapterUri, roleUri, gatewayUri, ADMIN_ROLES } from './identity.ts';
export type { CertificateIdentity, AdminRole } from './identity.ts';
export { TLS_SERVER_OPTIONS } from './tls.ts';
