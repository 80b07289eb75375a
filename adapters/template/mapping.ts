/**
 * Native ↔ standard for this agency system. The native document here is JSON:
 * `{ "documentType": …, "transmission": …, "document": … }`, with the standard fields under
 * `document` renamed by the dialect table. Describe the agency's format in the table —
 * moved or renamed fields (`paths`), a naming rule for the rest (`names`), code lists
 * (`codes`) — and the mapping follows both ways; `../moi/mapping.ts` shows a full one.
 */
import type { MessageType } from '../../schemas/index.ts';
import { createDialect } from '../shared/dialect.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping } from '../types.ts';

export const JSON_TYPE = 'application/json';

/** The agency's name for each message type. */
const DOCUMENT_TYPES: Record<MessageType, string> = {
  alert: 'alert',
  referral: 'referral',
  'referral-response': 'referral-response',
  'case-transfer': 'case-transfer',
  'case-update': 'case-update',
};
const TYPES = new Map(Object.entries(DOCUMENT_TYPES).map(([type, native]) => [native, type as MessageType]));

/** Standard path → the agency's path, e.g. `['payload.subject.identity.givenName', 'person.firstName']`. */
export const dialect = createDialect({ paths: [] });

export const mapping: Mapping = {
  toNative(envelope, transmission) {
    const { id: _id, type, sender: _sender, ...standard } = envelope;
    return {
      contentType: JSON_TYPE,
      body: JSON.stringify({ documentType: DOCUMENT_TYPES[type], transmission, document: dialect.toNative(standard) }),
    };
  },
  fromNative(native, sender) {
    const value = parseJson(native.body) as { documentType?: unknown; document?: unknown } | null;
    if (value === null || typeof value !== 'object' || typeof value.documentType !== 'string' || value.document === null || typeof value.document !== 'object') {
      throw new MappingError('The document needs a documentType and a document object', { code: 'NATIVE_INVALID', path: '/' });
    }
    const type = TYPES.get(value.documentType);
    if (!type) throw new MappingError('documentType is not a message the gateway carries', { code: 'UNSUPPORTED_TYPE', path: '/documentType' });
    const standard = dialect.toStandard(value.document) as Record<string, unknown>;
    return asStandardMessage({ ...standard, type, sender }, (pointer) => `/document${dialect.nativePointer(pointer)}`);
  },
};
