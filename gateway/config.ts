/** The gateway's one configuration object: read from environment and an optional file, validated, frozen. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Participant } from '../schemas/index.ts';
import type { Validators } from '../schemas/index.ts';
import { DEMO_ADMINISTRATORS, DEMO_PARTICIPANTS } from './demo-participants.ts';

/** Files holding the gateway's TLS material (production). Absent: a development PKI is created under `dataDir/certs`. */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** The validated configuration. Frozen; passed to whatever needs it. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** Base of tracking URLs, e.g. `https://gateway.nrm.bg`. Defaults to `https://localhost:<port>`. */
  readonly publicUrl: string;
  /** Embedded data (PGlite, development certificates) lives here. */
  readonly dataDir: string;
  /** PostgreSQL connection string; absent: embedded PGlite under `dataDir/pglite`. */
  readonly databaseUrl?: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
  readonly tls?: Readonly<TlsFiles>;
  readonly participants: readonly Participant[];
  /** Administrators the development PKI issues certificates for. */
  readonly devAdministrators: ReadonlyArray<{ readonly name: string; readonly roles: readonly string[] }>;
}

/** The configuration could not be used; `problems` says what to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'dataDir', 'logLevel', 'bodyLimitBytes', 'participants', 'devAdministrators'],
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 8443 },
    publicUrl: { type: 'string', pattern: '^https://[^/]+$' },
    dataDir: { type: 'string', minLength: 1, default: './var' },
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    logLevel: { enum: LOG_LEVELS, default: 'info' },
    bodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 67108864, default: 1048576 },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['caFile', 'certFile', 'keyFile'],
      properties: { caFile: { type: 'string' }, certFile: { type: 'string' }, keyFile: { type: 'string' } },
    },
    participants: { type: 'array', minItems: 1, items: { type: 'object' } },
    devAdministrators: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'roles'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9-]{2,40}$' },
          roles: { type: 'array', items: { enum: ['certificate-officer', 'consent-officer', 'operator', 'auditor'] } },
        },
      },
    },
  },
} as const;

/** Environment variables and the configuration key each sets. */
export const ENVIRONMENT = {
  RG_HOST: 'host',
  RG_PORT: 'port',
  RG_PUBLIC_URL: 'publicUrl',
  RG_DATA_DIR: 'dataDir',
  RG_DATABASE_URL: 'databaseUrl',
  RG_LOG_LEVEL: 'logLevel',
  RG_BODY_LIMIT_BYTES: 'bodyLimitBytes',
} as const;

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Usually `process.env`. `RG_CONFIG` names a JSON file read first. */
  env?: Record<string, string | undefined>;
  /** Values that win over file and environment (tests). */
  overrides?: Record<string, unknown>;
  /** Checks each participant against the contract's `Participant` schema. */
  validators: Validators;
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
    raw[key] = key === 'port' || key === 'bodyLimitBytes' ? toInteger(value) : value;
  }
  Object.assign(raw, options.overrides);
  raw.participants ??= structuredClone(DEMO_PARTICIPANTS);
  raw.devAdministrators ??= structuredClone(DEMO_ADMINISTRATORS);

  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
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
  if (problems.length > 0) throw new ConfigError(problems);

  const port = raw.port as number;
  return deepFreeze({
    ...(raw as unknown as Config),
    dataDir: resolve(raw.dataDir as string),
    publicUrl: (raw.publicUrl as string | undefined) ?? `https://localhost:${port}`,
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
