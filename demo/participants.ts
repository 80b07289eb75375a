/** The demo participants used on embedded defaults: Bulgaria's NRM agencies, one NGO, one partner abroad; and the demo consent. */
import type { ConsentRequest, Participant } from '../schemas/index.ts';
import type { AdminRole } from '../certs/index.ts';

const V1 = ['1.0'] as const;
const accepting = (...types: Participant['sends']): Participant['accepts'] =>
  types.map((type) => ({ type, schemaVersions: [...V1] }));
const ALL: Participant['sends'] = ['alert', 'referral', 'referral-response', 'case-transfer', 'case-update'];
const CASEWORK: Participant['sends'] = ['referral', 'referral-response', 'case-transfer', 'case-update'];

/** Who takes part when no participants are configured. */
export const DEMO_PARTICIPANTS: readonly Participant[] = [
  { id: 'BG-MOI', name: 'Ministry of Interior', kind: 'law-enforcement', country: 'BG', accepts: accepting(...ALL), sends: ALL },
  { id: 'BG-NCCTHB', name: 'National Commission for Combating Trafficking in Human Beings (secretariat)', kind: 'coordinator', country: 'BG', accepts: accepting(...ALL), sends: ALL },
  { id: 'BG-SACP', name: 'State Agency for Child Protection', kind: 'child-protection', country: 'BG', accepts: accepting(...ALL), sends: ALL },
  { id: 'BG-SAA', name: 'Social Assistance Agency', kind: 'social-assistance', country: 'BG', accepts: accepting(...CASEWORK), sends: CASEWORK },
  { id: 'BG-NGO-ANIMUS', name: 'Animus Association Foundation (demo shelter)', kind: 'ngo', country: 'BG', accepts: accepting(...CASEWORK), sends: ALL },
  { id: 'HU-NBI', name: 'National Bureau of Investigation, Hungary (TRM partner)', kind: 'foreign-partner', country: 'HU', accepts: accepting(...CASEWORK), sends: ALL },
];

/**
 * The demo's partner gateway abroad (`npm start` runs it beside the main one): Hungary's
 * police, and the Bulgarian participants, reached back through the Bulgarian gateway.
 */
export const DEMO_PARTNER_NAME = 'hu-demo';
export const DEMO_PARTNER_PARTICIPANTS: readonly Participant[] = [
  { id: 'HU-NBI', name: 'National Bureau of Investigation, Hungary (demo)', kind: 'law-enforcement', country: 'HU', accepts: accepting(...CASEWORK), sends: ALL },
  ...DEMO_PARTICIPANTS.filter((p) => p.country === 'BG').map((p) => ({ ...p, kind: 'foreign-partner' as const })),
];

/** The development administrator, holding every role. */
export const DEMO_ADMINISTRATORS: ReadonlyArray<{ name: string; roles: readonly AdminRole[] }> = [
  { name: 'gateway-admin', roles: ['certificate-officer', 'consent-officer', 'operator', 'auditor', 'statistician'] },
];

/**
 * The consent the contract's examples name (`legalBasis.consentId`), recorded on embedded
 * defaults and in tests for the examples' invented subject, so the examples are accepted as
 * they stand. Broad on purpose: every kind, purpose and category.
 */
export const DEMO_CONSENT_ID = '7f1d5c9e-2b1a-4c3e-9a7d-5e2f1b0c8d4a';
export const DEMO_CONSENT: ConsentRequest = {
  subject: { identity: { givenName: 'Desislava', familyName: 'Testova', dateOfBirth: '1999-04-02' } },
  givenBy: { kind: 'self' },
  scope: [{
    participantKinds: ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator', 'ngo', 'foreign-partner'],
    purposes: ['protection-and-assistance', 'reintegration', 'safe-return', 'criminal-proceedings', 'compensation', 'coordination', 'statistics'],
    categories: ['identity', 'contact', 'location', 'health', 'exploitation', 'needs-and-services', 'legal-proceedings', 'family'],
  }],
  validFrom: '2026-01-01T00:00:00Z',
  evidence: { formDigest: 'sha256:5b0ed1e2c0a8f4bb1f0c1d0f9c8a7e6d5c4b3a29181716151413121110090807', signedOn: '2025-12-29', language: 'bg', interpreter: false },
};
