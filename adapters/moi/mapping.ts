/**
 * The Ministry of Interior's XML format (namespace `urn:bg:mvr:nrm:1`): one root element per
 * message type, flat documents in the ministry's own element names, and its code lists for
 * victim status, detection channel, forms of exploitation (by Criminal Code article) and
 * purpose. Lists are wrapped (`<Addressees><Addressee>…`). Fields the table does not rename
 * follow the PascalCase rule, so the whole standard travels both ways.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MessageType } from '../../schemas/index.ts';
import { createDialect, PASCAL_CASE } from '../shared/dialect.ts';
import { asStandardMessage, standardLeafTypes } from '../shared/standard.ts';
import { MappingError, type Mapping, type Transmission } from '../types.ts';

export const MOI_NAMESPACE = 'urn:bg:mvr:nrm:1';
export const XML = 'application/xml';

/** Root element ↔ message type. */
const ROOTS: Record<MessageType, string> = {
  alert: 'Signal',
  referral: 'Referral',
  'referral-response': 'ReferralResponse',
  'case-transfer': 'CaseTransfer',
  'case-update': 'CaseUpdate',
};
const TYPES = new Map(Object.entries(ROOTS).map(([type, root]) => [root, type as MessageType]));

export const dialect = createDialect({
  paths: [
    ['messageId', 'DocumentNumber'],
    ['correlationId', 'CaseNumber'],
    ['createdAt', 'RegisteredAt'],
    ['inReplyTo', 'InReplyTo'],
    ['recipients', 'Addressees'],
    ['purpose', 'Purpose'],
    ['legalBasis', 'LegalGround'],
    ['recipientLegalBasis', 'LegalGroundByAddressee'],
    // The payload's fields sit at the top of the document, beside the header's.
    ['payload', ''],
    ['payload.subject', 'Person'],
    ['payload.subject.identity', 'Person.PersonalData'],
    ['payload.subject.identity.givenName', 'Person.PersonalData.FirstName'],
    ['payload.subject.identity.familyName', 'Person.PersonalData.Surname'],
    ['payload.subject.identity.dateOfBirth', 'Person.PersonalData.BirthDate'],
    ['payload.identificationStatus', 'VictimStatus'],
    ['payload.source', 'DetectionChannel'],
    ['payload.immediateNeeds', 'Needs'],
    ['payload.immediateNeeds.*.need', 'Needs.*.Kind'],
  ],
  names: PASCAL_CASE,
  dataKeys: ['recipientLegalBasis'],
  codes: {
    purpose: {
      'protection-and-assistance': 'ZASHTITA', reintegration: 'REINTEGRATSIYA', 'safe-return': 'BEZOPASNO_ZAVRASHTANE',
      'criminal-proceedings': 'NAKAZATELNO_PROIZVODSTVO', compensation: 'OBEZSHTETENIE', coordination: 'KOORDINATSIYA', statistics: 'STATISTIKA',
    },
    'payload.identificationStatus': { presumed: 'PREDPOLAGAEMA', identified: 'IDENTIFITSIRANA', 'not-a-victim': 'NE_E_ZHERTVA' },
    'payload.source': {
      'police-operation': 'POLITSEYSKA_AKTSIYA', 'border-check': 'GRANICHNA_PROVERKA', 'ngo-outreach': 'NPO', hotline: 'GORESHTA_LINIYA',
      'self-report': 'SAMOSIGNAL', 'labour-inspection': 'IA_GIT', 'health-service': 'ZDRAVNI_ORGANI', school: 'UCHILISHTE',
      'foreign-authority': 'CHUZHDESTRANEN_ORGAN', other: 'DRUGO',
    },
    'payload.exploitation.forms.*': {
      sexual: 'NK159A-SEKSUALNA', labour: 'NK159A-TRUD', begging: 'NK159A-PROSIA', 'criminal-activities': 'NK159A-PRESTAPNA',
      'forced-marriage': 'NK159A-BRAK', 'organ-removal': 'NK159A-ORGANI', 'sale-of-child': 'NK182B-DETE',
      'domestic-servitude': 'NK159A-DOMASHNA', other: 'DRUGA',
    },
  },
});

/** Item element of each list; lists not named here use `<Item>`. */
const ITEMS: Record<string, string> = {
  Addressees: 'Addressee', Needs: 'Need', Forms: 'Form', Citizenship: 'Country', CountriesOfTransit: 'Country',
  Languages: 'Language', Factors: 'Factor', RequestedServices: 'Service', MeasuresTaken: 'Measure', Measures: 'Measure',
};

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false,
  trimValues: true, processEntities: true,
  // An item is an element named as its list's item (`Needs` → `Need`), or `Item`; prefixes aside.
  isArray: (name, path) => {
    const local = (n: string) => n.slice(n.indexOf(':') + 1);
    return local(name) === 'Item' || ITEMS[local(String(path).split('.').at(-2) ?? '')] === local(name);
  },
});

/** Standard → MoI XML. The transmission (delivery id and envelope digest) rides along for the ministry's acknowledgement. */
export function writeDocument(root: string, content: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: { '@xmlns': MOI_NAMESPACE, ...content } }) as string}`;
}

/** A well-formed MoI document, or a MappingError: its root element name and content. */
export function readDocument(body: string): { root: string; content: Record<string, unknown> } {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new MappingError(`The document is not well-formed XML (line ${valid.err.line})`, { code: 'NATIVE_MALFORMED' });
  // The ministry's documents have no DTD: refusing it refuses every entity trick with it.
  if (/<!DOCTYPE/i.test(body)) throw new MappingError('The document may not have a DOCTYPE (DTDs and entities are not accepted)', { code: 'NATIVE_MALFORMED' });
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body) as Record<string, unknown>;
  } catch {
    // Nesting too deep, element names like __proto__: the parser's refusals, answered as the sender's fault, for good.
    throw new MappingError('The document cannot be read: it nests too deeply or uses reserved element names', { code: 'NATIVE_MALFORMED' });
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?'));
  if (roots.length !== 1) throw new MappingError('The document must have one root element', { code: 'NATIVE_MALFORMED' });
  const qualified = roots[0]!;
  const content = parsed[qualified];
  // The ministry's namespace, as the default namespace or under any prefix the root declares.
  const prefix = qualified.includes(':') ? qualified.slice(0, qualified.indexOf(':')) : '';
  const root = qualified.slice(prefix ? prefix.length + 1 : 0);
  if (content === null || typeof content !== 'object' || (content as Record<string, unknown>)[prefix ? `@xmlns:${prefix}` : '@xmlns'] !== MOI_NAMESPACE) {
    throw new MappingError(`The root element must be in the namespace ${MOI_NAMESPACE}`, { code: 'NATIVE_INVALID', path: `/${root}` });
  }
  return { root, content: localNames(content, prefix) as Record<string, unknown> };
}

/** Element names without the ministry's prefix, namespace declarations dropped; an element in another namespace is refused. */
function localNames(node: unknown, prefix: string): unknown {
  if (Array.isArray(node)) return node.map((n) => localNames(n, prefix));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === '@xmlns' || name.startsWith('@xmlns:')) continue;
    let local = name;
    if (prefix && !name.startsWith('@') && name !== '#text') {
      if (!name.startsWith(`${prefix}:`)) throw new MappingError(`Element ${name} is not in the ministry's namespace`, { code: 'NATIVE_INVALID' });
      local = name.slice(prefix.length + 1);
    } else if (!prefix && name.includes(':')) {
      throw new MappingError(`Element ${name} is not in the ministry's namespace`, { code: 'NATIVE_INVALID' });
    }
    out[local] = localNames(value, prefix);
  }
  return out;
}

export const mapping: Mapping = {
  toNative(envelope, transmission: Transmission) {
    const { id: _id, type, sender: _sender, schemaVersion, ...standard } = envelope;
    const content = wrapLists(dialect.toNative(standard)) as Record<string, unknown>;
    return {
      contentType: XML,
      body: writeDocument(ROOTS[type], {
        '@schemaVersion': schemaVersion,
        Transmission: { DeliveryId: transmission.deliveryId, EnvelopeDigest: transmission.envelopeDigest },
        ...content,
      }),
    };
  },
  fromNative(document, sender) {
    const { root, content } = readDocument(document.body);
    const type = TYPES.get(root);
    if (!type) throw new MappingError(`${root} is not a message the gateway carries`, { code: 'UNSUPPORTED_TYPE', path: `/${root}` });
    const { '@schemaVersion': schemaVersion, Transmission: _transmission, ...rest } = content;
    const standard = dialect.toStandard(unwrapLists(rest, root), standardLeafTypes()) as Record<string, unknown>;
    return asStandardMessage({ type, schemaVersion, sender, ...standard }, (pointer) => `/${root}${dialect.nativePointer(pointer)}`);
  },
};

/** Arrays → `{ Item: [...] }` under their list element. */
function wrapLists(node: unknown, name = ''): unknown {
  if (Array.isArray(node)) return { [ITEMS[name] ?? 'Item']: node.map((item) => wrapLists(item)) };
  if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, wrapLists(v, k)]));
  return node;
}

/** `{ Item: [...] }` under list element `name` → an array; attributes other than the root's are not part of the format. */
function unwrapLists(node: unknown, name: string): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => unwrapLists(item, ''));
  const entries = Object.entries(node);
  for (const [key] of entries) {
    if (key.startsWith('@')) throw new MappingError(`Attribute ${key.slice(1)} is not part of the format`, { code: 'NATIVE_INVALID' });
  }
  const [only] = entries;
  if (entries.length === 1 && (only![0] === 'Item' || only![0] === ITEMS[name]) && Array.isArray(only![1])) return unwrapLists(only![1], '');
  return Object.fromEntries(entries.map(([k, v]) => [k, unwrapLists(v, k)]));
}
