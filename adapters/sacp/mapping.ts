/**
 * The State Agency for Child Protection's REST format: a *notification* about a child, in
 * the agency's child-centred terms — the child (identity and age together), the guardian
 * and the child protection department beside it, the risk assessment as the
 * best-interests assessment — with its own codes for notification types and guardianship.
 */
import type { MessageType } from '../../schemas/index.ts';
import { createDialect } from '../shared/dialect.ts';
import { asStandardMessage, parseJson } from '../shared/standard.ts';
import { MappingError, type Mapping } from '../types.ts';

export const JSON_TYPE = 'application/json';

const NOTIFICATION_TYPES: Record<MessageType, string> = {
  alert: 'SIGNAL',
  referral: 'REFERRAL',
  'referral-response': 'REFERRAL_ANSWER',
  'case-transfer': 'CASE_TRANSFER',
  'case-update': 'CASE_PROGRESS',
};
const TYPES = new Map(Object.entries(NOTIFICATION_TYPES).map(([type, native]) => [native, type as MessageType]));

export const dialect = createDialect({
  paths: [
    ['messageId', 'notificationId'],
    ['correlationId', 'caseRef'],
    ['createdAt', 'issuedAt'],
    ['recipients', 'addressees'],
    ['inReplyTo', 'replyTo'],
    ['payload', 'details'],
    // The child: who they are and how old, in one place.
    ['payload.subject', 'child'],
    ['payload.subject.identity', 'child.identity'],
    ['payload.subject.identity.givenName', 'child.firstName'],
    ['payload.subject.identity.familyName', 'child.lastName'],
    ['payload.subject.identity.dateOfBirth', 'child.birthDate'],
    ['payload.subject.identity.sex', 'child.sex'],
    ['payload.subject.child.age', 'child.age'],
    ['payload.subject.child.ageUncertain', 'child.ageUncertain'],
    ['payload.subject.child.estimatedAge', 'child.estimatedAge'],
    ['payload.subject.child.unaccompanied', 'child.unaccompanied'],
    // Guardian and department stand beside the child, not inside.
    ['payload.subject.child.guardian', 'guardian'],
    ['payload.subject.child.guardian.organisation', 'childProtectionDepartment'],
    ['payload.riskAssessment', 'bestInterestsAssessment'],
    ['payload.riskAssessment.level', 'bestInterestsAssessment.riskLevel'],
    ['payload.riskAssessment.factors', 'bestInterestsAssessment.concerns'],
    ['payload.immediateNeeds', 'details.needs'],
    ['payload.requestedServices', 'details.requestedSupport'],
  ],
  codes: {
    'payload.subject.child.guardian.status': { appointed: 'APPOINTED', 'not-yet-appointed': 'PENDING_APPOINTMENT', parent: 'PARENT' },
  },
});

export const mapping: Mapping = {
  toNative(envelope, transmission) {
    const { id: _id, type, sender: _sender, ...standard } = envelope;
    const native = dialect.toNative(standard) as Record<string, unknown>;
    return {
      contentType: JSON_TYPE,
      body: JSON.stringify({ notificationType: NOTIFICATION_TYPES[type], ...native, callback: { deliveryRef: transmission.deliveryId, envelopeDigest: transmission.envelopeDigest } }),
    };
  },
  fromNative(native, sender) {
    const value = parseJson(native.body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MappingError('The notification must be a JSON object', { code: 'NATIVE_INVALID', path: '/' });
    const { notificationType, callback: _callback, ...rest } = value as Record<string, unknown>;
    const type = typeof notificationType === 'string' ? TYPES.get(notificationType) : undefined;
    if (!type) throw new MappingError('notificationType is missing or not one the gateway carries', { code: 'UNSUPPORTED_TYPE', path: '/notificationType' });
    const standard = dialect.toStandard(rest) as Record<string, unknown>;
    return asStandardMessage({ ...standard, type, sender }, dialect.nativePointer);
  },
};
