/** Who is calling: read from the mutual-TLS client certificate of the connection. */
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { normalizeSerial, readIdentity } from '../../certs/index.ts';
import type { Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { Peer, Peers } from '../federation/peers.ts';

export type { Caller } from '../access/caller.ts';

/** OpenSSL verification results that get their own code; every other failure is "untrusted". */
const VERIFY_ERRORS: Record<string, 'GW_CLIENT_CERT_EXPIRED' | 'GW_CLIENT_CERT_NOT_YET_VALID' | 'GW_CLIENT_CERT_WRONG_USAGE'> = {
  CERT_HAS_EXPIRED: 'GW_CLIENT_CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'GW_CLIENT_CERT_NOT_YET_VALID',
  INVALID_PURPOSE: 'GW_CLIENT_CERT_WRONG_USAGE',
};

/**
 * Middleware for `/v1`: the TLS layer asked for a certificate but let every connection in,
 * so that a refused caller gets a problem document saying why instead of a bare
 * handshake failure. Here the verdict is read and enforced, and the certificate is
 * checked against the revocation list on every request (not once per connection), so a
 * revocation stops a kept-alive connection too.
 */
export function authenticate(registry: ParticipantRegistry, ca: X509Certificate, isRevoked: (serial: string) => boolean, peers: Peers) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const socket = req.socket as TLSSocket;
    const certificate = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
    if (!certificate) throw new GatewayError('GW_CLIENT_CERT_MISSING', { detail: 'Connect with the client certificate the gateway CA issued to your system.' });
    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'UNKNOWN');
      // OpenSSL checks the purpose before trust, so a stranger's CA certificate is "wrong usage" to it; to us it is untrusted.
      const ours = certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
      throw new GatewayError((ours && VERIFY_ERRORS[reason]) || 'GW_CLIENT_CERT_UNTRUSTED', { detail: `Certificate verification failed: ${reason}.` });
    }
    // Participants and administrators hold certificates of this gateway's CA. A peer CA is
    // trusted for its own gateway's certificate, and that opens the peer routes only.
    if (!(certificate.checkIssued(ca) && certificate.verify(ca.publicKey))) {
      const peer = peers.ofCertificate(certificate);
      if (!peer) throw new GatewayError('GW_CLIENT_CERT_UNTRUSTED', { detail: 'The certificate was not issued by this gateway\'s CA, nor is it a peer gateway\'s own.' });
      if (!req.path.startsWith('/peer/')) {
        throw new GatewayError('GW_PEER_ROUTES_ONLY', { detail: `Peer gateway ${peer.name} may call the /v1/peer routes only.` });
      }
      res.locals.peer = peer;
      next();
      return;
    }
    if (isRevoked(normalizeSerial(certificate.serialNumber))) {
      throw new GatewayError('GW_CLIENT_CERT_REVOKED', { detail: `Certificate ${normalizeSerial(certificate.serialNumber)} is revoked; ask the certificate officer for a new one.` });
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

/** The peer gateway `authenticate` recorded, on the peer routes; anyone else is refused there. */
export function peerOf(res: Response): Peer {
  const peer = res.locals.peer as Peer | undefined;
  if (!peer) throw new GatewayError('GW_PEER_ROUTES_ONLY', { detail: 'Only a peer gateway, with its own gateway certificate, may call this route.' });
  return peer;
}

/** The caller `authenticate` recorded. */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new GatewayError('GW_INTERNAL', { detail: 'Route reached without authentication.' });
  return caller;
}
