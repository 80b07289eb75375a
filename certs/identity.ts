/** Who a client certificate names: a participant system or an administrator with roles. */
import type { X509Certificate } from 'node:crypto';

const PARTICIPANT_PREFIX = 'urn:nrm:participant:';
const ADMIN_PREFIX = 'urn:nrm:admin:';
const ROLE_PREFIX = 'urn:nrm:role:';
const GATEWAY_PREFIX = 'urn:nrm:gateway:';
const ADAPTER_PREFIX = 'urn:nrm:adapter:';

/** Administrator roles (DESIGN §5); each admin route checks for its role. */
export const ADMIN_ROLES = ['certificate-officer', 'consent-officer', 'operator', 'auditor', 'statistician'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** The identity a certificate carries in its subjectAltName URIs. */
export type CertificateIdentity =
  | { kind: 'participant'; participantId: string; /** Set when an adapter acts for the participant. */ adapter?: string }
  | { kind: 'administrator'; name: string; roles: AdminRole[] };

/** The SAN URI naming a participant system. */
export const participantUri = (participantId: string): string => `${PARTICIPANT_PREFIX}${participantId}`;
/** The SAN URI naming an adapter; its certificate also names the participant it acts for. */
export const adapterUri = (name: string): string => `${ADAPTER_PREFIX}${name}`;
/** The SAN URI naming an administrator. */
export const administratorUri = (name: string): string => `${ADMIN_PREFIX}${name}`;
/** The SAN URI naming a gateway when it calls recipients' endpoints and webhooks. */
export const gatewayUri = (name: string): string => `${GATEWAY_PREFIX}${name}`;
/** The SAN URI granting an administrator role. */
export const roleUri = (role: AdminRole): string => `${ROLE_PREFIX}${role}`;

/**
 * Reads the identity from a certificate's subjectAltName. A certificate that names
 * nothing, or names both a participant and an administrator, or more than one of
 * either, identifies nobody (`undefined`).
 */
export function readIdentity(certificate: X509Certificate): CertificateIdentity | undefined {
  const uris = sanUris(certificate.subjectAltName);
  const participants = uris.filter((u) => u.startsWith(PARTICIPANT_PREFIX)).map((u) => u.slice(PARTICIPANT_PREFIX.length));
  const admins = uris.filter((u) => u.startsWith(ADMIN_PREFIX)).map((u) => u.slice(ADMIN_PREFIX.length));
  if (participants.length + admins.length !== 1) return undefined;
  if (participants.length === 1) {
    const adapters = uris.filter((u) => u.startsWith(ADAPTER_PREFIX)).map((u) => u.slice(ADAPTER_PREFIX.length));
    if (adapters.length > 1) return undefined;
    return { kind: 'participant', participantId: participants[0]!, ...(adapters[0] ? { adapter: adapters[0] } : {}) };
  }
  const roles = uris
    .filter((u) => u.startsWith(ROLE_PREFIX))
    .map((u) => u.slice(ROLE_PREFIX.length))
    .filter((r): r is AdminRole => (ADMIN_ROLES as readonly string[]).includes(r));
  return { kind: 'administrator', name: admins[0]!, roles };
}

/** The gateway a certificate names (its client and seal certificates), if any. */
export function readGatewayName(certificate: X509Certificate): string | undefined {
  return sanUris(certificate.subjectAltName).find((u) => u.startsWith(GATEWAY_PREFIX))?.slice(GATEWAY_PREFIX.length);
}

/** The `URI:` entries of Node's subjectAltName string (`URI:a, DNS:b, …`). */
function sanUris(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(', ')
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice(4));
}
