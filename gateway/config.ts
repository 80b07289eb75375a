/** The gateway's one configuration object: read from environment and an optional file, validated, frozen. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ADAPTERS, checkAdapterSettings, DEFAULT_ADAPTER } from '../adapters/registry.ts';
import { DATA_CATEGORIES, type DataCategory, type Participant, type ParticipantKind } from '../schemas/index.ts';
import type { Validators } from '../schemas/index.ts';
import { DEMO_ADMINISTRATORS, DEMO_PARTICIPANTS } from './demo-participants.ts';

/** Files holding the gateway's TLS material (production). Absent: a development PKI is created under `dataDir/certs`. */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The gateway's client certificate, presented to recipients' endpoints and webhooks. */
  clientCertFile: string;
  clientKeyFile: string;
  /** The CA's private key: issues certificates and signs the CRL. */
  caKeyFile: string;
  /** A file holding the passphrase of an encrypted CA key. */
  caKeyPassphraseFile?: string;
  /** The gateway's seal certificate and key: signs seals and acceptance receipts. */
  sealCertFile: string;
  sealKeyFile: string;
}

/** Certificate policy. */
export interface TrustConfig {
  /** Validity of certificates issued from CSRs, per subject kind (never beyond the CA's own). */
  readonly validityDays: Readonly<Record<'participant' | 'adapter' | 'administrator', number>>;
  /** Certificates expiring within this many days are listed, counted in metrics and logged. */
  readonly expiryWarningDays: number;
  /** A renewed certificate's predecessor stays valid this long, then is revoked as superseded. */
  readonly rotationOverlapDays: number;
  /** `nextUpdate` of the CRL is this far after `thisUpdate`. */
  readonly crlValidityHours: number;
  /** How far a signer's `sigT` may be ahead of the gateway's clock. */
  readonly clockSkewSeconds: number;
  /** How often each process reloads the revocation list (another process may have revoked). */
  readonly revocationRefreshMs: number;
}

/** The exemptions a sender may state instead of a consent (DESIGN §6). */
export type Exemption = 'child-protection' | 'vital-interest' | 'criminal-proceedings' | 'legal-obligation';

const KINDS = ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator', 'ngo', 'foreign-partner'] as const;

/** What one process does; run several processes with different roles to scale out. */
export type Role = 'api' | 'relay' | 'worker';

/** Retry and expiry settings, per participant or as defaults. */
export interface DeliveryPolicy {
  /** Attempts before a delivery is dead-lettered. */
  readonly attempts: number;
  /** First retry delay; doubles each attempt, with jitter. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** An unsent delivery expires this long after acceptance. */
  readonly ttlSeconds: number;
  /** One attempt's time limit. */
  readonly timeoutMs: number;
  /** Deliveries to one recipient in flight at once, per worker process. */
  readonly concurrency: number;
}

/** How one participant receives: pushed to its endpoint by an adapter, or pulled from the inbox. */
export interface ParticipantDelivery extends Partial<DeliveryPolicy> {
  readonly mode: 'push' | 'pull';
  /** A registered adapter (`adapters/registry.ts`); `https-json` when absent. */
  readonly adapter?: string;
  /** Where the agency system is: `https://…`, or `sftp://…` for file exchange. */
  readonly endpoint?: string;
  /** The adapter's own settings, checked against its `settingsSchema`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * The adapter's certificate for intake (what the agency system sends, and its receipts):
   * issued for `kind: adapter`, naming the participant. On embedded defaults the development
   * PKI's certificate for the participant is used.
   */
  readonly intake?: { readonly certFile: string; readonly keyFile: string };
}

/** Queued delivery settings. */
export interface DeliveryConfig extends DeliveryPolicy {
  /** How long a worker may hold a job before it is considered stalled and given to another. */
  readonly lockDurationMs: number;
  /** How often the relay looks at the outbox when nothing nudged it. */
  readonly relayIntervalMs: number;
  /** How often the reconciler looks for deliveries that lost their job, and for expired ones. */
  readonly reconcileIntervalMs: number;
  /** A delivery unchanged for this long without a job gets one again. */
  readonly reconcileQuietMs: number;
  /** Per participant; a participant not listed pulls from the inbox. */
  readonly participants: Readonly<Record<string, ParticipantDelivery>>;
}

/** A peer gateway in a partner country. */
export interface PeerConfig {
  /** Its name in its certificates (`urn:nrm:gateway:<name>`). */
  readonly name: string;
  /** Its CA certificate: trusted for this peer's gateway certificates only, never for participants. */
  readonly caFile: string;
  /** Its base URL, e.g. `https://gateway.nrm.hu`. */
  readonly endpoint: string;
  /** The participants reached through it; each must be a configured participant. */
  readonly participants: readonly string[];
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
  /** Redis for the queues. Absent: 127.0.0.1:6379 if it answers, else a private `redis-server` under `dataDir/redis`. */
  readonly redisUrl?: string;
  readonly roles: readonly Role[];
  readonly delivery: DeliveryConfig;
  readonly trust: TrustConfig;
  /** Which participant kinds may invoke each exemption as the legal basis of an exchange. */
  readonly exemptions: Readonly<Record<Exemption, readonly ParticipantKind[]>>;
  /** The data categories an exemption releases to each kind of participant (a consent releases what it names). */
  readonly exemptionCategories: Readonly<Record<ParticipantKind, readonly DataCategory[]>>;
  /** The participant added to every exchange about a child (DESIGN §6); must be a configured participant. */
  readonly childProtectionParticipant: string;
  /** This gateway's name in its certificates (`urn:nrm:gateway:<name>`): what peer gateways abroad know it by. */
  readonly gatewayName: string;
  /** Gateways abroad (TRM) whose CA is explicitly trusted, and the participants reached through each. */
  readonly peers: readonly PeerConfig[];
  /** A file holding the pseudonym key (32 bytes or more, e.g. base64 of random bytes). Required with `tls`; absent on embedded defaults: the well-known development key. */
  readonly pseudonymKeyFile?: string;
  /** Run simulated agency systems for the demo participants (development only). Defaults to true without `tls`. */
  readonly demoAgencies: boolean;
  /** What the demo agencies speak: each agency's own protocol through its adapter (`native`), or all the reference `https-json`. */
  readonly demoProtocols: 'native' | 'https-json';
  /** Run a second, partner gateway abroad in the same process for the demo's TRM participants. Defaults to true with native demo agencies. */
  readonly demoPartner: boolean;
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

const POLICY_PROPERTIES = {
  attempts: { type: 'integer', minimum: 1, maximum: 100 },
  backoffMs: { type: 'integer', minimum: 10, maximum: 3_600_000 },
  maxBackoffMs: { type: 'integer', minimum: 10, maximum: 86_400_000 },
  ttlSeconds: { type: 'integer', minimum: 1, maximum: 31_536_000 },
  timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
  concurrency: { type: 'integer', minimum: 1, maximum: 256 },
} as const;

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'dataDir', 'logLevel', 'bodyLimitBytes', 'participants', 'devAdministrators', 'roles', 'delivery', 'trust', 'exemptions', 'exemptionCategories', 'childProtectionParticipant'],
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
      required: ['caFile', 'certFile', 'keyFile', 'clientCertFile', 'clientKeyFile', 'caKeyFile', 'sealCertFile', 'sealKeyFile'],
      properties: {
        caFile: { type: 'string' }, certFile: { type: 'string' }, keyFile: { type: 'string' },
        clientCertFile: { type: 'string' }, clientKeyFile: { type: 'string' },
        caKeyFile: { type: 'string' }, caKeyPassphraseFile: { type: 'string' },
        sealCertFile: { type: 'string' }, sealKeyFile: { type: 'string' },
      },
    },
    trust: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        validityDays: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            participant: { type: 'integer', minimum: 1, maximum: 825, default: 397 },
            adapter: { type: 'integer', minimum: 1, maximum: 825, default: 397 },
            administrator: { type: 'integer', minimum: 1, maximum: 825, default: 90 },
          },
        },
        expiryWarningDays: { type: 'integer', minimum: 1, maximum: 365, default: 30 },
        rotationOverlapDays: { type: 'integer', minimum: 0, maximum: 90, default: 14 },
        crlValidityHours: { type: 'integer', minimum: 1, maximum: 720, default: 24 },
        clockSkewSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 300 },
        revocationRefreshMs: { type: 'integer', minimum: 50, maximum: 60_000, default: 1000 },
      },
    },
    redisUrl: { type: 'string', pattern: '^rediss?://' },
    pseudonymKeyFile: { type: 'string', minLength: 1 },
    childProtectionParticipant: { type: 'string', default: 'BG-SACP' },
    gatewayName: { type: 'string', pattern: '^[a-z][a-z0-9-]{2,40}$', default: 'referral-gateway' },
    peers: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'caFile', 'endpoint', 'participants'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9-]{2,40}$' },
          caFile: { type: 'string', minLength: 1 },
          endpoint: { type: 'string', pattern: '^https://' },
          participants: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' } },
        },
      },
    },
    exemptionCategories: {
      type: 'object',
      additionalProperties: false,
      default: {},
      // NGO service providers get no criminal-proceedings details under an exemption; a
      // consent that names legal-proceedings for them releases it.
      properties: Object.fromEntries(KINDS.map((kind) => [kind, {
        type: 'array', uniqueItems: true, items: { enum: DATA_CATEGORIES },
        default: kind === 'ngo' ? DATA_CATEGORIES.filter((c) => c !== 'legal-proceedings') : [...DATA_CATEGORIES],
      }])),
    },
    exemptions: {
      type: 'object',
      additionalProperties: false,
      // Only the police and prosecution invoke criminal proceedings; the bodies the NRM charges
      // with protection invoke child protection and legal obligations; anyone may act to save a life.
      default: {},
      properties: {
        'child-protection': { type: 'array', uniqueItems: true, items: { enum: KINDS }, default: ['child-protection', 'law-enforcement', 'social-assistance', 'coordinator'] },
        'vital-interest': { type: 'array', uniqueItems: true, items: { enum: KINDS }, default: [...KINDS] },
        'criminal-proceedings': { type: 'array', uniqueItems: true, items: { enum: KINDS }, default: ['law-enforcement'] },
        'legal-obligation': { type: 'array', uniqueItems: true, items: { enum: KINDS }, default: ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator'] },
      },
    },
    roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['api', 'relay', 'worker'] }, default: ['api', 'relay', 'worker'] },
    demoAgencies: { type: 'boolean' },
    demoProtocols: { enum: ['native', 'https-json'], default: 'native' },
    demoPartner: { type: 'boolean' },
    delivery: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        attempts: { ...POLICY_PROPERTIES.attempts, default: 8 },
        backoffMs: { ...POLICY_PROPERTIES.backoffMs, default: 1000 },
        maxBackoffMs: { ...POLICY_PROPERTIES.maxBackoffMs, default: 600_000 },
        ttlSeconds: { ...POLICY_PROPERTIES.ttlSeconds, default: 604_800 },
        timeoutMs: { ...POLICY_PROPERTIES.timeoutMs, default: 15_000 },
        concurrency: { ...POLICY_PROPERTIES.concurrency, default: 8 },
        lockDurationMs: { type: 'integer', minimum: 1000, maximum: 600_000, default: 30_000 },
        relayIntervalMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 200 },
        reconcileIntervalMs: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 15_000 },
        reconcileQuietMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 10_000 },
        participants: {
          type: 'object',
          default: {},
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['mode'],
            properties: {
              mode: { enum: ['push', 'pull'] },
              adapter: { enum: Object.keys(ADAPTERS) },
              endpoint: { type: 'string', pattern: '^(https|sftp)://' },
              settings: { type: 'object' },
              intake: {
                type: 'object',
                additionalProperties: false,
                required: ['certFile', 'keyFile'],
                properties: { certFile: { type: 'string', minLength: 1 }, keyFile: { type: 'string', minLength: 1 } },
              },
              ...POLICY_PROPERTIES,
            },
            if: { properties: { mode: { const: 'push' } } },
            then: { required: ['endpoint'] },
          },
        },
      },
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
}

/** The retry and expiry policy for deliveries to `participantId`: its own settings over the defaults. */
export function deliveryPolicy(config: Config, participantId: string): DeliveryPolicy {
  const { attempts, backoffMs, maxBackoffMs, ttlSeconds, timeoutMs, concurrency } = config.delivery;
  const own = config.delivery.participants[participantId];
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
  raw.participants ??= structuredClone(DEMO_PARTICIPANTS);
  raw.devAdministrators ??= structuredClone(DEMO_ADMINISTRATORS);

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
    // Each adapter says what its settings look like; defaults are filled in here.
    for (const problem of checkAdapterSettings((delivery.adapter as string | undefined) ?? DEFAULT_ADAPTER, (delivery.settings ??= {}) as Record<string, unknown>)) {
      problems.push(`/delivery/participants/${id}/settings${problem}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = raw.port as number;
  return deepFreeze({
    ...(raw as unknown as Config),
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
