/**
 * The registered adapters, by the name configuration uses
 * (`delivery.participants.<id>.adapter`). `npm run new-adapter -- <name>` adds its lines at
 * the two markers.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { AdapterFactory } from './types.ts';
import { httpsJson } from './https-json/index.ts';
import { moi } from './moi/index.ts';
import { ngo } from './ngo/index.ts';
import { peer } from './peer/index.ts';
import { saa } from './saa/index.ts';
import { sacp } from './sacp/index.ts';
// new-adapter: imports above this line

export const ADAPTERS: Readonly<Record<string, AdapterFactory>> = {
  'https-json': httpsJson,
  moi,
  ngo,
  peer,
  saa,
  sacp,
  // new-adapter: registrations above this line
};

/** The adapter used when a pushing participant names none. */
export const DEFAULT_ADAPTER = 'https-json';

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

/** Checks `settings` against the adapter's schema, filling in its defaults; returns the problems (`/pointer message`). */
export function checkAdapterSettings(name: string, settings: Record<string, unknown>): string[] {
  const factory = ADAPTERS[name];
  if (!factory) return [` names no registered adapter (${name})`];
  let check = compiled.get(name);
  if (!check) compiled.set(name, (check = ajv.compile(factory.settingsSchema)));
  if (check(settings)) return [];
  return (check.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${e.instancePath} ${e.message}${extra ? ` (${extra})` : ''}`;
  });
}
