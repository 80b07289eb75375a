/**
 * Gateway to gateway, the format is the standard itself: the envelope exactly as this
 * gateway sealed it, so the peer computes the same digest and checks the same seal. The
 * native document is the `PeerSubmission` of the contract without its seal and recipient,
 * which the adapter adds from the delivery.
 */
import { canonicalize } from '../../schemas/index.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping } from '../types.ts';

export const JSON_TYPE = 'application/json';

/** The `PeerSubmission` body around an envelope's canonical JSON; `recipient` and `seal` when relaying a delivery. */
export function submissionBody(canonical: string, transmission: { deliveryId: string; recipient?: string; seal?: string }): string {
  const extra = `${transmission.recipient ? `,"recipient":${JSON.stringify(transmission.recipient)}` : ''}${transmission.seal ? `,"seal":${JSON.stringify(transmission.seal)}` : ''}`;
  return `{"deliveryId":${JSON.stringify(transmission.deliveryId)},"envelope":${canonical}${extra}}`;
}

export const mapping: Mapping = {
  toNative: (envelope, transmission) => ({ contentType: JSON_TYPE, body: submissionBody(canonicalize(envelope), { deliveryId: transmission.deliveryId }) }),
  fromNative(document, sender) {
    const value = parseJson(document.body) as { envelope?: unknown } | null;
    const envelope = value !== null && typeof value === 'object' ? value.envelope : undefined;
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
      throw new MappingError('The document needs an "envelope" object', { code: 'NATIVE_INVALID', path: '/envelope' });
    }
    const { id: _id, ...message } = envelope as Record<string, unknown>;
    if (message.sender !== sender) throw new MappingError('The envelope names another sender', { code: 'NATIVE_INVALID', path: '/envelope/sender' });
    return asStandardMessage(message, (pointer) => `/envelope${pointer}`);
  },
};
