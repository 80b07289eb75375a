/** The error registry: every failure the gateway reports, with its HTTP status and who is at fault. */
import type { ErrorCode, Problem, Violation } from '../schemas/index.ts';

/** Who has to act: the caller fixes its request, the gateway's operators fix the gateway, or an adapter/recipient failed. */
export type ErrorCategory = 'caller' | 'gateway' | 'adapter';

/** A registry entry. */
export interface ErrorDefinition {
  status: number;
  title: string;
  category: ErrorCategory;
  /** Whether the same request may succeed later without change. */
  retryable: boolean;
}

/** Every code the gateway emits; a test keeps it equal to `ErrorCode` in `openapi.yaml`. */
export const ERRORS = {
  GW_VALIDATION_FAILED: { status: 400, title: 'The request does not match the contract', category: 'caller', retryable: false },
  GW_MALFORMED_JSON: { status: 400, title: 'The body is not well-formed JSON', category: 'caller', retryable: false },
  GW_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body must be application/json', category: 'caller', retryable: false },
  GW_RATE_LIMITED: { status: 429, title: 'Too many requests from this certificate', category: 'caller', retryable: true },
  GW_TOO_MANY_HELD: { status: 429, title: 'Too many event streams or long polls held open', category: 'caller', retryable: true },
  GW_CROSS_SITE_REQUEST: { status: 403, title: 'A state-changing request from another site is refused', category: 'caller', retryable: false },
  GW_PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is larger than the gateway accepts', category: 'caller', retryable: false },
  GW_ROUTE_NOT_FOUND: { status: 404, title: 'No such route', category: 'caller', retryable: false },
  GW_METHOD_NOT_ALLOWED: { status: 405, title: 'The route does not support this method', category: 'caller', retryable: false },
  GW_CLIENT_CERT_MISSING: { status: 401, title: 'A client certificate is required', category: 'caller', retryable: false },
  GW_CLIENT_CERT_UNTRUSTED: { status: 401, title: 'The client certificate was not issued by the gateway CA', category: 'caller', retryable: false },
  GW_CLIENT_CERT_EXPIRED: { status: 401, title: 'The client certificate has expired', category: 'caller', retryable: false },
  GW_CLIENT_CERT_NOT_YET_VALID: { status: 401, title: 'The client certificate is not valid yet', category: 'caller', retryable: false },
  GW_CLIENT_CERT_UNKNOWN_PARTICIPANT: { status: 401, title: 'The client certificate names no registered participant', category: 'caller', retryable: false },
  GW_CLIENT_CERT_REVOKED: { status: 401, title: 'The client certificate has been revoked', category: 'caller', retryable: false },
  GW_PARTICIPANT_SUSPENDED: { status: 403, title: 'The participant is suspended by an operator', category: 'caller', retryable: false },
  GW_PARTICIPANT_EXISTS: { status: 409, title: 'A participant with this id is registered already', category: 'caller', retryable: false },
  GW_CLIENT_CERT_WRONG_USAGE: { status: 401, title: 'The client certificate is not for TLS client authentication', category: 'caller', retryable: false },
  GW_SIGNATURE_REQUIRED: { status: 400, title: 'This participant must sign its submissions', category: 'caller', retryable: false },
  GW_SIGNATURE_INVALID: { status: 422, title: 'The signature is malformed or does not match the content', category: 'caller', retryable: false },
  GW_SIGNER_CERT_UNTRUSTED: { status: 422, title: 'The signer\'s certificate was not issued by the gateway CA', category: 'caller', retryable: false },
  GW_SIGNER_CERT_EXPIRED: { status: 422, title: 'The signer\'s certificate has expired', category: 'caller', retryable: false },
  GW_SIGNER_CERT_NOT_YET_VALID: { status: 422, title: 'The signer\'s certificate is not valid yet', category: 'caller', retryable: false },
  GW_SIGNER_CERT_REVOKED: { status: 422, title: 'The signer\'s certificate has been revoked', category: 'caller', retryable: false },
  GW_SIGNER_CERT_WRONG_USAGE: { status: 422, title: 'The signer\'s certificate may not sign', category: 'caller', retryable: false },
  GW_SIGNER_MISMATCH: { status: 403, title: 'The signature was made by another participant than the one it must come from', category: 'caller', retryable: false },
  GW_CSR_INVALID: { status: 400, title: 'The certification request cannot be used', category: 'caller', retryable: false },
  GW_CERTIFICATE_NOT_FOUND: { status: 404, title: 'No such certificate visible to the caller', category: 'caller', retryable: false },
  GW_RENEWAL_REFUSED: { status: 409, title: 'A participant renews only the certificate it presents, one renewal at a time', category: 'caller', retryable: false },
  GW_IDENTITY_INSUFFICIENT: { status: 400, title: 'The identity given is not enough to compute a pseudonym', category: 'caller', retryable: false },
  GW_PSEUDONYM_NOT_ISSUED: { status: 404, title: 'The gateway issued no such pseudonym', category: 'caller', retryable: false },
  GW_PSEUDONYM_LINKED_ELSEWHERE: { status: 409, title: 'The issued pseudonym is linked to another identity already', category: 'caller', retryable: false },
  GW_PSEUDONYM_MISMATCH: { status: 422, title: 'The subject\'s pseudonym does not match the identity given', category: 'caller', retryable: false },
  GW_EXEMPTION_NOT_ALLOWED: { status: 403, title: 'The sender\'s kind of participant may not invoke this exemption', category: 'caller', retryable: false },
  GW_LEGAL_BASIS_MISSING: { status: 403, title: 'A recipient is covered by no legal basis', category: 'caller', retryable: false },
  GW_CONSENT_NOT_COVERING: { status: 403, title: 'The consent named does not cover a recipient', category: 'caller', retryable: false },
  GW_LEGAL_BASIS_INSUFFICIENT: { status: 403, title: 'A recipient\'s legal basis leaves out data this message cannot do without', category: 'caller', retryable: false },
  GW_CONSENT_NOT_FOUND: { status: 404, title: 'No such consent visible to the caller', category: 'caller', retryable: false },
  GW_CONSENT_WITHDRAWN: { status: 409, title: 'The consent is withdrawn already', category: 'caller', retryable: false },
  GW_WITHDRAWAL_CODE_UNKNOWN: { status: 404, title: 'No consent receipt carries this withdrawal code', category: 'caller', retryable: false },
  GW_AUDIT_ENTRY_UNKNOWN: { status: 404, title: 'No such audit entry visible to the caller', category: 'caller', retryable: false },
  GW_AUDIT_CHECKPOINT_UNKNOWN: { status: 404, title: 'No audit checkpoint has this tree size', category: 'caller', retryable: false },
  GW_AUDIT_NOT_YET_LOGGED: { status: 409, title: 'Not yet in the audit log\'s tree or latest checkpoint', category: 'caller', retryable: true },
  GW_LEGAL_HOLD_EXISTS: { status: 409, title: 'The case thread is on legal hold already', category: 'caller', retryable: false },
  GW_LEGAL_HOLD_NOT_FOUND: { status: 404, title: 'No such legal hold', category: 'caller', retryable: false },
  GW_LEGAL_HOLD_RELEASED: { status: 409, title: 'The legal hold was released already', category: 'caller', retryable: false },
  GW_CASE_UNKNOWN: { status: 404, title: 'No such case thread visible to the caller', category: 'caller', retryable: false },
  GW_ALERT_NOT_FOUND: { status: 404, title: 'No such alert for the caller', category: 'caller', retryable: false },
  GW_ALERT_ACKNOWLEDGED: { status: 409, title: 'The alert is acknowledged already', category: 'caller', retryable: false },
  GW_STATISTICS_NO_PERIOD: { status: 404, title: 'No month of that year has ended yet', category: 'caller', retryable: false },
  GW_STATISTICS_NOT_READY: { status: 503, title: 'The case projection has not yet read the whole period', category: 'gateway', retryable: true },
  GW_AUDIT_ENTRY_NOT_IN_CHECKPOINT: { status: 409, title: 'The entry was chained after that checkpoint', category: 'caller', retryable: false },
  GW_SENDER_MISMATCH: { status: 403, title: 'The sender is not the participant named by the client certificate', category: 'caller', retryable: false },
  GW_SENDER_MAY_NOT_SEND_TYPE: { status: 403, title: 'The sender may not send this message type', category: 'caller', retryable: false },
  GW_RECIPIENT_SUSPENDED: { status: 422, title: 'A recipient is suspended by an operator', category: 'caller', retryable: false },
  GW_UNKNOWN_RECIPIENT: { status: 422, title: 'A recipient is not a registered participant', category: 'caller', retryable: false },
  GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE: { status: 422, title: 'A recipient does not accept this message type or schema version', category: 'caller', retryable: false },
  GW_SENDER_IS_RECIPIENT: { status: 422, title: 'The sender cannot be one of the recipients', category: 'caller', retryable: false },
  GW_IN_REPLY_TO_UNKNOWN: { status: 422, title: 'inReplyTo names no message the sender sent or received', category: 'caller', retryable: false },
  GW_IDEMPOTENCY_CONFLICT: { status: 409, title: 'This messageId was already used for a different message', category: 'caller', retryable: false },
  GW_EXCHANGE_NOT_FOUND: { status: 404, title: 'No such exchange', category: 'caller', retryable: false },
  GW_PARTICIPANT_NOT_FOUND: { status: 404, title: 'No such participant', category: 'caller', retryable: false },
  GW_INVALID_CURSOR: { status: 400, title: 'The cursor is not one the gateway issued', category: 'caller', retryable: false },
  GW_DELIVERY_NOT_FOUND: { status: 404, title: 'No such delivery for this participant', category: 'caller', retryable: false },
  GW_DELIVERY_NOT_DELIVERED: { status: 409, title: 'The delivery has not been handed to its recipient', category: 'caller', retryable: true },
  GW_DELIVERY_NOT_PULL: { status: 409, title: 'The delivery is pushed to the recipient, not fetched from the inbox', category: 'caller', retryable: false },
  GW_RECEIPT_DIGEST_MISMATCH: { status: 422, title: 'The receipt names another envelope digest than the one delivered', category: 'caller', retryable: false },
  GW_WEBHOOK_LIMIT: { status: 409, title: 'The participant has as many webhooks as allowed', category: 'caller', retryable: false },
  GW_WEBHOOK_NOT_FOUND: { status: 404, title: 'No such webhook', category: 'caller', retryable: false },
  GW_REVIEW_NOT_FOUND: { status: 404, title: 'No such exemption review', category: 'caller', retryable: false },
  GW_REVIEW_CLOSED: { status: 409, title: 'The exemption review is closed already', category: 'caller', retryable: false },
  GW_ROLE_REQUIRED: { status: 403, title: 'This route needs an administrator certificate with another role', category: 'caller', retryable: false },
  GW_PEER_ROUTES_ONLY: { status: 403, title: 'Peer gateways call the /v1/peer routes, and only they do', category: 'caller', retryable: false },
  GW_PEER_NOT_AUTHORISED: { status: 403, title: 'The peer gateway does not speak for this participant', category: 'caller', retryable: false },
  GW_STORE_UNAVAILABLE: { status: 503, title: 'The gateway store is unavailable', category: 'gateway', retryable: true },
  GW_NOT_READY: { status: 503, title: 'The gateway is not ready to take requests', category: 'gateway', retryable: true },
  GW_INTERNAL: { status: 500, title: 'The gateway failed to handle the request', category: 'gateway', retryable: true },
} as const satisfies Record<ErrorCode, ErrorDefinition>;

/** Problem-type URIs are `PROBLEM_BASE` + code; documented in `docs/api.md`. */
export const PROBLEM_BASE = 'https://referral-gateway.example/problems/';

/** Extra members for a problem document. */
export interface GatewayErrorOptions {
  /** Human-readable, request-specific; must not contain personal data (it is logged). */
  detail?: string;
  violations?: Violation[];
  /** HTTP headers to send with the problem (e.g. `Allow`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** A failure with a registry code; the one error type routes throw. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly definition: ErrorDefinition;
  readonly violations: Violation[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const definition = ERRORS[code];
    super(options.detail ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.definition = definition;
    this.violations = options.violations;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return this.definition.status;
  }
}

/** The problem+json body for an error; `instance` identifies the request (and its log line). */
export function toProblem(error: GatewayError, instance: string): Problem {
  return {
    type: `${PROBLEM_BASE}${error.code}`,
    title: error.definition.title,
    status: error.definition.status,
    code: error.code,
    detail: error.message,
    instance,
    retryable: error.definition.retryable,
    ...(error.violations ? { violations: error.violations } : {}),
  };
}
