/**
 * Subject pseudonyms: a keyed hash (HMAC-SHA-256) of normalised identity attributes, so two
 * agencies that met the same person get the same pseudonym without sharing who it is.
 */
import { createHmac } from 'node:crypto';
import { GatewayError } from '../errors.ts';

/** The attributes a pseudonym is computed from (all three are needed; more would make it fragile). */
export interface PseudonymAttributes {
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
}

/** Computes pseudonyms with one key. The key never leaves this closure. */
export interface Pseudonymizer {
  /** `psn_` and 43 base64url characters. Throws `GW_IDENTITY_INSUFFICIENT` without given name, family name and date of birth. */
  pseudonym(identity: PseudonymAttributes, pointer?: string): string;
}

/**
 * Bulgarian Cyrillic to Latin by the Transliteration Act (2009), the system on Bulgarian
 * passports, so "Десислава Тестова" and "Desislava Testova" meet. Russian/Ukrainian-only
 * letters are mapped to their usual Latin forms.
 */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'sht', ъ: 'a', ь: 'y', ю: 'yu', я: 'ya', ё: 'yo', э: 'e', ы: 'y', і: 'i', ї: 'yi', є: 'ye', ґ: 'g',
};

/**
 * The normal form of a name: Unicode NFKC; lower case; Cyrillic transliterated as above,
 * with the Act's rule that a final "ия" is "ia" (Мария → maria); diacritics removed
 * (Dimitrović → dimitrovic); hyphens, apostrophes and dots as spaces; everything else that
 * is not a letter or digit dropped; runs of spaces collapsed. Documented in docs/privacy.md.
 */
export function normalizeName(name: string): string {
  const lower = name.normalize('NFKC').toLowerCase().replace(/ия(?=$|[\s\-'’.])/gu, 'ia');
  const latin = [...lower].map((c) => CYRILLIC[c] ?? c).join('');
  return latin
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[-'’.‐–]/gu, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The key on embedded defaults, like the development CA: well known, so the contract's
 * examples carry the pseudonyms a development gateway computes. Refused in production.
 */
export const DEVELOPMENT_PSEUDONYM_KEY = Buffer.from('referral-gateway development pseudonym key - never in production', 'utf8');

/** A pseudonymizer with `key` (at least 32 bytes). */
export function createPseudonymizer(key: Buffer): Pseudonymizer {
  if (key.length < 32) throw new RangeError('createPseudonymizer: the key must be at least 32 bytes');
  return {
    pseudonym(identity, pointer = '/identity') {
      const missing = (['givenName', 'familyName', 'dateOfBirth'] as const).filter((k) => !identity[k] || (k !== 'dateOfBirth' && normalizeName(identity[k]!) === ''));
      if (missing.length > 0) {
        throw new GatewayError('GW_IDENTITY_INSUFFICIENT', {
          detail: 'A pseudonym needs the given name, the family name and the date of birth.',
          violations: missing.map((k) => ({ pointer: `${pointer}/${k}`, message: 'is required to compute the pseudonym', keyword: 'pseudonym' })),
        });
      }
      const input = ['v1', normalizeName(identity.familyName!), normalizeName(identity.givenName!), identity.dateOfBirth!].join('\u001f');
      return `psn_${createHmac('sha256', key).update(input, 'utf8').digest('base64url')}`;
    },
  };
}
