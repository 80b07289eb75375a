/**
 * NGO webhooks carry the standard envelope itself (NGO case systems are small and read the
 * contract's JSON directly), as its canonical JSON, wrapped with what the NGO needs to
 * confirm it and to check it: `{ "event": "message", "deliveryId", "envelopeDigest",
 * "seal", "message": {…} }` — `envelopeDigest` is the SHA-256 of `message`'s RFC 8785
 * form, `seal` the gateway's detached JWS over it. An NGO sends its own messages as
 * `{ "message": {…} }`, without `sender`.
 */
import { canonicalize } from '../../schemas/index.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping, type Transmission } from '../types.ts';

export const JSON_TYPE = 'application/json';

/** The webhook body around an envelope's canonical JSON (which the core has already made for each delivery). */
export function webhookBody(canonical: string, transmission: Transmission): string {
  const seal = transmission.seal ? `"seal":${JSON.stringify(transmission.seal)},` : '';
  return `{"event":"message","deliveryId":${JSON.stringify(transmission.deliveryId)},"envelopeDigest":${JSON.stringify(transmission.envelopeDigest)},${seal}"message":${canonical}}`;
}

export const mapping: Mapping = {
  toNative: (envelope, transmission) => ({ contentType: JSON_TYPE, body: webhookBody(canonicalize(envelope), transmission) }),
  fromNative(native, sender) {
    const value = parseJson(native.body) as { message?: unknown } | null;
    const message = value !== null && typeof value === 'object' ? value.message : undefined;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw new MappingError('The body needs a "message" object', { code: 'NATIVE_INVALID', path: '/message' });
    }
    // A delivered envelope's `id` is the gateway's, not part of a submission.
    const { sender: stated, id: _id, ...rest } = message as Record<string, unknown>;
    if (stated !== undefined && stated !== sender) throw new MappingError('The message names another sender', { code: 'NATIVE_INVALID', path: '/message/sender' });
    return asStandardMessage({ ...rest, sender }, (pointer) => `/message${pointer}`);
  },
};
