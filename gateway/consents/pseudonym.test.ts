import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.ts';
import { createPseudonymizer, normalizeName } from './pseudonym.ts';

const key = randomBytes(32);
const pseudonyms = createPseudonymizer(key);
const person = (givenName: string, familyName: string, dateOfBirth = '1999-04-02') => pseudonyms.pseudonym({ givenName, familyName, dateOfBirth });

describe('subject pseudonyms', () => {
  it.each([
    ['Десислава', 'desislava'],
    ['ЖИВКА', 'zhivka'],
    ['Щерьо', 'shteryo'],
    ['Мария', 'maria'],
    ['Мария-Антоанета', 'maria antoaneta'],
    ['Ъглова', 'aglova'],
    ['Dimitrović', 'dimitrovic'],
    ["  O'Neill-Testova ", 'o neill testova'],
    ['ＴＥＳＴ', 'test'],
  ])('normalises %s as %s', (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });

  it('gives the Cyrillic and the Latin spelling of a name the same pseudonym', () => {
    expect(person('Десислава', 'Тестова')).toBe(person('Desislava', 'Testova'));
    expect(person('Мария', 'Пробна')).toBe(person('MARIA', 'probna'));
    expect(person('Жечка', 'Щерева')).toBe(person('Zhechka', 'Shtereva'));
  });

  it('tells different people apart, and depends on the key', () => {
    const one = person('Desislava', 'Testova');
    expect(person('Desislava', 'Testova', '1999-04-03')).not.toBe(one);
    expect(person('Testova', 'Desislava')).not.toBe(one); // given and family name are not interchangeable
    expect(createPseudonymizer(randomBytes(32)).pseudonym({ givenName: 'Desislava', familyName: 'Testova', dateOfBirth: '1999-04-02' })).not.toBe(one);
    expect(one).toMatch(/^psn_[A-Za-z0-9_-]{43}$/);
    expect(one).not.toContain(key.toString('base64url').slice(0, 8));
  });

  it('refuses to guess from too little, naming what is missing', () => {
    let error: unknown;
    try {
      pseudonyms.pseudonym({ givenName: 'Desislava', familyName: '--' }, '/subject/identity');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('GW_IDENTITY_INSUFFICIENT');
    expect((error as GatewayError).violations?.map((v) => v.pointer)).toEqual(['/subject/identity/familyName', '/subject/identity/dateOfBirth']);
    expect(() => createPseudonymizer(Buffer.alloc(16))).toThrow(RangeError);
  });
});
