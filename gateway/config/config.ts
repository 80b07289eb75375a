/** The gateway's one configuration object: read from environment and an optional file, validated, frozen. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createHash } from 'node:crypto';
import type { Participant, Validators } from '../../schemas/index.ts';
import { CONFIG_SCHEMA, type Config, type DeliveryConfig, type DeliveryPolicy, type PeerConfig } from './schema.ts';

export type { Config, DeliveryConfig, DeliveryPolicy, Exemption, ParticipantDelivery, PeerConfig, Role, TlsFiles, TrustConfig } from './schema.ts';

/** The configuration could not be used; `problems` says what to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the configuration key each sets. */
export const ENVIRONMENT = {
  RG_HOST: 'host',
  RG_PORT: 'port',
  RG_PUBLIC_URL: 'publicUrl',
  RG_DATA_DIR: 'dataDir',
  RG_DATABASE_URL: 'databaseUrl',
  RG_LOG_LEVEL: 'logLevel',
  RG_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  RG_REDIS_URL: 'redisUrl',
  RG_ROLES: 'roles',
  RG_DEMO_AGENCIES: 'demoAgencies',
  RG_DEMO_PROTOCOLS: 'demoProtocols',
  RG_GATEWAY_NAME: 'gatewayName',
  RG_PSEUDONYM_KEY_FILE: 'pseudonymKeyFile',
} as const;

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Usually `process.env`. `RG_CONFIG` names a JSON file read first. */
  env?: Record<string, string | undefined>;
  /** Values that win over file and environment (tests). */
  overrides?: Record<string, unknown>;
  /** Checks each participant against the contract's `Participant` schema. */
  validators: Validators;
  /** The adapters this build has: checks each participant's adapter settings (filling their defaults). */
  adapters: AdapterCatalogue;
  /** What applies when the configuration names none (the demo participants on embedded defaults). */
  defaults?: { participants?: readonly Participant[]; devAdministrators?: Config['devAdministrators'] };
}

/**
 * Problems (`/pointer message`) with one participant's delivery settings: its adapter must be
 * registered and the settings must fit the adapter's schema (their defaults are filled in).
 * The same check for the configuration at start and for an operator's change at run time.
 */
export function deliveryProblems(delivery: { adapter?: unknown; settings?: unknown }, adapters: AdapterCatalogue): string[] {
  // Each adapter says what its settings look like; defaults are filled in here.
  const adapter = (delivery.adapter as string | undefined) ?? adapters.defaultAdapter;
  if (!adapters.names.includes(adapter)) return [`/adapter names no registered adapter (${adapter}); registered: ${adapters.names.join(', ')}`];
  return adapters.checkSettings(adapter, (delivery.settings ??= {}) as Record<string, unknown>).map((problem) => `/settings${problem}`);
}

/** The adapters the configuration may name; the app passes the registry's. */
export interface AdapterCatalogue {
  /** The adapter of a pushing participant that names none. */
  readonly defaultAdapter: string;
  /** The registered adapters' names. */
  readonly names: readonly string[];
  /** Problems (`/pointer message`) with `settings` for adapter `name`, its defaults filled in; one problem when no such adapter is registered. */
  checkSettings(name: string, settings: Record<string, unknown>): string[];
}

/** The retry and expiry policy for deliveries to `participantId`: its own settings over the defaults. */
export function deliveryPolicy(config: Config, participantId: string): DeliveryPolicy {
  return policyWith(config.delivery, config.delivery.participants[participantId]);
}

/** The policy of a participant whose own settings are `own`, over the defaults under `delivery`. */
export function policyWith(defaults: DeliveryConfig, own: Partial<DeliveryPolicy> | undefined): DeliveryPolicy {
  const { attempts, backoffMs, maxBackoffMs, ttlSeconds, timeoutMs, concurrency } = defaults;
  return {
    attempts: own?.attempts ?? attempts,
    backoffMs: own?.backoffMs ?? backoffMs,
    maxBackoffMs: own?.maxBackoffMs ?? maxBackoffMs,
    ttlSeconds: own?.ttlSeconds ?? ttlSeconds,
    timeoutMs: own?.timeoutMs ?? timeoutMs,
    concurrency: own?.concurrency ?? concurrency,
  };
}

/**
 * Builds the configuration: defaults, then the `RG_CONFIG` file, then `RG_*` variables,
 * then `overrides`. Unknown keys, wrong types and invalid participants stop the start.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const env = options.env ?? {};
  const raw: Record<string, unknown> = {};
  if (env.RG_CONFIG) Object.assign(raw, readConfigFile(env.RG_CONFIG));
  for (const [variable, key] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    raw[key] = key === 'port' || key === 'bodyLimitBytes' ? toInteger(value)
      : key === 'roles' ? value.split(',').map((r) => r.trim())
      : key === 'demoAgencies' ? value === 'true' || (value === 'false' ? false : value)
      : value;
  }
  Object.assign(raw, options.overrides);
  raw.participants ??= structuredClone(options.defaults?.participants);
  // One more participant need not restate the others (the demo participants, on embedded defaults).
  if (Array.isArray(raw.addParticipants) && Array.isArray(raw.participants)) raw.participants = [...raw.participants, ...raw.addParticipants];
  delete raw.addParticipants;
  raw.devAdministrators ??= structuredClone(options.defaults?.devAdministrators) ?? [];

  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, strictRequired: false });
  const validate = ajv.compile(CONFIG_SCHEMA);
  if (!validate(raw)) {
    throw new ConfigError(
      (validate.errors ?? []).map((e) => {
        const extra = (e.params as { additionalProperty?: string }).additionalProperty;
        return extra ? `unknown key "${extra}"${e.instancePath ? ` in ${e.instancePath}` : ''}` : `${e.instancePath || '/'} ${e.message}`;
      }),
    );
  }
  const problems: string[] = [];
  const participants = raw.participants as Participant[];
  const checkParticipant = options.validators.schema('Participant');
  participants.forEach((participant, index) => {
    for (const v of checkParticipant(participant)) problems.push(`/participants/${index}${v.pointer} ${v.message}`);
  });
  const ids = participants.map((p) => p.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`participant ${id} is listed twice`);

  if (!ids.includes(raw.childProtectionParticipant as string)) {
    problems.push(`childProtectionParticipant ${String(raw.childProtectionParticipant)} is not a configured participant (every case about a child goes to it)`);
  }
  // A participant abroad is reached through its peer gateway, with the `peer` adapter, unless configured otherwise.
  const deliveries = (raw.delivery as { participants: Record<string, Record<string, unknown>> }).participants;
  const peerNames = new Set<string>();
  for (const peer of raw.peers as PeerConfig[]) {
    if (peerNames.has(peer.name)) problems.push(`peer ${peer.name} is listed twice`);
    peerNames.add(peer.name);
    if (peer.name === raw.gatewayName) problems.push(`peer ${peer.name} has this gateway's own name`);
    for (const id of peer.participants) {
      if (!ids.includes(id)) problems.push(`peer ${peer.name}: ${id} is not a configured participant`);
      else deliveries[id] ??= { mode: 'push', adapter: 'peer', endpoint: peer.endpoint };
    }
  }
  for (const [id, delivery] of Object.entries(deliveries)) {
    if (!ids.includes(id)) problems.push(`/delivery/participants/${id} is not a configured participant`);
    problems.push(...deliveryProblems(delivery, options.adapters).map((p) => `/delivery/participants/${id}${p}`));
  }
  const mailTo = (raw.alerts as { email?: { to: Record<string, string[]> } }).email?.to ?? {};
  for (const id of Object.keys(mailTo)) {
    if (!ids.includes(id)) problems.push(`/alerts/email/to/${id} is not a configured participant`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = raw.port as number;
  // Gateways sharing a store share queues (they are one gateway scaled out); any other two never do.
  const store = (raw.databaseUrl as string | undefined) ?? resolve(raw.dataDir as string);
  const queuePrefix = (raw.queuePrefix as string | undefined) ?? `rg-${raw.gatewayName as string}-${createHash('sha256').update(store).digest('hex').slice(0, 8)}`;
  return deepFreeze({
    ...(raw as unknown as Config),
    queuePrefix,
    dataDir: resolve(raw.dataDir as string),
    publicUrl: (raw.publicUrl as string | undefined) ?? `https://localhost:${port}`,
    demoAgencies: (raw.demoAgencies as boolean | undefined) ?? raw.tls === undefined,
    demoPartner: (raw.demoPartner as boolean | undefined) ?? (((raw.demoAgencies as boolean | undefined) ?? raw.tls === undefined) && raw.demoProtocols === 'native'),
  });
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`RG_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`RG_CONFIG: ${path} is not a JSON object (${(error as Error).message})`]);
  }
}

function toInteger(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value; // a non-number is reported by the schema
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Where the web console is, as links in alerts (e-mail, webhooks, the API) point to it. */
export function consoleUrlOf(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}/console/`;
}
