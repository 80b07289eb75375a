/**
 * Disclosure control for published statistics: every cell counts distinct persons; a cell
 * of 1 to k−1 persons is suppressed (primary suppression), and more cells are suppressed
 * (secondary suppression) until no suppressed cell can be worked out from the cells that
 * are published.
 *
 * The published cells form a fixed lattice (docs/statistics.md): each table's rows and
 * columns and their totals, months within quarters within years, agencies within the
 * national figure. Each such "a total and its parts" is a **relation**. Counts of distinct
 * persons are not always additive (one person in two months is one person in the quarter),
 * so the rules treat every relation as if it were a sum, which is the attacker's best case:
 *
 * 1. No relation may have exactly one suppressed member: the total minus the published parts
 *    would give it (or bound it tightly). A second member is suppressed — the smallest part
 *    not yet suppressed, else the total.
 * 2. The suppressed members of a relation must together hold k persons or more: otherwise
 *    their sum, worked out from the relation, is itself a group of fewer than k.
 *
 * Both are applied to every relation until nothing changes. Zero is published: it says that
 * nobody is in the cell, which exposes no one.
 */

/** A total and the cells it is made of. */
export interface Relation {
  total: string;
  parts: readonly string[];
}

/** The default, and the least any configuration may set: CTDC's threshold. */
export const MIN_K = 11;

/**
 * The published value of every cell: its count, or `null` where suppressed. Deterministic:
 * the same counts and relations give the same suppressions (ties broken by cell key).
 */
export function protect(counts: ReadonlyMap<string, number>, relations: readonly Relation[], k = MIN_K): Map<string, number | null> {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer of 2 or more, not ${k}`);
  const value = (key: string) => {
    const v = counts.get(key);
    if (v === undefined) throw new RangeError(`relation names cell ${key}, which has no count`);
    return v;
  };
  const suppressed = new Set([...counts].filter(([, v]) => v > 0 && v < k).map(([key]) => key));
  // The smallest member that may still be suppressed: a part before the total, ties by key.
  const nextOf = (relation: Relation) => {
    const open = relation.parts.filter((p) => !suppressed.has(p) && value(p) > 0).sort((a, b) => value(a) - value(b) || a.localeCompare(b));
    if (open.length > 0) return open[0];
    return !suppressed.has(relation.total) && value(relation.total) > 0 ? relation.total : undefined;
  };
  // Relations in one order whatever order they come in: the same counts give the same answer.
  const ordered = [...relations].sort((a, b) => `${a.total}|${a.parts.join('|')}`.localeCompare(`${b.total}|${b.parts.join('|')}`));
  for (let changed = true; changed;) {
    changed = false;
    for (const relation of ordered) {
      const members = [relation.total, ...relation.parts];
      const hidden = members.filter((m) => suppressed.has(m));
      if (hidden.length === 0) continue;
      const held = hidden.reduce((sum, m) => sum + value(m), 0);
      if (hidden.length === 1 || held < k) {
        const next = nextOf(relation);
        if (next !== undefined) {
          suppressed.add(next);
          changed = true;
        }
      }
    }
  }
  return new Map([...counts].map(([key, v]) => [key, suppressed.has(key) ? null : v]));
}

/**
 * What an attacker can work out from the published cells by treating every relation as a
 * sum: repeatedly, a relation with exactly one unknown member gives it. Returns the cells
 * recovered (the tests assert this is none).
 */
export function recoverable(published: ReadonlyMap<string, number | null>, relations: readonly Relation[]): Map<string, number> {
  const known = new Map<string, number>([...published].filter((e): e is [string, number] => e[1] !== null));
  const recovered = new Map<string, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const { total, parts } of relations) {
      const unknown = [total, ...parts].filter((m) => !known.has(m));
      if (unknown.length !== 1) continue;
      const [cell] = unknown as [string];
      const value = cell === total
        ? parts.reduce((sum, p) => sum + known.get(p)!, 0)
        : known.get(total)! - parts.filter((p) => p !== cell).reduce((sum, p) => sum + known.get(p)!, 0);
      known.set(cell, value);
      recovered.set(cell, value);
      changed = true;
    }
  }
  return recovered;
}
