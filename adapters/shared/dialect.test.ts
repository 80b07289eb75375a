import { describe, expect, it } from 'vitest';
import { loadContract } from '../../schemas/index.ts';
import { contractLeaves, createDialect, PASCAL_CASE, type Dialect } from './dialect.ts';
import { dialect as moi } from '../moi/mapping.ts';
import { dialect as saa } from '../saa/mapping.ts';
import { dialect as sacp } from '../sacp/mapping.ts';
import { MappingError } from '../types.ts';

const { types, enums } = contractLeaves(loadContract().document);

describe('dialect', () => {
  const table = createDialect({
    // With the payload lifted to the top, each header field needs its own rule.
    paths: [['messageId', 'MessageId'], ['payload', ''], ['payload.subject.identity.givenName', 'Person.FirstName'], ['payload.needs', 'Needs']],
    names: PASCAL_CASE,
    codes: { 'payload.status': { presumed: 'P', identified: 'I' } },
  });
  const standard = { messageId: 'm-1', payload: { subject: { identity: { givenName: 'Testa' }, child: { age: 15, unaccompanied: true } }, status: 'presumed', needs: [{ need: 'medical' }, { need: 'legal' }] } };

  it('renames by the longest rule and the naming rule, translates codes, and reads the result back', () => {
    const native = table.toNative(standard);
    expect(native).toEqual({ MessageId: 'm-1', Person: { FirstName: 'Testa' }, Subject: { Child: { Age: 15, Unaccompanied: true } }, Status: 'P', Needs: [{ Need: 'medical' }, { Need: 'legal' }] });
    expect(table.toStandard(native)).toEqual(standard);
    expect(table.nativePointer('/payload/subject/identity/givenName')).toBe('/Person/FirstName');
    expect(table.nativePointer('/payload/needs/1/need')).toBe('/Needs/1/Need');
  });

  it('restores numbers and booleans from text with the contract\'s types, and says where one is not', () => {
    const text = { Subject: { Child: { Age: '15', Unaccompanied: 'true' } } };
    const typed = new Map([['payload.subject.child.age', 'integer'], ['payload.subject.child.unaccompanied', 'boolean']] as const);
    expect(table.toStandard(text, typed)).toEqual({ payload: { subject: { child: { age: 15, unaccompanied: true } } } });
    expect(() => table.toStandard({ Subject: { Child: { Unaccompanied: 'yes' } } }, typed)).toThrow(/Subject.Child.Unaccompanied must be true or false/);
  });

  it('refuses a value missing from a code list both ways, and a document that says one thing twice, without repeating the value', () => {
    const out = (() => { try { table.toNative({ payload: { status: 'not-a-victim' } }); } catch (e) { return e; } })();
    expect(out).toBeInstanceOf(MappingError);
    expect(out).toMatchObject({ code: 'UNMAPPABLE_VALUE', path: 'payload.status' });
    expect((out as Error).message).not.toContain('not-a-victim');
    expect(() => table.toStandard({ Status: 'X' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_CODE', path: 'Status' }));
    // Two native fields that mean the same standard field: refused, not one silently kept.
    const twice = createDialect({ paths: [['a', 'x'], ['a', 'y']] });
    expect(() => twice.toStandard({ x: 1, y: 2 })).toThrow(expect.objectContaining({ code: 'NATIVE_INVALID', path: 'a' }));
    expect(() => createDialect({ paths: [['a.*', 'x']] })).toThrow(/\* counts differ/);
  });
});

it('keeps keys that are data, such as the participant ids of recipientLegalBasis, through a renaming dialect', () => {
  const envelope = { recipientLegalBasis: { 'BG-SACP': { exemption: 'child-protection', justification: 'Child Protection Act, Art. 7 (synthetic)' } }, payload: { source: 'hotline' } };
  const native = moi.toNative(envelope) as Record<string, any>;
  expect(native.LegalGroundByAddressee).toHaveProperty('BG-SACP.Exemption', 'child-protection');
  expect(moi.toStandard(native)).toEqual(envelope);
  const lower = createDialect({ paths: [], names: PASCAL_CASE, dataKeys: ['byId'] });
  expect(lower.toStandard(lower.toNative({ byId: { 'x-1': { name: 'a' } } }))).toEqual({ byId: { 'x-1': { name: 'a' } } });
});

describe.each([['moi', moi], ['sacp', sacp], ['saa', saa]] as Array<[string, Dialect]>)('the %s code lists against the contract', (_name, dialect) => {
  it('give every value the contract allows a native code, one to one', () => {
    for (const [path, codes] of Object.entries(dialect.table.codes ?? {})) {
      const allowed = enums.get(path);
      expect(allowed, `${path} has no code list in the contract`).toBeDefined();
      expect(Object.keys(codes).sort(), path).toEqual([...allowed!].sort());
      expect(new Set(Object.values(codes)).size, `${path}: two values share a native code`).toBe(Object.values(codes).length);
    }
  });

  it('translate every place the contract uses the same code list, not only the first', () => {
    for (const path of Object.keys(dialect.table.codes ?? {})) {
      const list = JSON.stringify([...enums.get(path)!].sort());
      const same = [...enums].filter(([, values]) => JSON.stringify([...values].sort()) === list).map(([p]) => p);
      expect(Object.keys(dialect.table.codes ?? {}), `the ${path} code list is used at ${same.join(', ')}`).toEqual(expect.arrayContaining(same));
    }
  });
});

it('reads the contract\'s leaf types', () => {
  expect(types.get('payload.subject.child.age')).toBe('integer');
  expect(types.get('payload.subject.contact.safeToContact')).toBe('boolean');
});
