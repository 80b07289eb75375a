/**
 * A release: one year's lattice after disclosure control, in the form the API, the CSV
 * export and the console publish. Suppression is decided once, over the whole lattice
 * (every agency's cells with the national ones), so each viewer's slice is part of one
 * protected table: putting slices side by side recovers nothing that the whole does not.
 */
import { protect } from './disclosure.ts';
import { cellKey, quantile, type Cell, type Indicator, type Lattice } from './indicators.ts';

export interface PublishedCell extends Cell {
  /** Distinct persons; `null` where suppressed. Cells of zero persons are left out. */
  persons: number | null;
  /** time-to-first-measure only, where `persons` is published. */
  medianDays?: number;
  p90Days?: number;
}

export interface ReleaseBody {
  year: number;
  asOf: string;
  k: number;
  periods: Array<{ id: string; complete: boolean }>;
  agencies: string[];
  categories: Record<string, string[]>;
  cells: PublishedCell[];
}

/** Protects the lattice (k, secondary suppression) and lays it out for publication. */
export function releaseOf(year: number, asOf: Date, lattice: Lattice, k: number): ReleaseBody {
  // Protected one indicator at a time: no relation joins two indicators.
  const published = new Map<string, number | null>();
  const byIndicator = new Map<Indicator, string[]>();
  for (const cell of lattice.cells) {
    const keys = byIndicator.get(cell.indicator) ?? [];
    keys.push(cellKey(cell));
    byIndicator.set(cell.indicator, keys);
  }
  for (const [indicator, keys] of byIndicator) {
    const prefix = `${indicator}|`;
    const counts = new Map(keys.map((key) => [key, lattice.counts.get(key)!]));
    for (const [key, value] of protect(counts, lattice.relations.filter((r) => r.total.startsWith(prefix)), k)) published.set(key, value);
  }
  const cells: PublishedCell[] = [];
  for (const cell of lattice.cells) {
    const key = cellKey(cell);
    if (lattice.counts.get(key) === 0) continue;
    const persons = published.get(key)!;
    const days = lattice.days.get(key);
    const quantiles = persons !== null && days && days.length >= k ? { medianDays: quantile(days, 0.5), p90Days: quantile(days, 0.9) } : {};
    cells.push({ ...cell, persons, ...quantiles });
  }
  return {
    year, asOf: asOf.toISOString(), k,
    periods: lattice.periods.map((p) => ({ id: p.id, complete: p.complete })),
    agencies: lattice.agencies, categories: lattice.categories, cells,
  };
}

/** What one participant may see of a release: its own agency's cells. */
export function sliceFor(body: ReleaseBody, agency: string): ReleaseBody {
  return { ...body, agencies: body.agencies.filter((a) => a === agency), cells: body.cells.filter((c) => c.agency === agency) };
}

const CSV_COLUMNS = ['indicator', 'period', 'agency', 'dimension', 'category', 'status', 'persons', 'median_days', 'p90_days'] as const;

/** The release as CSV (RFC 4180): one row per published cell; a suppressed cell has status `suppressed` and no count. */
export function releaseCsv(body: ReleaseBody): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = body.cells.map((c) => [
    c.indicator, c.period, c.agency, c.dimension, c.category, c.persons === null ? 'suppressed' : 'published',
    c.persons === null ? '' : String(c.persons), c.medianDays?.toString() ?? '', c.p90Days?.toString() ?? '',
  ].map(quote).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
