/** The configuration's JSON Schema, and the types derived from it: one source for what is allowed and what the code reads. */
import type { FromSchema } from 'json-schema-to-ts';
import type { Participant } from '../../schemas/index.ts';

const KINDS = ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator', 'ngo', 'foreign-partner'] as const;
const CATEGORIES = ['identity', 'contact', 'location', 'health', 'exploitation', 'needs-and-services', 'legal-proceedings', 'family'] as const;
const ADMIN_ROLES = ['certificate-officer', 'consent-officer', 'operator', 'auditor', 'statistician'] as const;
const NAME = { type: 'string', pattern: '^[a-z][a-z0-9-]{2,40}$' } as const;
const KIND_LIST = (defaults: readonly (typeof KINDS)[number][]) => ({ type: 'array', uniqueItems: true, items: { enum: KINDS }, default: defaults }) as const;
const CATEGORY_LIST = (defaults: readonly (typeof CATEGORIES)[number][]) => ({ type: 'array', uniqueItems: true, items: { enum: CATEGORIES }, default: defaults }) as const;
// NGO service providers get no criminal-proceedings details under an exemption; a consent that names legal-proceedings for them releases it.
const ALL_BUT_PROCEEDINGS = CATEGORIES.filter((c) => c !== 'legal-proceedings');
const PROTECTING_BODIES = ['law-enforcement', 'child-protection', 'social-assistance', 'coordinator'] as const;

/** Retry and expiry settings: per participant, or as the defaults under `delivery`. */
const POLICY_PROPERTIES = {
  attempts: { type: 'integer', minimum: 1, maximum: 100, description: 'Attempts before a delivery is dead-lettered.' },
  backoffMs: { type: 'integer', minimum: 10, maximum: 3_600_000, description: 'First retry delay; doubles each attempt, with jitter.' },
  maxBackoffMs: { type: 'integer', minimum: 10, maximum: 86_400_000 },
  ttlSeconds: { type: 'integer', minimum: 1, maximum: 31_536_000, description: 'An unsent delivery expires this long after acceptance.' },
  timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000, description: 'One attempt\'s time limit.' },
  concurrency: { type: 'integer', minimum: 1, maximum: 256, description: 'Deliveries to one recipient in flight at once, per worker process.' },
} as const;

/** The configuration's schema: unknown keys are refused, defaults filled in. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'dataDir', 'logLevel', 'bodyLimitBytes', 'showOtherRecipients', 'limits', 'webhooks', 'participants', 'devAdministrators', 'roles', 'delivery', 'trust', 'audit', 'retention', 'coordination', 'alerts', 'statistics', 'exemptions', 'exemptionCategories', 'childProtectionParticipant', 'gatewayName', 'peers', 'demoProtocols'],
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 8443 },
    publicUrl: { type: 'string', pattern: '^https://[^/]+$', description: 'Base of tracking URLs, e.g. https://gateway.nrm.bg. Defaults to https://localhost:<port>.' },
    dataDir: { type: 'string', minLength: 1, default: './var', description: 'Embedded data (PGlite, development certificates, a private Redis) lives here.' },
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://', description: 'PostgreSQL connection string; absent: embedded PGlite under dataDir/pglite.' },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    bodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 67108864, default: 1048576, description: 'Largest accepted request body.' },
    showOtherRecipients: { type: 'boolean', default: false, description: 'Whether a recipient\'s copy and tracking view list the other recipients of an exchange; each always sees only its own legal basis.' },
    webhooks: {
      type: 'object',
      description: 'Participants\' webhooks: how many each may register, and which non-public destinations an operator allows (docs/security.md).',
      additionalProperties: false,
      default: {},
      required: ['perParticipant', 'allowPrivate'],
      properties: {
        perParticipant: { type: 'integer', minimum: 0, maximum: 100, default: 5 },
        allowPrivate: {
          type: 'object',
          default: {},
          description: 'Per participant id: CIDR ranges (10.20.0.0/16) or host names its webhooks may reach although they are not public.',
          additionalProperties: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 } },
        },
      },
    },
    limits: {
      type: 'object',
      description: 'What one caller, and all together, may hold of this process (docs/security.md).',
      additionalProperties: false,
      default: {},
      required: ['heldPerCertificate', 'heldTotal', 'headersTimeoutMs', 'requestTimeoutMs', 'requestsPerSecond', 'burst', 'pseudonymsPerHour'],
      properties: {
        requestsPerSecond: { type: 'integer', minimum: 1, maximum: 1000000, default: 500, description: 'Requests per second one certificate may make to /v1, on average; more are answered 429.' },
        burst: { type: 'integer', minimum: 1, maximum: 10000000, default: 1000, description: 'Requests one certificate may make at once above the rate.' },
        pseudonymsPerHour: { type: 'integer', minimum: 1, maximum: 1000000, default: 120, description: 'Pseudonyms one certificate may have computed per hour (POST /v1/pseudonyms).' },
        heldPerCertificate: { type: 'integer', minimum: 1, maximum: 1000, default: 8, description: 'Event streams and waiting long polls one certificate may hold open at once; more are answered 429.' },
        heldTotal: { type: 'integer', minimum: 1, maximum: 100000, default: 400, description: 'Event streams and waiting long polls of all callers together.' },
        headersTimeoutMs: { type: 'integer', minimum: 500, maximum: 120000, default: 10000, description: 'Time a client has to send a request\'s headers.' },
        requestTimeoutMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 30000, description: 'Time a client has to send a whole request, body included (not the answer: long polls and streams are not cut).' },
      },
    },
    tls: {
      type: 'object',
      description: 'Files holding the gateway\'s TLS material (production). Absent: a development PKI is created under dataDir/certs.',
      additionalProperties: false,
      required: ['caFile', 'certFile', 'keyFile', 'clientCertFile', 'clientKeyFile', 'caKeyFile', 'sealCertFile', 'sealKeyFile'],
      properties: {
        caFile: { type: 'string' }, certFile: { type: 'string' }, keyFile: { type: 'string' },
        clientCertFile: { type: 'string', description: 'The gateway\'s client certificate, presented to recipients\' endpoints and webhooks.' },
        clientKeyFile: { type: 'string' },
        caKeyFile: { type: 'string', description: 'The CA\'s private key: issues certificates and signs the CRL.' },
        caKeyPassphraseFile: { type: 'string', description: 'A file holding the passphrase of an encrypted CA key.' },
        sealCertFile: { type: 'string', description: 'The gateway\'s seal certificate: signs seals and acceptance receipts.' },
        sealKeyFile: { type: 'string' },
      },
    },
    audit: {
      type: 'object',
      description: 'The tamper-evident audit log (docs/audit.md).',
      additionalProperties: false,
      default: {},
      required: ['chainIntervalMs', 'checkpointIntervalMs'],
      properties: {
        chainIntervalMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 1000, description: 'How often new entries are chained into the tree: the most the log lags the changes it records.' },
        checkpointIntervalMs: { type: 'integer', minimum: 1000, maximum: 86_400_000, default: 300_000, description: 'A signed checkpoint at most this often, when the log grew.' },
        timestamping: {
          type: 'object',
          description: 'An RFC 3161 time-stamping authority that timestamps every checkpoint (docs/audit.md#timestamps). None by default.',
          additionalProperties: false,
          required: ['url', 'caFile'],
          properties: {
            url: { type: 'string', pattern: '^https?://', description: 'Where timestamp queries are POSTed (application/timestamp-query).' },
            caFile: { type: 'string', description: 'PEM certificate(s) the TSA\'s signing certificate must chain to.' },
            timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000 },
          },
        },
      },
    },
    retention: {
      type: 'object',
      description: 'How long payloads are kept (docs/audit.md#retention).',
      additionalProperties: false,
      default: {},
      required: ['payloadDays', 'purgeIntervalMs'],
      properties: {
        payloadDays: {
          type: 'object',
          description: 'Days after an exchange\'s last delivery finished before its payload is purged, per message type; `default` for the types not named.',
          additionalProperties: false,
          default: {},
          required: ['default'],
          properties: {
            default: { type: 'integer', minimum: 1, maximum: 36_500, default: 90 },
            alert: { type: 'integer', minimum: 1, maximum: 36_500 },
            referral: { type: 'integer', minimum: 1, maximum: 36_500 },
            'referral-response': { type: 'integer', minimum: 1, maximum: 36_500 },
            'case-transfer': { type: 'integer', minimum: 1, maximum: 36_500 },
            'case-update': { type: 'integer', minimum: 1, maximum: 36_500 },
          },
        },
        purgeIntervalMs: { type: 'integer', minimum: 60_000, maximum: 86_400_000, default: 3_600_000, description: 'How often the relay purges what is due.' },
      },
    },
    coordination: {
      type: 'object',
      description: 'Deadline clocks of case threads (docs/coordination.md#clocks).',
      additionalProperties: false,
      default: {},
      required: ['respondWithinHours', 'reflectionReminderDays', 'guardianWithinDays', 'followUpMonths', 'safeReturnGraceDays', 'clockIntervalMs'],
      properties: {
        respondWithinHours: {
          type: 'object',
          description: 'When a referral without respondBy is due, by urgency: hours after acceptance.',
          additionalProperties: false,
          default: {},
          required: ['emergency', 'urgent', 'routine'],
          properties: {
            emergency: { type: 'integer', minimum: 1, maximum: 8760, default: 4 },
            urgent: { type: 'integer', minimum: 1, maximum: 8760, default: 24 },
            routine: { type: 'integer', minimum: 1, maximum: 8760, default: 120 },
          },
        },
        reflectionReminderDays: { type: 'integer', minimum: 0, maximum: 90, default: 7, description: 'The reminder comes this many days before a reflection period ends.' },
        guardianWithinDays: { type: 'integer', minimum: 1, maximum: 365, default: 3, description: 'Alert when a child still has no appointed guardian this many days after a message said so.' },
        followUpMonths: { type: 'array', minItems: 1, maxItems: 12, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 60 }, default: [3, 6, 12], description: 'Follow-ups due after a shelter exit, in months.' },
        safeReturnGraceDays: { type: 'integer', minimum: 0, maximum: 90, default: 1, description: 'Alert when a safe return is not reported this many days after its planned date.' },
        clockIntervalMs: { type: 'integer', minimum: 1000, maximum: 3_600_000, default: 60_000, description: 'How often the relay fires due clocks and sends alert e-mail.' },
      },
    },
    statistics: {
      type: 'object',
      description: 'National indicators and their disclosure control (docs/statistics.md).',
      additionalProperties: false,
      default: {},
      required: ['k', 'factsYears'],
      properties: {
        k: { type: 'integer', minimum: 11, maximum: 1000, default: 11, description: 'Cells of fewer persons are suppressed (with secondary suppression); never below 11, CTDC\'s threshold.' },
        factsYears: { type: 'integer', minimum: 1, maximum: 30, default: 5, description: 'Full calendar years after their own that the indicators\' facts are kept before the retention job deletes them (releases stay).' },
      },
    },
    alerts: {
      type: 'object',
      description: 'What raises alerts besides the clocks, and where alerts go besides GET /v1/alerts and webhooks (docs/coordination.md#alerts).',
      additionalProperties: false,
      default: {},
      required: ['retryingMinutes', 'expiringDays'],
      properties: {
        retryingMinutes: { type: 'integer', minimum: 1, maximum: 10_080, default: 30, description: 'Alert when a delivery still retries this long after acceptance (and when a peer gateway\'s do).' },
        expiringDays: { type: 'integer', minimum: 1, maximum: 365, default: 14, description: 'Alert when a participant\'s certificate or a consent ends within this many days.' },
        email: {
          type: 'object',
          additionalProperties: false,
          required: ['smtp', 'from', 'to'],
          properties: {
            smtp: {
              type: 'object',
              additionalProperties: false,
              required: ['host', 'port'],
              properties: {
                host: { type: 'string', minLength: 1 },
                port: { type: 'integer', minimum: 1, maximum: 65_535 },
                secure: { type: 'boolean', default: false, description: 'TLS from the start (port 465); otherwise STARTTLS when offered.' },
                user: { type: 'string' },
                passwordFile: { type: 'string', description: 'A file holding the SMTP password.' },
              },
            },
            from: { type: 'string', minLength: 3, description: 'The sender address, e.g. "Referral Gateway <alerts@gateway.nrm.bg>".' },
            to: {
              type: 'object',
              description: 'Each participant\'s addresses for its alerts: { "BG-NCCTHB": ["duty@nccthb.example"] }.',
              additionalProperties: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' } },
            },
          },
        },
      },
    },
    trust: {
      type: 'object',
      description: 'Certificate policy.',
      additionalProperties: false,
      default: {},
      required: ['validityDays', 'expiryWarningDays', 'rotationOverlapDays', 'crlValidityHours', 'clockSkewSeconds', 'revocationRefreshMs'],
      properties: {
        validityDays: {
          type: 'object',
          description: 'Validity of certificates issued from CSRs, per subject kind (never beyond the CA\'s own).',
          additionalProperties: false,
          default: {},
          required: ['participant', 'adapter', 'administrator'],
          properties: {
            participant: { type: 'integer', minimum: 1, maximum: 825, default: 397 },
            adapter: { type: 'integer', minimum: 1, maximum: 825, default: 397 },
            administrator: { type: 'integer', minimum: 1, maximum: 825, default: 90 },
          },
        },
        expiryWarningDays: { type: 'integer', minimum: 1, maximum: 365, default: 30, description: 'Certificates expiring within this many days are listed, counted in metrics and logged.' },
        rotationOverlapDays: { type: 'integer', minimum: 0, maximum: 90, default: 14, description: 'A renewed certificate\'s predecessor stays valid this long, then is revoked as superseded.' },
        crlValidityHours: { type: 'integer', minimum: 1, maximum: 720, default: 24, description: 'nextUpdate of the CRL is this far after thisUpdate.' },
        clockSkewSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 300, description: 'How far a signer\'s time, or a message\'s createdAt, may be ahead of the gateway\'s clock.' },
        revocationRefreshMs: { type: 'integer', minimum: 50, maximum: 60_000, default: 1000, description: 'How often each process reloads the revocation list (another process may have revoked).' },
      },
    },
    redisUrl: { type: 'string', pattern: '^(rediss?|redis-sentinel)://', description: 'Redis for the queues (`redis-sentinel://[:password@]host:port[,host:port…]/<master>` through Redis Sentinel). Absent: 127.0.0.1:6379 if it answers, else a private redis-server under dataDir/redis.' },
    queuePrefix: {
      type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,60}$',
      description: 'Key prefix of this gateway\'s queues in Redis. Default: derived from gatewayName and the store, so gateways sharing a Redis never share queues unless they share a store.',
    },
    pseudonymKeyFile: { type: 'string', minLength: 1, description: 'A file holding the pseudonym key (32 bytes or more). Required with tls; absent on embedded defaults: the well-known development key.' },
    childProtectionParticipant: { type: 'string', default: 'BG-SACP', description: 'The participant added to every exchange about a child (DESIGN §6); must be a configured participant.' },
    gatewayName: { ...NAME, default: 'referral-gateway', description: 'This gateway\'s name in its certificates (urn:nrm:gateway:<name>): what peer gateways abroad know it by.' },
    peers: {
      type: 'array',
      description: 'Gateways abroad (TRM) whose CA is explicitly trusted, and the participants reached through each.',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'caFile', 'endpoint', 'participants'],
        properties: {
          name: { ...NAME, description: 'Its name in its certificates (urn:nrm:gateway:<name>).' },
          caFile: { type: 'string', minLength: 1, description: 'Its CA certificate: trusted for this peer\'s gateway certificates only, never for participants.' },
          endpoint: { type: 'string', pattern: '^https://', description: 'Its base URL, e.g. https://gateway.nrm.hu.' },
          participants: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' }, description: 'The participants reached through it; each must be a configured participant.' },
        },
      },
    },
    exemptionCategories: {
      type: 'object',
      description: 'The data categories an exemption releases to each kind of participant (a consent releases what it names).',
      additionalProperties: false,
      default: {},
      required: [...KINDS],
      properties: {
        'law-enforcement': CATEGORY_LIST(CATEGORIES),
        'child-protection': CATEGORY_LIST(CATEGORIES),
        'social-assistance': CATEGORY_LIST(CATEGORIES),
        coordinator: CATEGORY_LIST(CATEGORIES),
        ngo: CATEGORY_LIST(ALL_BUT_PROCEEDINGS),
        'foreign-partner': CATEGORY_LIST(CATEGORIES),
      },
    },
    exemptions: {
      type: 'object',
      // Only the police and prosecution invoke criminal proceedings; the bodies the NRM charges
      // with protection invoke child protection and legal obligations; anyone may act to save a life.
      description: 'Which participant kinds may invoke each exemption as the legal basis of an exchange.',
      additionalProperties: false,
      default: {},
      required: ['child-protection', 'vital-interest', 'criminal-proceedings', 'legal-obligation'],
      properties: {
        // Partner authorities abroad (TRM) act under the same duties: their relayed envelopes may invoke these.
        'child-protection': KIND_LIST([...PROTECTING_BODIES, 'foreign-partner']),
        'vital-interest': KIND_LIST(KINDS),
        'criminal-proceedings': KIND_LIST(['law-enforcement']),
        'legal-obligation': KIND_LIST([...PROTECTING_BODIES, 'foreign-partner']),
      },
    },
    roles: {
      type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['api', 'relay', 'worker'] }, default: ['api', 'relay', 'worker'],
      description: 'What this process does; run several processes with different roles to scale out.',
    },
    demoAgencies: { type: 'boolean', description: 'Run simulated agency systems for the demo participants (development only). Defaults to true without tls.' },
    demoProtocols: { enum: ['native', 'https-json'], default: 'native', description: 'What the demo agencies speak: each agency\'s own protocol through its adapter, or all the reference https-json.' },
    demoPartner: { type: 'boolean', description: 'Run a second, partner gateway abroad in the same process for the demo\'s TRM participants. Defaults to true with native demo agencies.' },
    delivery: {
      type: 'object',
      description: 'Queued delivery settings.',
      additionalProperties: false,
      default: {},
      required: ['attempts', 'backoffMs', 'maxBackoffMs', 'ttlSeconds', 'timeoutMs', 'concurrency', 'lockDurationMs', 'relayIntervalMs', 'reconcileIntervalMs', 'reconcileQuietMs', 'participants'],
      properties: {
        attempts: { ...POLICY_PROPERTIES.attempts, default: 8 },
        backoffMs: { ...POLICY_PROPERTIES.backoffMs, default: 1000 },
        maxBackoffMs: { ...POLICY_PROPERTIES.maxBackoffMs, default: 600_000 },
        ttlSeconds: { ...POLICY_PROPERTIES.ttlSeconds, default: 604_800 },
        timeoutMs: { ...POLICY_PROPERTIES.timeoutMs, default: 15_000 },
        concurrency: { ...POLICY_PROPERTIES.concurrency, default: 8 },
        lockDurationMs: { type: 'integer', minimum: 1000, maximum: 600_000, default: 30_000, description: 'How long a worker may hold a job before it is considered stalled and given to another.' },
        relayIntervalMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 200, description: 'How often the relay looks at the outbox when nothing nudged it.' },
        reconcileIntervalMs: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 15_000, description: 'How often the reconciler looks for deliveries that lost their job, and for expired ones.' },
        reconcileQuietMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 10_000, description: 'A delivery unchanged for this long without a job gets one again.' },
        participants: {
          type: 'object',
          description: 'How each participant receives; a participant not listed pulls from the inbox.',
          default: {},
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['mode'],
            properties: {
              mode: { enum: ['push', 'pull'], description: 'Pushed to its endpoint by an adapter, or pulled from the inbox.' },
              adapter: { type: 'string', description: 'A registered adapter; https-json when absent.' },
              endpoint: { type: 'string', pattern: '^(https|sftp)://', description: 'Where the agency system is: https://…, or sftp://… for file exchange.' },
              settings: { type: 'object', description: 'The adapter\'s own settings, checked against its settingsSchema.' },
              intake: {
                type: 'object',
                description: 'The adapter\'s certificate for intake (what the agency system sends, and its receipts), issued for kind adapter. On embedded defaults the development PKI\'s certificate for the participant is used.',
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
    participants: { type: 'array', minItems: 1, items: { type: 'object' }, description: 'Who takes part; each checked against the contract\'s Participant schema.' },
    addParticipants: { type: 'array', items: { type: 'object' }, description: 'Participants added to `participants` (or to the demo participants when `participants` is not set): one more participant without restating the others.' },
    devAdministrators: {
      type: 'array',
      description: 'Administrators the development PKI issues certificates for.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'roles'],
        properties: { name: NAME, roles: { type: 'array', items: { enum: ADMIN_ROLES } } },
      },
    },
  },
} as const;

type DeepReadonly<T> = T extends (infer E)[] ? ReadonlyArray<DeepReadonly<E>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
type Parsed = FromSchema<typeof CONFIG_SCHEMA>;

/** The validated configuration. Frozen; passed to whatever needs it. */
export type Config = DeepReadonly<Omit<Parsed, 'publicUrl' | 'demoAgencies' | 'demoPartner' | 'participants' | 'addParticipants' | 'queuePrefix'> & {
  /** Always set: configured, or `https://localhost:<port>`. */
  publicUrl: string;
  demoAgencies: boolean;
  demoPartner: boolean;
  /** Always set: configured, or derived (see the schema). */
  queuePrefix: string;
}> & { readonly participants: readonly Participant[] };
/** Files holding the gateway's TLS material (production). */
export type TlsFiles = NonNullable<Config['tls']>;
/** Certificate policy. */
export type TrustConfig = Config['trust'];
/** Queued delivery settings. */
export type DeliveryConfig = Config['delivery'];
/** Retry and expiry settings, per participant or as defaults. */
export type DeliveryPolicy = Pick<DeliveryConfig, keyof typeof POLICY_PROPERTIES>;
/** How one participant receives. */
export type ParticipantDelivery = DeliveryConfig['participants'][string];
/** A peer gateway in a partner country. */
export type PeerConfig = Config['peers'][number];
/** What one process does. */
export type Role = Config['roles'][number];
/** The exemptions a sender may state instead of a consent (DESIGN §6). */
export type Exemption = keyof Config['exemptions'];
