/** Which statements run prepared: repeated ones with parameters, never one-off texts, never more than the cap. */
import { describe, expect, it } from 'vitest';
import { createStatementNamer } from './database.ts';

describe('prepared statements', () => {
  it('names a parameterised statement from its second use on, the same name for the same text', () => {
    const name = createStatementNamer();
    const sql = 'SELECT * FROM exchanges WHERE id = $1';
    expect(name(sql, ['a'])).toEqual({ text: sql, values: ['a'] });
    const second = name(sql, ['b']);
    expect(second.name).toMatch(/^rg_[0-9a-f]{24}$/);
    expect(name(sql, ['c'])).toEqual({ name: second.name, text: sql, values: ['c'] });
    expect(name('SELECT * FROM deliveries WHERE id = $1', ['a']).name).toBeUndefined();
  });

  it('never prepares a statement without parameters (BEGIN, scripts) nor more statements than the cap', () => {
    const name = createStatementNamer(2);
    expect(name('BEGIN')).toEqual({ text: 'BEGIN' });
    expect(name('BEGIN')).toEqual({ text: 'BEGIN' });
    for (const n of [1, 2, 3]) {
      name(`SELECT ${n} WHERE $1`, [true]);
      name(`SELECT ${n} WHERE $1`, [true]);
    }
    expect(name('SELECT 2 WHERE $1', [true]).name).toBeDefined();
    expect(name('SELECT 3 WHERE $1', [true]).name).toBeUndefined();
  });
});
