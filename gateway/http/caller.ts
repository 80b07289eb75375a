/** Who is calling: read from the mutual-TLS client certificate of the connection. */
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { readIdentity, type CertificateIdentity } from '../../certs/index.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participant-registry.ts';

/** The authenticated caller of a `/v1` request. */
export type Caller = CertificateIdentity;

/** OpenSSL verification results that get their own code; every other failure is "untrusted". */
const VERIFY_ERRORS: Record<string, 'GW_CLIENT_CERT_EXPIRED' | 'GW_CLIENT_CERT_NOT_YET_VALID'> = {
  CERT_HAS_EXPIRED: 'GW_CLIENT_CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'GW_CLIENT_CERT_NOT_YET_VALID',
};

/**
 * Middleware for `/v1`: the TLS layer asked for a certificate but let every connection in,
 * so that a refused caller gets a problem document saying why instead of a bare
 * handshake failure. Here the verdict is read and enforced.
 */
export function authenticate(registry: ParticipantRegistry) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const socket = req.socket as TLSSocket;
    const certificate = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
    if (!certificate) throw new GatewayError('GW_CLIENT_CERT_MISSING', { detail: 'Connect with the client certificate the gateway CA issued to your system.' });
    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'UNKNOWN');
      throw new GatewayError(VERIFY_ERRORS[reason] ?? 'GW_CLIENT_CERT_UNTRUSTED', { detail: `Certificate verification failed: ${reason}.` });
    }
    const identity = readIdentity(certificate);
    if (!identity || (identity.kind === 'participant' && !registry.get(identity.participantId))) {
      throw new GatewayError('GW_CLIENT_CERT_UNKNOWN_PARTICIPANT', {
        detail: identity?.kind === 'participant' ? `${identity.participantId} is not a registered participant.` : 'The certificate names no participant or administrator.',
      });
    }
    res.locals.caller = identity;
    next();
  };
}

/** The caller `authenticate` recorded. */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new GatewayError('GW_INTERNAL', { detail: 'Route reached without authentication.' });
  return caller;
}

/** A short label for logs and the audit trail: `participant:BG-MOI` or `admin:gateway-admin`. */
export function callerLabel(caller: Caller): string {
  return caller.kind === 'participant' ? `participant:${caller.participantId}` : `admin:${caller.name}`;
}
