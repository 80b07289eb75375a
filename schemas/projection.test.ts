import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCategoryMaps, createValidators, DATA_CATEGORIES, fieldPresent, loadContract, projectEnvelope, type DataCategory } from './index.ts';

const contract = loadContract();
const maps = buildCategoryMaps(contract.document);
const validators = createValidators(contract.document);
const checkEnvelope = validators.schema('Envelope');
const examples = Object.values(contract.document.components.examples as Record<string, { value: Record<string, unknown> & { type: string } }>)
  .map((e) => {
    // As accepted: with the gateway's id and the subject's pseudonym (which the gateway adds).
    const envelope = { ...structuredClone(e.value), id: '0b0c0d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5' } as Record<string, any> & { type: string };
    envelope.payload.subject.pseudonym ??= `psn_${'A'.repeat(43)}`;
    return envelope;
  });


describe('projecting an envelope onto the categories a recipient may see', () => {
  it('never leaves a field of a category outside the allowed set, and keeps every allowed one (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.subarray([...DATA_CATEGORIES]), fc.subarray([...DATA_CATEGORIES]), (example, allowedList, dropped) => {
        // Vary the payload: leave out some categories' fields before projecting.
        const varied = projectEnvelope(example, maps, new Set(DATA_CATEGORIES.filter((c) => !dropped.includes(c)))).document;
        const allowed = new Set<DataCategory>(allowedList);
        const { document, withheld } = projectEnvelope(varied, maps, allowed);
        for (const field of maps[example.type as keyof typeof maps].fields) {
          if (!allowed.has(field.category)) expect(fieldPresent(document, field.path)).toBe(false);
          else expect(fieldPresent(document, field.path)).toBe(fieldPresent(varied, field.path));
        }
        for (const category of withheld) expect(allowed.has(category)).toBe(false);
        // Case metadata and the envelope header always survive.
        expect({ ...document, payload: undefined }).toEqual({ ...varied, payload: undefined });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a document valid unless a required field\'s category is withheld (then it says so)', () => {
    for (const example of examples) {
      for (const category of DATA_CATEGORIES) {
        const { document, withheld } = projectEnvelope(example, maps, new Set(DATA_CATEGORIES.filter((c) => c !== category)));
        const violations = checkEnvelope(document);
        if (violations.length > 0) {
          expect(withheld).toEqual([category]);
          expect(violations.every((v) => v.keyword === 'required')).toBe(true);
        }
      }
      expect(projectEnvelope(example, maps, new Set(DATA_CATEGORIES))).toEqual({ document: example, withheld: [] });
    }
  });

  it('does not change the envelope it is given', () => {
    const before = structuredClone(examples[1]);
    projectEnvelope(examples[1]!, maps, new Set());
    expect(examples[1]).toEqual(before);
  });
});
