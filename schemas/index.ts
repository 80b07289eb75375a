/** The contract in code: generated types, validators, the data-category map, canonical JSON, the audit log's tree. */
import type { components } from './generated/openapi.ts';

export { loadContract, listOperations, CONTRACT_PATH } from './contract.ts';
export type { Contract, OpenApiDocument, OpenApiOperation, SchemaNode } from './contract.ts';
export { createValidators, sharedContract } from './validators.ts';
export type { Check, Validators, Violation } from './validators.ts';
export { buildCategoryMaps, categoriesPresent, DATA_CATEGORIES, fieldPresent, projectEnvelope } from './data-categories.ts';
export type { CategoryMap, CategorisedField, DataCategory, Projection } from './data-categories.ts';
export { canonicalize, canonicalDigest, textDigest } from './canonical-json.ts';
export { isUuid } from './ids.ts';
export { CHAIN_START, chainHash, entryBytes, entryLeafHash } from './audit-entry.ts';
export type { LoggedEntry } from './audit-entry.ts';
export {
  completedBy, consistencyRanges, coverOf, foldCover, inclusionRanges, leafHash, nodeHash, nodesFor, rangeHashes, rootOf, verifyConsistency, verifyInclusion,
} from './merkle.ts';
export type { NodeId, Range } from './merkle.ts';
export type { components, paths, operations } from './generated/openapi.ts';

type Schemas = components['schemas'];
/** A submission to `POST /v1/exchanges`, one of the five message types. */
export type NewExchange = Schemas['Message'];
/** An accepted message as delivered: the submission plus the gateway's `id`. */
export type Envelope = Schemas['Message'] & { id: string };
export type MessageType = Schemas['MessageType'];
export type ParticipantId = Schemas['ParticipantId'];
export type ParticipantKind = Schemas['ParticipantKind'];
export type Participant = Schemas['Participant'];
export type DeliveryStatus = Schemas['DeliveryStatus'];
export type Delivery = Schemas['Delivery'];
export type Exchange = Schemas['Exchange'];
export type ExchangePage = Schemas['ExchangePage'];
export type Acceptance = Schemas['Acceptance'];
export type Problem = Schemas['Problem'];
export type ErrorCode = Schemas['ErrorCode'];
export type LegalBasis = Schemas['LegalBasis'];
export type StatusEvent = Schemas['StatusEvent'];
export type CertificateRequest = Schemas['CertificateRequest'];
export type CertificateView = Schemas['Certificate'];
export type SignedReceipt = Schemas['SignedReceipt'];
export type AcceptanceStatement = Schemas['AcceptanceStatement'];
export type Consent = Schemas['Consent'];
export type ConsentRequest = Schemas['ConsentRequest'];
export type ConsentScope = Schemas['ConsentScope'];
export type ConsentGiver = Schemas['ConsentGiver'];
export type ConsentEvidence = Schemas['ConsentEvidence'];
export type ConsentReceiptDocument = Schemas['ConsentReceiptDocument'];
export type Identity = Schemas['Identity'];
export type Receipt = Schemas['Receipt'];
export type InboxItem = Schemas['InboxItem'];
export type PeerSubmission = Schemas['PeerSubmission'];
export type Webhook = Schemas['Webhook'];
export type DeadLetter = Schemas['DeadLetter'];
export type ExemptionReview = Schemas['ExemptionReview'];
export type PseudonymLink = Schemas['PseudonymLink'];
export type ParticipantRecord = Schemas['ParticipantRecord'];
export type DeliverySettings = Schemas['DeliverySettings'];
export type Overview = Schemas['Overview'];
export type ConsentWithdrawnByCode = Schemas['ConsentWithdrawnByCode'];
export type Me = Schemas['Me'];
