/** Starts a gateway from configuration: store, TLS material, HTTP server. Used by `npm start`, the demo and the benchmarks. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientTls } from '../adapters/index.ts';
import { createAdapterBuilder, deliveryPlan } from './adapters.ts';
import { ensureDevelopmentPki, loadCertificateAuthority, type AdminRole } from '../certs/index.ts';
import { auditChaining, caseClocks, caseProjection, retentionPurge, resolveRedis, startQueues, trustMaintenance, type QueueSystem } from '../queues/index.ts';
import { sharedContract } from '../schemas/index.ts';
import { ConfigError, type Config } from '../gateway/index.ts';
import { ADAPTER_CATALOGUE, loadAppConfig } from './config.ts';
import { keepDataPrivate, lockDataDir } from './data-lock.ts';
import { DEVELOPMENT_PSEUDONYM_KEY } from '../gateway/consents/pseudonym.ts';
import { startDemoAgencies, type DemoAgency } from '../demo/agencies.ts';
import { partnerOverrides, planDemoPartner } from '../demo/partner.ts';
import { DEMO_CONSENT, DEMO_CONSENT_ID } from '../demo/participants.ts';
import { createGateway, type Authority, type Gateway, type TlsMaterial } from '../gateway/gateway.ts';
import { createPeers } from '../gateway/federation/peers.ts';
import { configuredTimestamper } from '../gateway/audit/timestamping.ts';
import { createLogger, type Logger } from '../gateway/logger.ts';
import { migrate, openDatabase, type Database } from '../gateway/store/index.ts';
import type { DestinationStream } from 'pino';

/** The web console as `npm run build:console` leaves it (npm start builds it first). */
const CONSOLE_ROOT = fileURLToPath(new URL('../console/dist/', import.meta.url));

/** A running gateway and what it owns. */
export interface RunningGateway {
  config: Config;
  url: string;
  gateway: Gateway;
  db: Database;
  logger: Logger;
  /** Where the development certificates are, when the development PKI is in use. */
  devCertsDir?: string;
  queues?: QueueSystem;
  /** The simulated agency systems of the demo participants, when they run. */
  agencies: Map<string, DemoAgency>;
  /** Graceful stop: no new connections, in-flight requests finish, then the store closes. */
  stop(): Promise<void>;
}

/** Options for {@link startGateway}. */
export interface StartOptions {
  env?: Record<string, string | undefined>;
  overrides?: Record<string, unknown>;
  logDestination?: DestinationStream;
}

/** Loads configuration and starts a gateway on it. */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const { contract, validators } = sharedContract();
  let config = loadAppConfig({ env: options.env ?? {}, ...(options.overrides ? { overrides: options.overrides } : {}), validators });
  // The demo's partner gateway abroad is known to this one before it starts (a peer's CA and address).
  const partnerPlan = await planDemoPartner(config);
  if (partnerPlan) config = loadAppConfig({ env: options.env ?? {}, overrides: { ...options.overrides, ...partnerPlan.mainOverrides }, validators });
  const logger = createLogger({ level: config.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });

  // Embedded data is case data: private to the gateway's user, however the folder came to be.
  keepDataPrivate(config.dataDir, logger);
  // The embedded database admits one process; a shared PostgreSQL admits many.
  const unlock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  if (!config.tls && !existsSync(join(config.dataDir, 'certs', 'ca.pem'))) {
    logger.info({ dir: join(config.dataDir, 'certs') }, 'first start: generating the development CA and certificates (this takes a few seconds)');
  }
  let tlsMaterial: ReturnType<typeof loadTls>;
  let db: Database;
  try {
    tlsMaterial = loadTls(config);
    db = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') });
  } catch (error) {
    unlock();
    throw error;
  }
  const { tls, clientTls, authority, devCertsDir, devIssued } = tlsMaterial;
  // Shutdown order: stop accepting requests, finish in-flight deliveries and close the
  // queues, stop the demo agencies, then Redis and the database. Steps not started are skipped.
  const shutdown: Record<'partner' | 'api' | 'queues' | 'intakes' | 'agencies' | 'trust' | 'redis' | 'db', (() => Promise<void>) | undefined> = {
    partner: undefined, api: undefined, queues: undefined, intakes: undefined, agencies: undefined, trust: undefined, redis: undefined,
    db: async () => {
      await db.close();
      unlock();
    },
  };
  const stopAll = async () => {
    for (const step of [shutdown.partner, shutdown.api, shutdown.queues, shutdown.intakes, shutdown.agencies, shutdown.trust, shutdown.redis, shutdown.db]) {
      await step?.().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied, store: db.kind }, 'store migrated');

    // Queues need Redis; a process that only serves the API does not.
    const runsQueues = config.roles.includes('relay') || config.roles.includes('worker');
    const redis = runsQueues ? await resolveRedis({ ...(config.redisUrl ? { url: config.redisUrl } : {}), dataDir: config.dataDir, logger }) : undefined;
    if (redis?.server) shutdown.redis = () => redis.server!.stop();
    if (redis) logger.info({ redis: redis.kind }, redis.kind === 'private' ? 'queues use a private redis-server (none configured, none on 127.0.0.1:6379)' : `queues use the ${redis.kind} Redis`);

    let queues: QueueSystem | undefined;
    const peers = createPeers(
      config.peers.map((peer) => ({ ...peer, caPem: readFileSync(peer.caFile, 'utf8') })),
      config.trust.clockSkewSeconds * 1000,
    );
    const gateway = createGateway(config, {
      peers,
      logger, db, tls, authority, contract, validators, adapters: ADAPTER_CATALOGUE, pseudonymKey: loadPseudonymKey(config), consoleRoot: CONSOLE_ROOT,
      ...configuredTimestamper(config.audit.timestamping),
      onAccepted: () => queues?.nudge(),
      ...(runsQueues ? { queuesReady: async () => { if (!queues) throw new Error('queues not started'); await queues.ready(); } } : {}),
    });
    // The gateway's own certificates (and the development PKI's) are recorded, so they can be listed and revoked.
    const own = [tls.certPem, clientTls.certPem, authority.seal.certPem];
    await gateway.trust.register([...new Set([...own, ...(devIssued ?? [])])].map((certPem) => ({ certPem, issuedBy: devIssued ? 'development-pki' : 'ca-cli' })));
    // On embedded defaults the consent the contract's examples name exists, so they are accepted as printed.
    if (!config.tls) await gateway.consents.seed(DEMO_CONSENT_ID, DEMO_CONSENT, 'development-seed');
    // The revocation list, before any listener (the API, an adapter's intake) takes a request.
    await gateway.start();
    shutdown.trust = async () => gateway.trust.stop();
    let url = 'not listening';
    if (config.roles.includes('api')) {
      url = await gateway.listen();
      shutdown.api = () => gateway.close();
    }

    // Simulated agency systems answer for demo participants configured nowhere else.
    let agencies = new Map<string, DemoAgency>();
    if (config.demoAgencies && config.roles.includes('api') && devCertsDir) {
      agencies = await startDemoAgencies({
        participants: config.participants.filter((p) => !config.delivery.participants[p.id]),
        protocols: config.demoProtocols, serverTls: tls, certsDir: devCertsDir, dataDir: config.dataDir, gatewayUrl: url.replace('127.0.0.1', 'localhost'),
      });
      const started = agencies;
      shutdown.agencies = async () => void (await Promise.all([...started.values()].map((a) => a.system.close())));
    }

    const overrides = new Map([...agencies].map(([id, agency]) => [id, { adapter: agency.adapter, endpoint: agency.endpoint, settings: agency.settings }]));
    if (redis) {
      // The workers build each adapter, and build it again when an operator changes its settings.
      const builder = config.roles.includes('worker') ? createAdapterBuilder({
        logger, clientTls, serverTls: tls, peers, checkCertificate: gateway.checkCertificate,
        // Adapters hand what their agency systems send to this gateway's own API, with their own certificate.
        intake: { gatewayUrl: config.roles.includes('api') ? url.replace('127.0.0.1', 'localhost') : config.publicUrl, tlsFor: (id) => intakeTls(config, tls.caPem, id, devCertsDir) },
      }) : undefined;
      shutdown.intakes = () => builder?.close() ?? Promise.resolve();
      queues = await startQueues(config, {
        db, logger, redisUrl: redis.url, clientTls, plan: deliveryPlan(config, gateway.registry, overrides),
        ...(builder ? { buildAdapter: builder.build } : {}),
        peers: { peers, sealer: gateway.trust.sealer },
        onDelivered: gateway.metrics.delivered,
        checkReceipt: gateway.checkReceipt,
        jobs: [
          trustMaintenance(gateway.trust), auditChaining(gateway.audit, config.audit.chainIntervalMs), caseProjection(gateway.coordination, config.audit.chainIntervalMs), caseClocks(gateway.coordination, config.coordination.clockIntervalMs), retentionPurge(gateway.retention, config.retention.purgeIntervalMs),
        ],
      });
      const started = queues;
      gateway.metrics.watchQueues(() => started.depths());
      shutdown.queues = () => started.stop();
      for (const [id, agency] of agencies) agency.system.intakeAt?.(() => started.adapter(id)?.intakeUrl);
      if (agencies.size > 0) writeDemoAgencies(config.dataDir, agencies, started);
    }
    if (partnerPlan && devCertsDir) {
      const partner = await startGateway({
        overrides: partnerOverrides(partnerPlan, { config, caFile: join(devCertsDir, 'ca.pem'), redisUrl: redis?.url }),
        ...(options.logDestination ? { logDestination: options.logDestination } : {}),
      });
      shutdown.partner = () => partner.stop();
      logger.info({ url: partner.url, gateway: partner.config.gatewayName }, 'demo partner gateway abroad started');
    }
    if (devCertsDir) writeDevProfile(devCertsDir, config.roles.includes('api') ? url.replace('127.0.0.1', 'localhost') : config.publicUrl);
    gateway.markStarted();
    logger.info({ url, store: db.kind, roles: config.roles, devCertsDir, demoAgencies: agencies.size }, 'gateway started');
    return {
      config, url, gateway, db, logger, agencies,
      ...(queues ? { queues } : {}),
      ...(devCertsDir ? { devCertsDir } : {}),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * `certs/profile.json`: the operator CLI's profile for the development administrator, so
 * `npm run rg -- --profile var/certs/profile.json …` works on embedded defaults.
 */
function writeDevProfile(certsDir: string, url: string): void {
  const profile = { url, caFile: 'ca.pem', certFile: 'clients/gateway-admin.pem', keyFile: 'clients/gateway-admin-key.pem' };
  writeFileSync(join(certsDir, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
}

/** `dataDir/demo-agencies.json`: where each demo agency's adapter listens, for `npm run demo` in another process. */
function writeDemoAgencies(dataDir: string, agencies: Map<string, DemoAgency>, queues: QueueSystem): void {
  const listing = Object.fromEntries([...agencies].map(([id, a]) => [id, {
    adapter: a.adapter, endpoint: a.endpoint, intakeUrl: queues.adapter(id)?.intakeUrl,
    ...(a.directory ? { directory: a.directory } : {}), ...(a.secretFile ? { secretFile: a.secretFile } : {}),
  }]));
  writeFileSync(join(dataDir, 'demo-agencies.json'), `${JSON.stringify(listing, null, 2)}\n`);
}

/** The certificate a participant's adapter uses for intake: configured, or on embedded defaults the development one. */
function intakeTls(config: Config, caPem: string, participantId: string, devCertsDir: string | undefined): ClientTls | undefined {
  const files = config.delivery.participants[participantId]?.intake;
  if (files) return { caPem, certPem: readFileSync(files.certFile, 'utf8'), keyPem: readFileSync(files.keyFile, 'utf8') };
  if (!devCertsDir) return undefined;
  const dir = join(devCertsDir, 'clients');
  // A participant added at run time has no development certificate: its adapter has no intake until one is configured.
  if (!existsSync(join(dir, `${participantId}.pem`))) return undefined;
  return { caPem, certPem: readFileSync(join(dir, `${participantId}.pem`), 'utf8'), keyPem: readFileSync(join(dir, `${participantId}-key.pem`), 'utf8') };
}

/**
 * The pseudonym key: from `pseudonymKeyFile` (base64 or raw, 32 bytes or more); on embedded
 * defaults (no `tls`) the well-known development key. Production must configure its own,
 * and must never change it: every subject's pseudonym depends on it.
 */
function loadPseudonymKey(config: Config): Buffer {
  if (!config.pseudonymKeyFile) {
    if (config.tls) throw new ConfigError(['pseudonymKeyFile is required with production TLS files (the development key is for embedded defaults only)']);
    return DEVELOPMENT_PSEUDONYM_KEY;
  }
  const text = readFileSync(config.pseudonymKeyFile, 'utf8').trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  if (key.length < 32) throw new ConfigError([`${config.pseudonymKeyFile}: the pseudonym key must hold at least 32 bytes`]);
  if (key.equals(DEVELOPMENT_PSEUDONYM_KEY)) throw new ConfigError([`${config.pseudonymKeyFile} holds the development pseudonym key`]);
  return key;
}

function loadTls(config: Config): { tls: TlsMaterial; clientTls: ClientTls; authority: Authority; devCertsDir?: string; devIssued?: string[] } {
  if (config.tls) {
    const files = config.tls;
    const ca = loadCertificateAuthority({
      certFile: files.caFile, keyFile: files.caKeyFile,
      ...(files.caKeyPassphraseFile ? { passphrase: readFileSync(files.caKeyPassphraseFile, 'utf8').trimEnd() } : {}),
    });
    return {
      tls: { caPem: ca.certPem, certPem: readFileSync(files.certFile, 'utf8'), keyPem: readFileSync(files.keyFile, 'utf8') },
      clientTls: { caPem: ca.certPem, certPem: readFileSync(files.clientCertFile, 'utf8'), keyPem: readFileSync(files.clientKeyFile, 'utf8') },
      authority: { ca, seal: { certPem: readFileSync(files.sealCertFile, 'utf8'), keyPem: readFileSync(files.sealKeyFile, 'utf8') } },
    };
  }
  const dir = join(config.dataDir, 'certs');
  const pki = ensureDevelopmentPki({
    dir,
    participants: config.participants,
    administrators: config.devAdministrators.map((a) => ({ name: a.name, roles: a.roles as AdminRole[] })),
    hostnames: ['localhost', '127.0.0.1', '::1'],
    gatewayName: config.gatewayName,
  });
  return {
    tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem },
    clientTls: { caPem: pki.ca.certPem, certPem: pki.gatewayClient.certPem, keyPem: pki.gatewayClient.keyPem },
    authority: { ca: pki.ca, seal: pki.seal },
    devCertsDir: dir,
    devIssued: pki.issued,
  };
}
