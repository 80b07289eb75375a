/**
 * Dates that cannot be true. A message is about what has happened: a person born, a victim
 * identified, a measure started or completed, a guardian appointed, a follow-up held. Such a
 * date after the day of acceptance (beyond a clock-skew allowance, and the widest time-zone
 * offset) is a mistake — and a date of birth in the future would make anyone a "child".
 * Dates that may lie ahead (a planned measure, the end of a reflection period) are not judged.
 */
import { GatewayError } from '../errors.ts';

/** Fields, by name, that record something that has happened. */
export const PAST_DATES: ReadonlySet<string> = new Set([
  'dateOfBirth', 'detectedOn', 'signedOn', 'appointedOn', 'assessedOn', 'closedOn', 'completedOn', 'startedOn', 'since', 'on', 'periodFrom',
]);
/** A calendar date somewhere on Earth may be a day ahead of UTC (UTC+14). */
const WIDEST_OFFSET_MS = 14 * 3_600_000;

/** The latest calendar date anywhere on Earth at `at` (plus `skewMs`). */
export const latestDateAt = (at: Date, skewMs = 0): string => new Date(at.getTime() + skewMs + WIDEST_OFFSET_MS).toISOString().slice(0, 10);

/** Pointers to the {@link PAST_DATES} in `value` that lie after `at`. */
export function futureDates(value: unknown, at: Date, skewMs: number, pointer = '', found: Array<{ pointer: string; date: string }> = []): Array<{ pointer: string; date: string }> {
  if (Array.isArray(value)) value.forEach((item, i) => futureDates(item, at, skewMs, `${pointer}/${i}`, found));
  else if (value && typeof value === 'object') {
    const latest = latestDateAt(at, skewMs);
    for (const [key, item] of Object.entries(value)) {
      const here = `${pointer}/${key}`;
      if (PAST_DATES.has(key) && typeof item === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item) && item > latest) found.push({ pointer: here, date: item });
      else futureDates(item, at, skewMs, here, found);
    }
  }
  return found;
}

/** Refuses (`GW_VALIDATION_FAILED`) a payload recording something as having happened after `at`. */
export function checkPastDates(payload: unknown, at: Date, skewMs: number, base = '/payload'): void {
  const found = futureDates(payload, at, skewMs, base);
  if (found.length > 0) {
    throw new GatewayError('GW_VALIDATION_FAILED', {
      detail: `${found.map((f) => `${f.pointer} (${f.date})`).join(', ')}: a date of something that has happened cannot be after today.`,
      violations: found.map((f) => ({ pointer: f.pointer, message: 'is in the future', keyword: 'clock' })),
    });
  }
}
