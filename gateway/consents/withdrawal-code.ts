/**
 * Withdrawal codes: printed on a consent receipt so the person can withdraw through any
 * consent officer or NGO. 80 random bits in Crockford's base32 (no I, L, O, U; read aloud
 * and typed by hand without confusion), in four groups of four; derived from nothing, so the
 * code says nothing about the person. Only a hash is stored.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

/** A new code, e.g. `7K2M-Q9XD-3TRW-F2HA`. */
export function newWithdrawalCode(): string {
  const bytes = randomBytes(LENGTH);
  // 256 is a multiple of 32: taking each byte modulo 32 keeps every symbol equally likely.
  const symbols = [...bytes].map((b) => ALPHABET[b % 32]!).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/**
 * The code as typed, in canonical form (upper case, no separators; `O` read as 0, `I` and `L`
 * as 1, as Crockford's base32 does), or `undefined` when it cannot be a code.
 */
export function normalizeWithdrawalCode(typed: string): string | undefined {
  const symbols = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return symbols.length === LENGTH && [...symbols].every((c) => ALPHABET.includes(c)) ? symbols : undefined;
}

/** What the store keeps of a code: SHA-256 of its canonical form, hex. 80 random bits need no salt. */
export function hashWithdrawalCode(code: string): string {
  return createHash('sha256').update(normalizeWithdrawalCode(code) ?? code).digest('hex');
}
