/** The configuration as this build loads it: the registered adapters, and the demo participants when none are configured. */
import { ADAPTERS, checkAdapterSettings, DEFAULT_ADAPTER } from '../adapters/index.ts';
import { loadConfig, type Config, type LoadConfigOptions } from '../gateway/index.ts';
import { DEMO_ADMINISTRATORS, DEMO_PARTICIPANTS } from '../demo/participants.ts';

/** The adapters the configuration may name. */
export const ADAPTER_CATALOGUE = { defaultAdapter: DEFAULT_ADAPTER, checkSettings: checkAdapterSettings, names: Object.keys(ADAPTERS) };

/** {@link loadConfig} with this build's adapters and, on embedded defaults, the demo participants and administrators. */
export function loadAppConfig(options: Omit<LoadConfigOptions, 'adapters' | 'defaults'>): Config {
  return loadConfig({ ...options, adapters: ADAPTER_CATALOGUE, defaults: { participants: DEMO_PARTICIPANTS, devAdministrators: DEMO_ADMINISTRATORS } });
}
