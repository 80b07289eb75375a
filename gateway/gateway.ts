/** `createGateway(config, deps)`: the Express app over HTTPS with mutual TLS. */
import { readFileSync } from 'node:fs';
import { randomUUID, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import https from 'node:https';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { buildCategoryMaps, categoriesPresent, type Contract, type DeliverySettings, type Validators } from '../schemas/index.ts';
import { consoleUrlOf, policyWith, type AdapterCatalogue, type Config } from './config/config.ts';
import { createDeliveryService, type DeliveryService } from './deliveries/delivery-service.ts';
import { createStatusFeed } from './deliveries/status-feed.ts';
import { createExchangeService } from './exchanges/exchange-service.ts';
import { createExemptionReviewService } from './exchanges/exemption-reviews.ts';
import { authenticate, createCertificateCheck, type CertificateCheck } from './http/authenticate.ts';
import { refuseForgeable } from './http/forgery.ts';
import { strictRouter } from './http/router.ts';
import { createHolds } from './http/holds.ts';
import { rateLimit } from './http/rate-limit.ts';
import { refuseUnstorableText } from './http/query.ts';
import { callerLabel, type Caller } from './access/caller.ts';
import { createRouteTemplates, mountContractFallbacks } from './http/contract-routes.ts';
import { problemHandler } from './http/problems.ts';
import type { Logger } from './logger.ts';
import { createLiveParticipantRegistry, type LiveParticipantRegistry } from './participants/participant-registry.ts';
import { createParticipantAdmin } from './participants/participant-admin.ts';
import { createPeers, type Peers } from './federation/peers.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { exchangeRoutes } from './http/routes/exchanges.ts';
import { operationRoutes } from './http/routes/operations.ts';
import { participantRoutes } from './http/routes/participants.ts';
import { receivingRoutes } from './http/routes/receiving.ts';
import { webhookRoutes } from './http/routes/webhooks.ts';
import { certificateRoutes, publicTrustRoutes } from './http/routes/certificates.ts';
import { consentRoutes } from './http/routes/consents.ts';
import { peerRoutes } from './http/routes/peer.ts';
import { meRoutes } from './http/routes/me.ts';
import { consoleRoutes } from './http/routes/console.ts';
import { auditRoutes } from './http/routes/audit.ts';
import { retentionRoutes } from './http/routes/retention.ts';
import { createRetention, type Retention } from './retention/retention.ts';
import { createSubjectAccess } from './audit/subject-access.ts';
import { createEvidence } from './audit/evidence.ts';
import { createAuditLog, type AuditLog } from './audit/audit-log.ts';
import { createCoordination, type Coordination } from './coordination/cases.ts';
import { createSmtpMailer, type Mailer } from './coordination/alert-mail.ts';
import { createCoordinationStore } from './store/coordination-store.ts';
import { coordinationRoutes } from './http/routes/coordination.ts';
import { createStatistics, type Statistics } from './statistics/statistics.ts';
import { createStatisticsStore } from './store/statistics-store.ts';
import { statisticsRoutes } from './http/routes/statistics.ts';
import type { Timestamper } from './audit/timestamping.ts';
import { createOverviewService } from './deliveries/overview.ts';
import { createConsentService, type ConsentService } from './consents/consent-service.ts';
import { createPseudonymizer } from './consents/pseudonym.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createTrustService, type TrustService } from './trust/trust-service.ts';
import { createAuditStore, createDisclosureStore, createEvidenceStore, createRetentionStore, createCertificateStore, createConsentStore, createDeliveryStore, createExchangeStore, createOverviewStore, createParticipantStore, createReviewStore, createWebhookStore, type Database } from './store/index.ts';
import { TLS_SERVER_OPTIONS, type KeyedCertificate } from '../certs/index.ts';

/** The gateway's TLS material, PEM. */
export interface TlsMaterial {
  /** The CA whose certificates are accepted from clients. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The keys the gateway signs with. Private keys stay in `certs/` functions and this process. */
export interface Authority {
  /** The gateway CA with its key: issues certificates, signs the CRL. */
  ca: KeyedCertificate;
  /** Signs seals and acceptance receipts. */
  seal: KeyedCertificate;
}

/** What the gateway is built from besides its configuration. */
export interface GatewayDeps {
  logger: Logger;
  /** Migrated database. The gateway does not close it. */
  db: Database;
  tls: TlsMaterial;
  authority: Authority;
  /** The key of subject pseudonyms (32 bytes or more). */
  pseudonymKey: Buffer;
  contract: Contract;
  validators: Validators;
  /** The adapters this build has: an operator's delivery settings are checked against them as the configuration's are at start. */
  adapters: AdapterCatalogue;
  /** Called after each new acceptance or dead-letter retry (nudges an in-process relay). */
  onAccepted?: () => void;
  /** Readiness of the queues, when this process runs them. */
  queuesReady?: () => Promise<void>;
  /** Gateways abroad whose CA is trusted for their own certificates. None by default. */
  peers?: Peers;
  /** The built web console (a directory with `index.html`), served at `/console`; without it the gateway serves no console. */
  consoleRoot?: string;
  /** The operator's RFC 3161 TSA (`audit.timestamping`), which timestamps each checkpoint. */
  timestamper?: Timestamper;
  /** Sends alert e-mail; by default an SMTP mailer for `alerts.email`. */
  mailer?: Mailer;
}

/** A built gateway, not yet listening. */
export interface Gateway {
  readonly app: express.Express;
  readonly server: https.Server;
  readonly trust: TrustService;
  readonly consents: ConsentService;
  /** The tamper-evident audit log; the `relay` role's periodic job chains and checkpoints it. */
  readonly audit: AuditLog;
  /** Purging payloads that are due, and legal holds; the `relay` role's periodic job runs the purge. */
  readonly retention: Retention;
  /** Referral states and case threads; the `relay` role's periodic job projects them from the audit log. */
  readonly coordination: Coordination;
  readonly statistics: Statistics;
  /** This process's metrics: the queues record delivery latency and report their depth into them. */
  readonly metrics: Pick<Metrics, 'delivered' | 'watchQueues'>;
  /** Who takes part, as the store says now; the queues follow its changes. */
  readonly registry: LiveParticipantRegistry;
  /**
   * The one check of a client certificate (chain, validity, usage, revocation, registry),
   * for every listener: the API uses it on every request, and adapter intakes get it. Needs
   * {@link Gateway.start} (the revocation list) first.
   */
  readonly checkCertificate: CertificateCheck;
  /** The check of a receipt a recipient's system returned with a delivery, for the workers (as `POST /v1/receipts` checks one). */
  readonly checkReceipt: DeliveryService['checkReceipt'];
  /** Reads the participant registry and the revocation list and keeps both fresh: before any listener takes a request (`listen` does it too). */
  start(): Promise<void>;
  /** Loads the revocation list and starts listening on `config.host:config.port`; resolves with the bound URL. */
  listen(): Promise<string>;
  /** `/readyz` answers ready from now on: the app calls it once everything the process runs has started. */
  markStarted(): void;
  /** Stops accepting connections, lets in-flight requests finish, closes idle connections. */
  close(): Promise<void>;
}

/** How often each process looks whether the participant registry changed in the store. */
const PARTICIPANT_REFRESH_MS = 1000;

/** How often the status feed reads new events while event streams or long polls wait. */
const STATUS_FEED_POLL_MS = 250;

/** Builds the gateway. */
export function createGateway(config: Config, deps: GatewayDeps): Gateway {
  const participantStore = createParticipantStore(deps.db);
  const registry = createLiveParticipantRegistry({
    store: participantStore, seed: config.participants, refreshMs: PARTICIPANT_REFRESH_MS,
    // The intake certificate names this process's files: it stays in the configuration.
    seedDelivery: Object.fromEntries(Object.entries(config.delivery.participants).map(([id, { intake: _intake, ...delivery }]) => [id, delivery as DeliverySettings])),
    onError: (error) => deps.logger.error({ err: error }, 'reading the participant registry failed'),
  });
  const exchangeStore = createExchangeStore(deps.db);
  const deliveryStore = createDeliveryStore(deps.db);
  const peers = deps.peers ?? createPeers([], 0);
  const shutdown = new AbortController();
  const trust = createTrustService({
    store: createCertificateStore(deps.db), registry, endpointOf: (id) => registry.delivery(id)?.endpoint, ca: deps.authority.ca, seal: deps.authority.seal, policy: config.trust, logger: deps.logger,
  });
  const checkCertificate = createCertificateCheck(registry, new X509Certificate(deps.authority.ca.certPem), trust.isRevoked, peers);
  const pseudonyms = createPseudonymizer(deps.pseudonymKey);
  const audit = createAuditLog({
    store: createAuditStore(deps.db), sealer: trust.sealer, gatewayName: config.gatewayName, checkpointIntervalMs: config.audit.checkpointIntervalMs,
    ...(deps.timestamper ? { timestamper: deps.timestamper } : {}),
    onTimestampFailure: (error) => deps.logger.warn({ err: error, tsa: deps.timestamper?.url }, 'timestamping a checkpoint failed; asking again in a minute'),
  });
  const metrics = createMetrics(trust, audit, () => deliveryStore.statusCounts());
  const consentStore = createConsentStore(deps.db);
  const categoryMaps = buildCategoryMaps(deps.contract.document);
  const exchanges = createExchangeService({
    trust,
    pseudonyms,
    exemptions: config.exemptions,
    childProtection: config.childProtectionParticipant,
    consents: consentStore,
    exemptionCategories: config.exemptionCategories,
    categoryMaps,
    onExemption: metrics.exemptionInvoked,
    onDoubtfulExemption: metrics.exemptionFlagged,
    store: exchangeStore,
    registry,
    validators: deps.validators,
    publicUrl: config.publicUrl,
    ttlSeconds: (recipient) => policyWith(config.delivery, registry.delivery(recipient)).ttlSeconds,
    ...(deps.onAccepted ? { onAccepted: deps.onAccepted } : {}),
    peers,
    clockSkewMs: config.trust.clockSkewSeconds * 1000,
    showOtherRecipients: config.showOtherRecipients,
    rememberPeerDelivery: (...args) => deliveryStore.rememberPeerDelivery(...args),
  });
  const deliveries = createDeliveryService({
    verifier: trust.verifier,
    validators: deps.validators,
    exchanges: exchangeStore,
    deliveries: deliveryStore,
    webhooks: createWebhookStore(deps.db),
    ...(deps.onAccepted ? { nudge: deps.onAccepted } : {}),
    webhookPolicy: { perParticipant: config.webhooks.perParticipant, allow: config.webhooks.allowPrivate },
  });
  const consents = createConsentService({
    store: consentStore, registry, pseudonyms, sealer: trust.sealer,
  });
  const email = config.alerts.email;
  const coordination = createCoordination({
    store: createCoordinationStore(deps.db), registry, policy: config.coordination, childProtection: config.childProtectionParticipant,
    watching: { retryingMinutes: config.alerts.retryingMinutes, expiringDays: config.alerts.expiringDays, peers: config.peers },
    consoleUrl: consoleUrlOf(config),
    ...(email ? { email: { mailer: deps.mailer ?? createSmtpMailer({ ...email.smtp, secure: email.smtp.secure ?? false, ...(email.smtp.passwordFile ? { password: readFileSync(email.smtp.passwordFile, 'utf8').trim() } : {}) }, email.from), to: email.to } } : {}),
    onEmailFailure: (error, alertId) => deps.logger.warn({ err: error, alertId }, 'sending an alert e-mail failed; trying again in a minute'),
    onAlert: (alert) => metrics.alertRaised(alert.kind),
    onEmailSent: metrics.alertEmailed,
  });
  metrics.watchClocks(() => coordination.overdue());
  const statisticsStore = createStatisticsStore(deps.db);
  const statistics = createStatistics({ store: statisticsStore, registry, k: config.statistics.k });
  const retention = createRetention({
    store: createRetentionStore(deps.db), policy: config.retention, categoriesOf: (document) => categoriesPresent(document, categoryMaps),
    statisticsFacts: { years: config.statistics.factsYears, purge: (before) => statisticsStore.purgeFacts(before) },
  });
  const feed = createStatusFeed({
    store: deliveryStore, pollMs: STATUS_FEED_POLL_MS, onError: (error) => deps.logger.error({ err: error }, 'reading status events failed'),
  });
  const routeOf = createRouteTemplates(deps.contract.document);
  let draining = false;
  let started = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Paths match exactly (see strictRouter): /METRICS and /v1/participants/ are not served.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use((_req, res, next) => {
    // Answers hold case data: never cached, never sniffed into another type; HTTPS only from now on.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: () => randomUUID(),
      wrapSerializers: false,
      serializers: {
        // Method and route template only: paths, query strings and bodies can carry case data.
        req: (req: express.Request) => ({ id: req.id, method: req.method, route: routeOf((req.originalUrl ?? req.url).split('?')[0]!) ?? 'unknown' }),
        res: (res: express.Response) => ({ statusCode: res.statusCode }),
      },
      customSuccessObject: (_req, res, value) => ({ ...value, ...requestFacts(res as express.Response) }),
      customErrorObject: (_req, res, _error, value) => ({ ...value, ...requestFacts(res as express.Response) }),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const path = (req.originalUrl ?? req.url).split('?')[0]!;
      const route = routeOf(path) ?? (path.startsWith('/console') ? '/console' : 'unknown');
      metrics.request(route, req.method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
  app.use(
    operationRoutes(deps.contract.text, {
      store: async () => void (await deps.db.query('SELECT 1')),
      ...(deps.queuesReady ? { queues: deps.queuesReady } : {}),
      draining: () => draining,
      started: () => started,
    }, metrics.registry),
  );
  app.use(publicTrustRoutes(trust, deps.validators));

  const v1 = strictRouter();
  v1.use(authenticate(checkCertificate));
  v1.use(rateLimit(config.limits));
  v1.use(refuseForgeable());
  v1.use(express.json({ limit: config.bodyLimitBytes, strict: true, type: 'application/json' }));
  v1.use(refuseUnstorableText());
  const holds = createHolds({ perHolder: config.limits.heldPerCertificate, total: config.limits.heldTotal });
  v1.use(exchangeRoutes({ exchanges, deliveries, validators: deps.validators, shutdown: shutdown.signal, holds, isRevoked: trust.isRevoked, feed }));
  v1.use(receivingRoutes(deliveries, deps.validators, shutdown.signal, metrics, holds, trust.isRevoked, feed));
  v1.use(webhookRoutes(deliveries, deps.validators));
  v1.use(meRoutes(registry));
  v1.use(adminRoutes(deliveries, createExemptionReviewService(createReviewStore(deps.db)), createOverviewService({ store: createOverviewStore(deps.db), registry }), deps.validators, metrics.caseRegistry));
  v1.use(participantRoutes(registry, createParticipantAdmin({ store: participantStore, registry, validators: deps.validators, adapters: deps.adapters }), deps.validators));
  v1.use(certificateRoutes(trust, deps.validators));
  v1.use(consentRoutes(consents, deps.validators));
  const subjectAccess = createSubjectAccess({
    store: createDisclosureStore(deps.db), sameSubject: (p) => consentStore.sameSubject(p),
    consents: (caller, subject) => consents.bySubject(caller, subject, 1000), categoriesOf: (document) => categoriesPresent(document, categoryMaps),
  });
  const evidence = createEvidence({
    store: createEvidenceStore(deps.db), exchange: (id) => exchangeStore.get(id), audit, sealer: trust.sealer, gatewayName: config.gatewayName,
    caPem: () => trust.caCertificate().pem, crlPem: async () => (await trust.crl()).pem,
  });
  v1.use(auditRoutes(audit, subjectAccess, evidence, deps.validators));
  v1.use(retentionRoutes(retention, deps.validators));
  v1.use(coordinationRoutes(coordination, deps.validators));
  v1.use(statisticsRoutes(statistics, deps.validators));
  v1.use(peerRoutes(exchanges, deliveries, deps.validators));
  app.use('/v1', v1);
  if (deps.consoleRoot) app.use(consoleRoutes(checkCertificate, deps.consoleRoot));
  mountContractFallbacks(app.router, deps.contract.document);
  app.use(problemHandler());

  const server = https.createServer(
    {
      key: deps.tls.keyPem,
      cert: deps.tls.certPem,
      // Peers' CAs too: their gateway certificates are then read in `authenticate`, which lets them reach the peer routes only.
      ca: [deps.tls.caPem, ...peers.list.map((p) => p.caPem)],
      requestCert: true,
      // Verified per request in `authenticate`, so a refusal can say why in problem+json.
      rejectUnauthorized: false,
      ...TLS_SERVER_OPTIONS,
      // A client trickling its headers or body holds a socket: both have a deadline (the answer does not).
      headersTimeout: Math.min(config.limits.headersTimeoutMs, config.limits.requestTimeoutMs),
      requestTimeout: config.limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.limits.headersTimeoutMs),
    },
    app,
  );

  /** The registry from the store, then the revocation list: before any listener takes a request. */
  const start = async () => {
    await registry.start();
    await trust.start();
  };

  return {
    app,
    server,
    trust,
    consents,
    audit,
    retention,
    coordination,
    statistics,
    metrics,
    registry,
    checkCertificate,
    checkReceipt: deliveries.checkReceipt,
    start,
    markStarted: () => void (started = true),
    listen: async () => {
      await start();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          resolve(`https://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        draining = true;
        trust.stop();
        registry.stop();
        shutdown.abort(); // open event streams and long polls end
        feed.stop();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** Fields every request log line carries besides method, path and status. */
function requestFacts(res: express.Response): Record<string, unknown> {
  const caller = res.locals.caller as Caller | undefined;
  return {
    ...(caller ? { caller: callerLabel(caller) } : {}),
    ...(res.locals.problemCode ? { code: res.locals.problemCode } : {}),
    ...(res.locals.exchangeId ? { exchangeId: res.locals.exchangeId } : {}),
  };
}
