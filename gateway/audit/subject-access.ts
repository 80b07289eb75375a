/**
 * The subject access report (GDPR Art. 15) for one person, by pseudonym: every delivery of
 * their data — when, from whom, to whom, which categories, under which legal basis, what
 * was withheld — and their consents, for a consent officer or auditor to give them. It
 * holds no payload. Producing one is audited (who, how many deliveries; never about whom).
 */
import type { Consent, DataCategory } from '../../schemas/index.ts';
import { DATA_CATEGORIES } from '../../schemas/index.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import type { DisclosureStore } from '../store/disclosure-store.ts';

/** One delivery in the report. */
export interface ReportedDisclosure {
  exchangeId: string;
  type: string;
  correlationId: string;
  sender: string;
  acceptedAt: string;
  recipient: string;
  status: string;
  /** Whether the recipient's system got the data (and when). */
  disclosed: boolean;
  disclosedAt?: string;
  legalBasis: { basis: string; consentId?: string };
  /** The categories the recipient's copy carried (not those withheld). */
  categories: DataCategory[];
  withheldCategories: DataCategory[];
  /** When the gateway purged its copy of the payload. */
  purgedAt?: string;
}

export interface SubjectAccessReport {
  subject: string;
  /** The pseudonyms naming the same person (one issued without documents, linked later). */
  pseudonyms: string[];
  generatedAt: string;
  disclosures: ReportedDisclosure[];
  consents: Consent[];
}

export interface SubjectAccessDeps {
  store: DisclosureStore;
  sameSubject(pseudonym: string): Promise<string[]>;
  consents(caller: Caller, subject: string): Promise<Consent[]>;
  categoriesOf(document: { type: string }): DataCategory[];
}

export interface SubjectAccess {
  report(caller: Caller, pseudonym: string): Promise<SubjectAccessReport>;
}

const DISCLOSED = new Set(['delivered', 'acknowledged']);

export function createSubjectAccess(deps: SubjectAccessDeps): SubjectAccess {
  return {
    async report(caller, pseudonym) {
      requireRole(caller, 'consent-officer', 'auditor');
      const pseudonyms = await deps.sameSubject(pseudonym);
      const rows = await deps.store.disclosures(pseudonyms);
      const disclosures = rows.map((row): ReportedDisclosure => {
        const carried = row.copy ? deps.categoriesOf(row.copy) : (row.disclosedCategories ?? []).filter((c): c is DataCategory => (DATA_CATEGORIES as readonly string[]).includes(c));
        const disclosed = DISCLOSED.has(row.status);
        return {
          exchangeId: row.exchangeId, type: row.type, correlationId: row.correlationId, sender: row.sender, acceptedAt: row.acceptedAt.toISOString(),
          recipient: row.recipient, status: row.status, disclosed, ...(row.disclosedAt ? { disclosedAt: row.disclosedAt.toISOString() } : {}),
          legalBasis: { basis: row.consentId ? 'consent' : row.basis ?? 'unrecorded', ...(row.consentId ? { consentId: row.consentId } : {}) },
          categories: disclosed ? carried : [],
          withheldCategories: row.withheldCategories as DataCategory[],
          ...(row.purgedAt ? { purgedAt: row.purgedAt.toISOString() } : {}),
        };
      });
      const consents = await deps.consents(caller, pseudonym);
      await deps.store.reported(callerLabel(caller), disclosures.length);
      return { subject: pseudonym, pseudonyms, generatedAt: new Date().toISOString(), disclosures, consents };
    },
  };
}
