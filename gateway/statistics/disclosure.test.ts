/** Disclosure control: no published cell below k, and nothing suppressed can be worked out from totals or overlapping tables. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_K, protect, recoverable, type Relation } from './disclosure.ts';

/** A table of rows × columns with row, column and grand totals: its cells and relations. */
function table(name: string, cells: number[][]): { counts: Map<string, number>; relations: Relation[] } {
  const counts = new Map<string, number>();
  const relations: Relation[] = [];
  const rows = cells.length;
  const cols = cells[0]!.length;
  cells.forEach((row, r) => row.forEach((v, c) => counts.set(`${name}:${r}:${c}`, v)));
  for (let r = 0; r < rows; r += 1) {
    counts.set(`${name}:${r}:*`, cells[r]!.reduce((a, b) => a + b, 0));
    relations.push({ total: `${name}:${r}:*`, parts: cells[r]!.map((_, c) => `${name}:${r}:${c}`) });
  }
  for (let c = 0; c < cols; c += 1) {
    counts.set(`${name}:*:${c}`, cells.reduce((a, row) => a + row[c]!, 0));
    relations.push({ total: `${name}:*:${c}`, parts: cells.map((_, r) => `${name}:${r}:${c}`) });
  }
  counts.set(`${name}:*:*`, cells.flat().reduce((a, b) => a + b, 0));
  relations.push({ total: `${name}:*:*`, parts: cells.map((_, r) => `${name}:${r}:*`) });
  relations.push({ total: `${name}:*:*`, parts: cells[0]!.map((_, c) => `${name}:*:${c}`) });
  return { counts, relations };
}

const grid = fc.integer({ min: 1, max: 6 }).chain((rows) => fc.integer({ min: 1, max: 6 }).chain((cols) =>
  fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 })), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })));

describe('disclosure control', () => {
  it('suppresses every cell of 1 to k−1 persons and publishes zeros and the rest', () => {
    const { counts, relations } = table('t', [[0, 3, 40], [25, 30, 50]]);
    const published = protect(counts, relations);
    expect(published.get('t:0:0')).toBe(0);
    expect(published.get('t:0:1')).toBeNull();
    for (const [key, value] of published) if (value !== null) expect(value === 0 || value >= MIN_K, key).toBe(true);
  });

  it('would leave a suppressed cell recoverable from the totals without secondary suppression (the attacker works)', () => {
    const { counts, relations } = table('t', [[5, 40], [30, 50]]);
    const primaryOnly = new Map([...counts].map(([key, v]) => [key, v > 0 && v < MIN_K ? null : v]));
    expect(recoverable(primaryOnly, relations).get('t:0:0')).toBe(5);
    const published = protect(counts, relations);
    expect(recoverable(published, relations).size).toBe(0);
    // Its row, its column and the cell opposite go too: no relation has one unknown, and each hides 11 or more.
    expect([...published].filter(([, v]) => v === null).map(([key]) => key).sort()).toEqual(['t:0:0', 't:0:1', 't:1:0', 't:1:1']);
  });

  it('lets no suppressed cell be worked out from any published total, for any table (property)', () => {
    fc.assert(fc.property(grid, (cells) => {
      const { counts, relations } = table('t', cells);
      const published = protect(counts, relations);
      expect(recoverable(published, relations).size).toBe(0);
      for (const [key, value] of published) if (value !== null) expect(value === 0 || value >= MIN_K, key).toBe(true);
      for (const relation of relations) {
        const hidden = [relation.total, ...relation.parts].filter((m) => published.get(m) === null);
        // The hidden members hold k or more together — or every member that is not zero is hidden.
        const open = [relation.total, ...relation.parts].filter((m) => published.get(m) !== null && counts.get(m)! > 0);
        if (hidden.length > 0 && open.length > 0) expect(hidden.reduce((sum, m) => sum + counts.get(m)!, 0)).toBeGreaterThanOrEqual(MIN_K);
        if (open.length > 0) expect(hidden.length).not.toBe(1);
      }
    }), { numRuns: 400 });
  });

  it('protects two tables that share their totals (by agency and by form of exploitation, per month) against differencing across them', () => {
    const weights = fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 4 }), { minLength: 6, maxLength: 6 });
    fc.assert(fc.property(grid, weights, (a, w) => {
      // The same people per month, split by agency in one table and by form of exploitation in the other.
      const cols = a[0]!.length;
      const forms = w[0]!.length;
      const b = Array.from({ length: forms }, () => new Array<number>(cols).fill(0));
      for (let c = 0; c < cols; c += 1) {
        const total = a.reduce((sum, row) => sum + row[c]!, 0);
        const share = Array.from({ length: forms }, (_, f) => (w[c]![f] ?? 0) + 1);
        const whole = share.reduce((x, y) => x + y, 0);
        let left = total;
        share.forEach((x, f) => {
          const part = f === forms - 1 ? left : Math.min(left, Math.floor((total * x) / whole));
          b[f]![c] = part;
          left -= part;
        });
      }
      const left = table('agency', a);
      const right = table('form', b);
      const counts = new Map([...left.counts, ...right.counts]);
      // The month totals of both tables are the same cell: an attacker may use either.
      const relations = [...left.relations, ...right.relations];
      for (let c = 0; c < cols; c += 1) relations.push({ total: `agency:*:${c}`, parts: [`form:*:${c}`] });
      const published = protect(counts, relations);
      expect(recoverable(published, relations).size).toBe(0);
    }), { numRuns: 200 });
  });

  it('gives the same answer for the same counts, and refuses a k below 2', () => {
    const { counts, relations } = table('t', [[3, 7, 40], [2, 30, 50], [12, 13, 4]]);
    expect(protect(counts, relations)).toEqual(protect(new Map([...counts].reverse()), [...relations].reverse()));
    expect(() => protect(counts, relations, 1)).toThrow(RangeError);
  });
});
