/** Who is calling and what their roles allow: domain types, read from the client certificate by the HTTP layer. */
import type { AdminRole, CertificateIdentity } from '../../certs/index.ts';
import { GatewayError } from '../errors.ts';

/** The authenticated caller of a request: a participant system (or its adapter), or an administrator. */
export type Caller = CertificateIdentity;

/** True when `caller` is an administrator holding one of `roles`. */
export function hasRole(caller: Caller, ...roles: AdminRole[]): boolean {
  return caller.kind === 'administrator' && roles.some((role) => caller.roles.includes(role));
}

/** Refuses (`GW_ROLE_REQUIRED`) a caller that is not an administrator holding one of `roles`. */
export function requireRole(caller: Caller, ...roles: AdminRole[]): void {
  if (!hasRole(caller, ...roles)) {
    throw new GatewayError('GW_ROLE_REQUIRED', { detail: `This needs an administrator certificate with the ${roles.join(' or ')} role.` });
  }
}

/** A short label for logs and the audit trail: `participant:BG-MOI`, `adapter:moi@BG-MOI` or `admin:gateway-admin`. */
export function callerLabel(caller: Caller): string {
  if (caller.kind === 'administrator') return `admin:${caller.name}`;
  return caller.adapter ? `adapter:${caller.adapter}@${caller.participantId}` : `participant:${caller.participantId}`;
}
