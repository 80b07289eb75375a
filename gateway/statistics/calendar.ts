/**
 * The statistics' calendar: months as Bulgaria lives them, in Europe/Sofia (UTC+2, +3 in
 * summer). A message accepted at 23:30 UTC on 31 March is counted in April. Month starts
 * never fall in a daylight-saving change (those are on the last Sundays of March and
 * October), so each is one instant.
 */
export const TIME_ZONE = 'Europe/Sofia';

const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', timeZoneName: 'longOffset' });

function fields(at: Date | number): { year: number; month: number; day: string; offsetMs: number } {
  const values = Object.fromEntries(parts.formatToParts(at).map((p) => [p.type, p.value]));
  const offset = /GMT([+-])(\d\d):(\d\d)/.exec(values.timeZoneName ?? '');
  const offsetMs = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  return { year: Number(values.year), month: Number(values.month) - 1, day: values.day!, offsetMs };
}

/** 00:00 in Sofia on the first of `month` (0–11; beyond, into the next years) of `year`. */
export function monthStart(year: number, month: number): Date {
  const midnightUtc = Date.UTC(year, month, 1);
  // The offset in force a few hours before UTC midnight is the one at local midnight.
  return new Date(midnightUtc - fields(midnightUtc - 4 * 3_600_000).offsetMs);
}

/** The Sofia calendar month `at` falls in (month 0–11). */
export function localMonth(at: Date): { year: number; month: number } {
  const { year, month } = fields(at);
  return { year, month };
}

/** `at`'s date in Sofia, `YYYY-MM-DD`. */
export function localDate(at: Date): string {
  const { year, month, day } = fields(at);
  return `${year}-${String(month + 1).padStart(2, '0')}-${day}`;
}
