import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, generateTypes } from './generate-types.ts';
import { buildCategoryMaps, canonicalDigest, canonicalize, createValidators, DATA_CATEGORIES, loadContract } from './index.ts';

const contract = loadContract();
const validators = createValidators(contract.document);
const examples = contract.document.components.examples as Record<string, { value: unknown }>;

describe('the contract', () => {
  it.each(Object.keys(examples))('accepts its own %s example', (name) => {
    expect(validators.newExchange(examples[name]!.value)).toEqual([]);
  });

  it('has an example for each of the five message types', () => {
    const types = Object.values(examples).map((e) => (e.value as { type: string }).type);
    expect(new Set(types)).toEqual(new Set(['alert', 'referral', 'referral-response', 'case-transfer', 'case-update']));
  });

  it('matches the committed generated types (run `npm run generate` after editing openapi.yaml)', async () => {
    expect(readFileSync(GENERATED_TYPES_PATH, 'utf8')).toBe(await generateTypes());
  });

  it('marks every payload property with a data category or as case metadata', () => {
    for (const [type, map] of Object.entries(buildCategoryMaps(contract.document))) {
      expect({ type, unmarked: map.unmarked }).toEqual({ type, unmarked: [] });
      expect(map.fields.length).toBeGreaterThan(0);
    }
  });

  it('puts identity data under the identity category and proceedings under legal-proceedings', () => {
    const referral = buildCategoryMaps(contract.document).referral;
    const category = (path: string) => referral.fields.find((f) => f.path === path)?.category;
    expect(category('/payload/subject/identity')).toBe('identity');
    expect(category('/payload/subject/contact')).toBe('contact');
    expect(category('/payload/health')).toBe('health');
    expect(category('/payload/criminalProceedings')).toBe('legal-proceedings');
    expect(referral.caseMetadata).toContain('/payload/subject/pseudonym');
  });

  it('lists in its DataCategory schema exactly the categories the marks may use', () => {
    const schema = (contract.document.components.schemas as Record<string, { enum: string[] }>).DataCategory!;
    expect([...schema.enum].sort()).toEqual([...DATA_CATEGORIES].sort());
  });

  it('uses every data category somewhere', () => {
    const used = new Set(Object.values(buildCategoryMaps(contract.document)).flatMap((m) => m.fields.map((f) => f.category)));
    expect([...used].sort()).toEqual([...DATA_CATEGORIES].sort());
  });
});

describe('canonical JSON (RFC 8785)', () => {
  it('orders keys and formats numbers as the RFC does', () => {
    expect(canonicalize({ b: [1e21, 0.000001, -0], a: 'é\u2028', c: { z: null, y: true } })).toBe(
      '{"a":"é\u2028","b":[1e+21,0.000001,0],"c":{"y":true,"z":null}}',
    );
  });

  it('gives the same digest whatever the key order, and a different one for any changed value', () => {
    expect(canonicalDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalDigest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(canonicalDigest({ a: 1, b: { c: 2, d: 3 } })).not.toBe(canonicalDigest({ a: 1, b: { c: 2, d: 4 } }));
    expect(canonicalDigest({})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('query validation', () => {
  const check = validators.query('listExchanges');

  it('coerces numbers and applies the default limit', () => {
    const query: Record<string, unknown> = { limit: '5' };
    expect(check(query)).toEqual([]);
    expect(query.limit).toBe(5);
    const empty: Record<string, unknown> = {};
    expect(check(empty)).toEqual([]);
    expect(empty.limit).toBe(50);
  });

  it('names unknown and out-of-range parameters by pointer', () => {
    expect(check({ limit: '0', colour: 'red' }).map((v) => v.pointer).sort()).toEqual(['#/query/colour', '#/query/limit']);
  });
});
