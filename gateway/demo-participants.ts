/** The demo participants used on embedded defaults: Bulgaria's NRM agencies, one NGO, one partner abroad. */
import type { Participant } from '../schemas/index.ts';
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

/** The development administrator, holding every role. */
export const DEMO_ADMINISTRATORS: ReadonlyArray<{ name: string; roles: readonly AdminRole[] }> = [
  { name: 'gateway-admin', roles: ['certificate-officer', 'consent-officer', 'operator', 'auditor'] },
];
