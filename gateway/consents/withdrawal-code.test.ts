import { describe, expect, it } from 'vitest';
import { hashWithdrawalCode, newWithdrawalCode, normalizeWithdrawalCode } from './withdrawal-code.ts';

describe('withdrawal codes', () => {
  it('are four groups of four symbols a person can read aloud, different every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, newWithdrawalCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('are recognised as typed by hand: lower case, spaces, and O, I, L for 0, 1, 1', () => {
    const code = '7K2M-Q90D-3TRW-F21A';
    expect(normalizeWithdrawalCode(' 7k2m q9od 3trw f2la ')).toBe('7K2MQ90D3TRWF21A');
    expect(hashWithdrawalCode('7k2mq9Od3trwf2IA')).toBe(hashWithdrawalCode(code));
  });

  it('refuse what cannot be a code: wrong length or a letter the alphabet leaves out', () => {
    expect(normalizeWithdrawalCode('7K2M-Q90D-3TRW')).toBeUndefined();
    expect(normalizeWithdrawalCode('7K2M-Q90D-3TRW-F2UA')).toBeUndefined();
    expect(normalizeWithdrawalCode('')).toBeUndefined();
  });

  it('are stored as a hash that does not contain the code', () => {
    const code = newWithdrawalCode();
    const hash = hashWithdrawalCode(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(normalizeWithdrawalCode(code)!.toLowerCase());
  });
});
