/**
 * The registered adapters, by the name configuration uses
 * (`delivery.participants.<id>.adapter`). `npm run new-adapter -- <name>` adds its lines at
 * the two markers.
 */
import type { AdapterFactory } from './types.ts';
import { httpsJson } from './https-json/index.ts';
import { moi } from './moi/index.ts';
import { ngo } from './ngo/index.ts';
import { saa } from './saa/index.ts';
import { sacp } from './sacp/index.ts';
// new-adapter: imports above this line

export const ADAPTERS: Readonly<Record<string, AdapterFactory>> = {
  'https-json': httpsJson,
  moi,
  ngo,
  saa,
  sacp,
  // new-adapter: registrations above this line
};

/** The adapter used when a pushing participant names none. */
export const DEFAULT_ADAPTER = 'https-json';
