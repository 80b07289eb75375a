/** The console's one way to the gateway: the typed browser client, on the page's own origin. */
import { createBrowserClient, GatewayProblem, unwrap } from '../../clients/browser.ts';
import type { components } from '../../schemas/generated/openapi.ts';

export const client = createBrowserClient();
export const api = client.api;
export { GatewayProblem, unwrap };

type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type Overview = Schemas['Overview'];
export type Exchange = Schemas['Exchange'];
export type Delivery = Schemas['Delivery'];
export type DeliveryStatus = Schemas['DeliveryStatus'];
export type DeadLetter = Schemas['DeadLetter'];
export type Participant = Schemas['Participant'];
export type ParticipantRecord = Schemas['ParticipantRecord'];
export type ParticipantKind = Schemas['ParticipantKind'];
export type MessageType = Schemas['MessageType'];
export type Certificate = Schemas['Certificate'];
export type CertificateSubjectRequest = Schemas['CertificateSubjectRequest'];
export type RevocationReason = Schemas['RevocationReason'];
export type AdminRole = Schemas['AdminRole'];
export type Consent = Schemas['Consent'];
export type ConsentRequest = Schemas['ConsentRequest'];
export type Identity = Schemas['Identity'];
export type Purpose = Schemas['Purpose'];
export type DataCategory = Schemas['DataCategory'];
export type StatusEvent = Schemas['StatusEvent'];

export const DELIVERY_STATUSES: DeliveryStatus[] = ['accepted', 'queued', 'delivering', 'retrying', 'delivered', 'acknowledged', 'failed', 'withheld', 'expired', 'cancelled'];
export const PARTICIPANT_KINDS: ParticipantKind[] = ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator', 'ngo', 'foreign-partner'];
export const MESSAGE_TYPES: MessageType[] = ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'];
export const ADMIN_ROLES: AdminRole[] = ['certificate-officer', 'consent-officer', 'operator', 'auditor', 'statistician'];
export const REVOCATION_REASONS: RevocationReason[] = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'];
export const PURPOSES: Purpose[] = ['protection-and-assistance', 'reintegration', 'safe-return', 'criminal-proceedings', 'compensation', 'coordination', 'statistics'];
export const DATA_CATEGORIES: DataCategory[] = ['identity', 'contact', 'location', 'health', 'exploitation', 'needs-and-services', 'legal-proceedings', 'family'];
