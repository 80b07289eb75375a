/**
 * Peer gateways abroad (TRM). Each peer's CA is trusted explicitly, and only for that
 * peer's own gateway certificates (`urn:nrm:gateway:<name>`): a participant certificate
 * issued by a peer CA opens nothing here, and a peer may speak only for the participants
 * configured as reached through it.
 */
import { X509Certificate } from 'node:crypto';
import { createJwsVerifier, readGatewayName, type JwsVerifier } from '../../certs/index.ts';

/** One peer gateway. */
export interface Peer {
  readonly name: string;
  readonly caPem: string;
  readonly endpoint: string;
  readonly participants: ReadonlySet<string>;
  /** Verifies what the peer signs (its seals and receipts) against its CA. */
  readonly verifier: JwsVerifier;
}

/** The configured peers. */
export interface Peers {
  readonly list: readonly Peer[];
  /** The peer a certificate belongs to: issued by that peer's CA and naming that peer's gateway. */
  ofCertificate(certificate: X509Certificate): Peer | undefined;
  /** The peer through which a participant is reached. */
  reaching(participantId: string): Peer | undefined;
  get(name: string): Peer | undefined;
}

/** Peers from configuration, their CA certificates already read. */
export function createPeers(peers: ReadonlyArray<{ name: string; caPem: string; endpoint: string; participants: readonly string[] }>, clockSkewMs: number): Peers {
  const list: Peer[] = peers.map((p) => ({
    name: p.name, caPem: p.caPem, endpoint: p.endpoint.replace(/\/+$/, ''), participants: new Set(p.participants),
    // A peer's revocations are its own; its CRL is not fetched here (see docs/operations.md).
    verifier: createJwsVerifier({ caPem: p.caPem, isRevoked: () => false, clockSkewMs }),
  }));
  const cas = list.map((peer) => ({ peer, ca: new X509Certificate(peer.caPem) }));
  return {
    list,
    ofCertificate(certificate) {
      const issuer = cas.find(({ ca }) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
      return issuer && readGatewayName(certificate) === issuer.peer.name ? issuer.peer : undefined;
    },
    reaching: (participantId) => list.find((p) => p.participants.has(participantId)),
    get: (name) => list.find((p) => p.name === name),
  };
}
