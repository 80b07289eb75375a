/** How migrations are cut into statements (the extended protocol takes one at a time; PGlite refuses more). */
import { describe, expect, it } from 'vitest';
import { splitStatements } from './migrate.ts';

describe('splitting a migration', () => {
  it('ends a statement at a `;` at the end of a line, a comment after it or not, and keeps function bodies whole', () => {
    const sql = [
      '-- a comment line',
      'CREATE TABLE a (x int);',
      "ALTER TABLE a ADD COLUMN y jsonb NOT NULL DEFAULT '{}';  -- what y holds",
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  RETURN NULL;',
      'END $$;',
      'SELECT 1',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (x int)',
      "ALTER TABLE a ADD COLUMN y jsonb NOT NULL DEFAULT '{}'",
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN NULL;\nEND $$',
      'SELECT 1',
    ]);
  });
});
