/** The `https-json` mapping: the agency system reads the standard envelope itself, as RFC 8785 canonical JSON. */
import { canonicalize } from '../../schemas/index.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping } from '../types.ts';

export const mapping: Mapping = {
  toNative: (envelope) => ({ contentType: 'application/json', body: canonicalize(envelope) }),
  fromNative(document, sender) {
    const value = parseJson(document.body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MappingError('The document must be a JSON object', { code: 'NATIVE_INVALID', path: '/' });
    }
    // The gateway's id on a delivered envelope is not part of a submission.
    const { id: _id, ...message } = value as Record<string, unknown>;
    if (message.sender !== undefined && message.sender !== sender) {
      throw new MappingError('The document names another sender', { code: 'NATIVE_INVALID', path: '/sender' });
    }
    return asStandardMessage({ ...message, sender });
  },
};
