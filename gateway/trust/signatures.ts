/** Participants' signatures as the gateway checks them: each refusal becomes a problem with its own code. */
import { readGatewayName, SignatureError, type JwsVerifier, type SignatureFailure, type VerifiedJws } from '../../certs/index.ts';
import type { ErrorCode } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';

const CODES: Record<SignatureFailure, ErrorCode> = {
  malformed: 'GW_SIGNATURE_INVALID',
  'bad-signature': 'GW_SIGNATURE_INVALID',
  untrusted: 'GW_SIGNER_CERT_UNTRUSTED',
  expired: 'GW_SIGNER_CERT_EXPIRED',
  'not-yet-valid': 'GW_SIGNER_CERT_NOT_YET_VALID',
  revoked: 'GW_SIGNER_CERT_REVOKED',
  'wrong-usage': 'GW_SIGNER_CERT_WRONG_USAGE',
};

/** What the signature must be and where it was found (for the violation's pointer). */
export interface SignatureCheck {
  jws: string;
  detachedPayload?: string;
  /** The participant whose certificate must have made the signature. */
  participant: string;
  /** JSON pointer, or `#/header/<name>`, of the signature in the request. */
  pointer: string;
}

/**
 * Verifies a participant's signature: chain to the gateway CA, validity, revocation, key
 * usage, and that the certificate names `participant` (an adapter acting for it counts).
 */
export function verifyParticipantSignature(verifier: JwsVerifier, check: SignatureCheck): VerifiedJws {
  let verified: VerifiedJws;
  try {
    verified = verifier.verify(check.jws, check.detachedPayload === undefined ? {} : { detachedPayload: check.detachedPayload });
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    throw new GatewayError(CODES[error.failure], { detail: error.message, violations: [{ pointer: check.pointer, message: error.message, keyword: 'signature' }] });
  }
  const signer = verified.identity;
  if (signer?.kind !== 'participant' || signer.participantId !== check.participant) {
    const named = signer?.kind === 'participant' ? signer.participantId : signer?.kind === 'administrator' ? `administrator ${signer.name}` : 'nobody';
    throw new GatewayError('GW_SIGNER_MISMATCH', {
      detail: `Signed by a certificate naming ${named}; it must be ${check.participant}'s.`,
      violations: [{ pointer: check.pointer, message: `must be signed with ${check.participant}'s certificate`, keyword: 'signature' }],
    });
  }
  return verified;
}

/**
 * Verifies what a peer gateway signed (its seal over a relayed envelope, its receipts):
 * chain to that peer's CA, validity, key usage, and a certificate naming that peer's gateway.
 */
export function verifyPeerSignature(peer: { name: string; verifier: JwsVerifier }, check: Omit<SignatureCheck, 'participant'>): VerifiedJws {
  let verified: VerifiedJws;
  try {
    verified = peer.verifier.verify(check.jws, check.detachedPayload === undefined ? {} : { detachedPayload: check.detachedPayload });
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    throw new GatewayError(CODES[error.failure], { detail: `${error.message} (peer ${peer.name})`, violations: [{ pointer: check.pointer, message: error.message, keyword: 'signature' }] });
  }
  if (readGatewayName(verified.signer) !== peer.name) {
    throw new GatewayError('GW_SIGNER_MISMATCH', {
      detail: `Signed by a certificate that is not peer gateway ${peer.name}'s.`,
      violations: [{ pointer: check.pointer, message: `must be signed by peer gateway ${peer.name}`, keyword: 'signature' }],
    });
  }
  return verified;
}
