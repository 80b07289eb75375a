/** PKI: the gateway CA, certificates, and the identities they carry. */
export { createCertificateAuthority, issueCertificate, issueKeyedCertificate, generateKeyPair } from './pki.ts';
export type { KeyedCertificate, IssueOptions, SubjectName, CertificatePurpose } from './pki.ts';
export { ensureDevelopmentPki } from './dev-pki.ts';
export type { DevelopmentPki, DevelopmentPkiOptions } from './dev-pki.ts';
export { readIdentity, participantUri, administratorUri, roleUri, gatewayUri, ADMIN_ROLES } from './identity.ts';
export type { CertificateIdentity, AdminRole } from './identity.ts';
