/**
 * The Social Assistance Agency's batch files: one JSON document per file, in the agency's
 * names (`documentNumber`, `beneficiary`, `socialServices`…) and its code for each document
 * kind. A document the gateway writes carries its transmission (delivery id and digest),
 * which the agency's acknowledgement file repeats.
 */
import type { MessageType } from '../../schemas/index.ts';
import { createDialect } from '../shared/dialect.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping } from '../types.ts';

export const JSON_TYPE = 'application/json';

const DOCUMENT_KINDS: Record<MessageType, string> = {
  alert: 'SIGNAL',
  referral: 'NAPRAVLENIE',
  'referral-response': 'OTGOVOR_NAPRAVLENIE',
  'case-transfer': 'PREDAVANE_SLUCHAY',
  'case-update': 'AKTUALIZATSIYA_SLUCHAY',
};
const TYPES = new Map(Object.entries(DOCUMENT_KINDS).map(([type, kind]) => [kind, type as MessageType]));

export const dialect = createDialect({
  paths: [
    ['messageId', 'documentNumber'],
    ['correlationId', 'caseNumber'],
    ['createdAt', 'documentDate'],
    ['recipients', 'addressees'],
    ['payload', 'content'],
    // The person's identity is the beneficiary record itself; the rest of the subject hangs off it.
    ['payload.subject.identity', 'beneficiary'],
    ['payload.subject.pseudonym', 'beneficiary.gatewayPseudonym'],
    ['payload.subject.contact', 'beneficiary.contactDetails'],
    ['payload.subject.citizenship', 'beneficiary.citizenship'],
    ['payload.subject.languages', 'beneficiary.languages'],
    ['payload.subject.child', 'beneficiary.childInformation'],
    ['payload.requestedServices', 'content.socialServices'],
    ['payload.immediateNeeds', 'content.urgentNeeds'],
  ],
});

export const mapping: Mapping = {
  toNative(envelope, transmission) {
    const { id: _id, type, sender: _sender, ...standard } = envelope;
    const native = dialect.toNative(standard) as Record<string, unknown>;
    return { contentType: JSON_TYPE, body: `${JSON.stringify({ documentKind: DOCUMENT_KINDS[type], transmission, ...native }, null, 2)}\n` };
  },
  fromNative(native, sender) {
    const value = parseJson(native.body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MappingError('The file must hold one JSON object', { code: 'NATIVE_INVALID', path: '/' });
    const { documentKind, transmission: _transmission, ...rest } = value as Record<string, unknown>;
    const type = typeof documentKind === 'string' ? TYPES.get(documentKind) : undefined;
    if (!type) throw new MappingError('documentKind is missing or not one the gateway carries', { code: 'UNSUPPORTED_TYPE', path: '/documentKind' });
    return asStandardMessage({ ...dialect.toStandard(rest) as Record<string, unknown>, type, sender }, dialect.nativePointer);
  },
};

/** A name safe on any file system: letters, digits, `.`, `_`, `-`. */
const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The file name for a delivery: `RG_<sender>_<messageId>.json`. The same message always
 * gets the same name, so a repeated attempt replaces the file instead of adding a second.
 */
export const fileNameFor = (sender: string, messageId: string) => `RG_${safe(sender)}_${safe(messageId)}.json`;
