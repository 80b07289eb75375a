/** RFC 8785 (JCS) canonical JSON and the digests computed over it. */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS with an ESM-style declaration; under NodeNext its default import is the module.
const canonicalizeJcs = canonicalizeModule as unknown as (typeof canonicalizeModule)['default'];

/** The RFC 8785 canonical form of a JSON value. */
export function canonicalize(value: unknown): string {
  const text = canonicalizeJcs(value);
  if (text === undefined) throw new TypeError('canonicalize: the value has no JSON representation');
  return text;
}

/** `sha256:` and the lowercase hex SHA-256 of the canonical form of `value`. */
export function canonicalDigest(value: unknown): string {
  return textDigest(canonicalize(value));
}

/** `sha256:` and the lowercase hex SHA-256 of `text` (UTF-8), e.g. an already canonical form. */
export function textDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
