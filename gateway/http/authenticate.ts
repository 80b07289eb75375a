/** Who is calling: read from the mutual-TLS client certificate of the connection. */
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { normalizeSerial, readIdentity } from '../../certs/index.ts';
import type { Caller } from '../access/caller.ts';
import type { ErrorCode } from '../../schemas/index.ts';
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

/** The verdict on a client certificate: a caller of this gateway's CA, a peer gateway, or refused with the reason. */
export type CertificateVerdict =
  | { ok: true; caller: Caller; serial: string; peer?: undefined }
  | { ok: true; peer: Peer; caller?: undefined }
  | { ok: false; code: ErrorCode; detail: string };

/** Checks the client certificate of a TLS connection, for every listener the gateway runs (see {@link createCertificateCheck}). */
export type CertificateCheck = (socket: TLSSocket) => CertificateVerdict;

/**
 * The one check of a client certificate, for the API, the peer routes and every adapter
 * intake: the TLS layer asked for a certificate but let every connection in (so that a
 * refused caller is told why instead of failing the handshake); here its verdict on chain
 * and validity is read, the issuer and key usage checked, and the certificate looked up in
 * the revocation list — on every request, not once per connection, so a revocation stops a
 * kept-alive connection too — and its identity in the participant registry.
 */
export function createCertificateCheck(registry: ParticipantRegistry, ca: X509Certificate, isRevoked: (serial: string) => boolean, peers: Peers): CertificateCheck {
  /**
   * What cannot change while a connection lasts — its certificate, whether this CA issued
   * it, its serial, identity and end of validity — read and verified once per connection
   * (parsing and an RSA verification cost more than the rest of the check); revocation,
   * expiry, the registry and suspension are looked at on every request.
   */
  const read = new WeakMap<TLSSocket, Connection>();
  const readConnection = (socket: TLSSocket): Connection => {
    const known = read.get(socket);
    if (known) return known;
    const certificate = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
    const connection: Connection = !certificate
      ? { certificate }
      : { certificate, ours: certificate.checkIssued(ca) && certificate.verify(ca.publicKey), serial: normalizeSerial(certificate.serialNumber), identity: readIdentity(certificate), validTo: Date.parse(certificate.validTo) };
    read.set(socket, connection);
    return connection;
  };
  return (socket) => {
    const { certificate, ours, serial, identity, validTo } = readConnection(socket);
    if (!certificate) return { ok: false, code: 'GW_CLIENT_CERT_MISSING', detail: 'Connect with the client certificate the gateway CA issued to your system.' };
    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'UNKNOWN');
      // OpenSSL checks the purpose before trust, so a stranger's CA certificate is "wrong usage" to it; to us it is untrusted.
      return { ok: false, code: (ours && VERIFY_ERRORS[reason]) || 'GW_CLIENT_CERT_UNTRUSTED', detail: `Certificate verification failed: ${reason}.` };
    }
    // Participants and administrators hold certificates of this gateway's CA. A peer CA is
    // trusted for its own gateway's certificate only.
    if (!ours) {
      const peer = peers.ofCertificate(certificate);
      return peer ? { ok: true, peer } : { ok: false, code: 'GW_CLIENT_CERT_UNTRUSTED', detail: 'The certificate was not issued by this gateway\'s CA, nor is it a peer gateway\'s own.' };
    }
    // A connection kept open past the certificate's end is refused from then on.
    if (Date.now() > validTo!) return { ok: false, code: 'GW_CLIENT_CERT_EXPIRED', detail: 'Certificate verification failed: CERT_HAS_EXPIRED.' };
    if (isRevoked(serial!)) return { ok: false, code: 'GW_CLIENT_CERT_REVOKED', detail: `Certificate ${serial} is revoked; ask the certificate officer for a new one.` };
    if (!identity || (identity.kind === 'participant' && !registry.get(identity.participantId))) {
      return {
        ok: false, code: 'GW_CLIENT_CERT_UNKNOWN_PARTICIPANT',
        detail: identity?.kind === 'participant' ? `${identity.participantId} is not a registered participant.` : 'The certificate names no participant or administrator.',
      };
    }
    if (identity.kind === 'participant' && registry.isSuspended(identity.participantId)) {
      return { ok: false, code: 'GW_PARTICIPANT_SUSPENDED', detail: `${identity.participantId} is suspended by an operator; nothing is sent or received for it until it is reinstated.` };
    }
    return { ok: true, caller: identity, serial: serial! };
  };
}

/** A connection's client certificate as read once (see {@link createCertificateCheck}). */
interface Connection {
  certificate: X509Certificate | undefined;
  ours?: boolean;
  serial?: string;
  identity?: Caller;
  validTo?: number;
}

/** Middleware for `/v1`: enforces {@link createCertificateCheck}'s verdict; a peer gateway's certificate opens the peer routes only. */
export function authenticate(check: CertificateCheck) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const verdict = check(req.socket as TLSSocket);
    if (!verdict.ok) throw new GatewayError(verdict.code, { detail: verdict.detail });
    if (verdict.peer) {
      if (!req.path.startsWith('/peer/')) throw new GatewayError('GW_PEER_ROUTES_ONLY', { detail: `Peer gateway ${verdict.peer.name} may call the /v1/peer routes only.` });
      res.locals.peer = verdict.peer;
    } else {
      res.locals.caller = verdict.caller;
      res.locals.serial = verdict.serial;
    }
    next();
  };
}

/** The peer gateway `authenticate` recorded, on the peer routes; anyone else is refused there. */
export function peerOf(res: Response): Peer {
  const peer = res.locals.peer as Peer | undefined;
  if (!peer) throw new GatewayError('GW_PEER_ROUTES_ONLY', { detail: 'Only a peer gateway, with its own gateway certificate, may call this route.' });
  return peer;
}

/** The serial of the certificate the caller presented on this request. */
export function presentedSerial(res: Response): string {
  const serial = res.locals.serial as string | undefined;
  if (!serial) throw new GatewayError('GW_INTERNAL', { detail: 'Route reached without authentication.' });
  return serial;
}

/** The caller `authenticate` recorded. */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new GatewayError('GW_INTERNAL', { detail: 'Route reached without authentication.' });
  return caller;
}
