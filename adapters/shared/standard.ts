/** What every mapping ends with: the message it read must be a valid standard message, or the agency system is told where it is not. */
import { sharedContract, type NewExchange, type Validators } from '../../schemas/index.ts';
import { leafTypes, type LeafTypes } from './dialect.ts';
import { MappingError } from '../types.ts';

let compiled: { validators: Validators; types: LeafTypes } | undefined;
/** The contract's validators (the process's shared ones) and leaf types, on first use. */
function contract() {
  if (!compiled) {
    const { contract, validators } = sharedContract();
    compiled = { validators, types: leafTypes(contract.document) };
  }
  return compiled;
}

/** The non-string leaves of standard messages, for formats that carry only text. */
export const standardLeafTypes = (): LeafTypes => contract().types;

/**
 * `value` as a standard message, or a {@link MappingError} naming the first few places it
 * fails the contract. `nativePath` turns a standard pointer into the agency's own terms
 * when the adapter can; messages never carry values.
 */
export function asStandardMessage(value: unknown, nativePath: (pointer: string) => string = (p) => p): NewExchange {
  const violations = contract().validators.newExchange(value);
  if (violations.length === 0) return value as NewExchange;
  const where = violations.slice(0, 3).map((v) => `${nativePath(v.pointer) || '/'}: ${v.message}`).join('; ');
  throw new MappingError(`The document is not a valid message: ${where}`, { code: 'NATIVE_INVALID', path: nativePath(violations[0]!.pointer) });
}

/** Parses JSON text, or throws a {@link MappingError} that does not repeat the text. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MappingError('The document is not well-formed JSON', { code: 'NATIVE_MALFORMED' });
  }
}
