/** The typed client for agency integrators (the console and the CLI use it too). */
export { createReferralClient, GatewayProblem, unwrap } from './referral-client.ts';
export type { ClientCredentials, ReferralClient, ReferralClientOptions } from './referral-client.ts';
/** RFC 8785 canonical JSON: what seals and `Referral-Signature` sign. */
export { canonicalize } from '../schemas/index.ts';
export { readAuditLog, verifyAuditLog, verifyInclusionProof } from './audit-verifier.ts';
export type { AuditCheckpoint, AuditLogItem, AuditProblem, AuditVerification, AuditVerifyInput } from './audit-verifier.ts';
