/** Prometheus metrics of one gateway process (`GET /metrics`). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CertificateRow } from './store/index.ts';
import type { TrustService } from './trust/trust-service.ts';
import type { AuditLog } from './audit/audit-log.ts';

/** The gateway's metrics and what the services record into them. */
export interface Metrics {
  /** Operational figures, served without a certificate at `/metrics`. */
  readonly registry: Registry;
  /** Figures about cases (exemptions invoked, by whom): at `/v1/admin/metrics`, for operators and auditors only. */
  readonly caseRegistry: Registry;
  /** An accepted exchange stated an exemption (or the gateway did, adding child protection). */
  exemptionInvoked(exemption: string, invokedBy: string): void;
  /** An accepted exchange's exemption was flagged for review: its justification says nothing. */
  exemptionFlagged(exemption: string): void;
  /** A recipient's long poll of its inbox began waiting; call the returned function when it ends. */
  inboxPollWaiting(participant: string): () => void;
  /** A fired clock raised an alert (one per participant told). */
  alertRaised(kind: string): void;
  /** An alert e-mail went. */
  alertEmailed(): void;
  /** Where `rg_clocks_overdue` reads from (the coordination service, made after the metrics). */
  watchClocks(overdue: () => Promise<number>): void;
  /** Where `rg_queue_depth` reads from (the queues of this process, started after the gateway). */
  watchQueues(depths: () => Promise<Record<string, number>>): void;
  /** An HTTP request finished: its route template (never its path), method and status. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** A delivery was made, `seconds` after it was queued. */
  delivered(recipient: string, seconds: number): void;
}

/** A registry of the gateway's metrics; its own, so several gateways in one process (tests) do not collide. */
export function createMetrics(trust: TrustService, audit: Pick<AuditLog, 'lag'>, deliveryCounts: () => Promise<Array<{ recipient: string; status: string; count: number }>>): Metrics {
  const registry = new Registry();
  const caseRegistry = new Registry();
  const exemptions = new Counter({
    name: 'rg_exemptions_invoked_total',
    help: 'Accepted exchanges whose legal basis for a recipient is an exemption, by exemption and by who invoked it (sender kind, or gateway).',
    labelNames: ['exemption', 'invoked_by'] as const,
    registers: [caseRegistry],
  });
  const flagged = new Counter({
    name: 'rg_exemptions_flagged_total',
    help: 'Exemptions of accepted exchanges flagged for review because their justification says nothing, by exemption (the list: /v1/admin/exemption-reviews).',
    labelNames: ['exemption'] as const,
    registers: [caseRegistry],
  });
  // Gauges are collected concurrently; both read the result of one query per scrape.
  let pending: Promise<CertificateRow[]> | undefined;
  const expiring = () => (pending ??= trust.expiring().finally(() => setImmediate(() => (pending = undefined))));

  new Gauge({
    name: 'rg_certificates_expiring',
    help: 'Valid certificates whose validity ends within the expiry warning period.',
    registers: [registry],
    async collect() {
      this.set((await expiring()).length);
    },
  });
  new Gauge({
    name: 'rg_certificate_expiry_timestamp_seconds',
    help: 'End of validity of each valid certificate within the expiry warning period.',
    labelNames: ['serial', 'subject_kind', 'subject'] as const,
    registers: [registry],
    async collect() {
      const rows = await expiring();
      this.reset();
      for (const c of rows) this.set({ serial: c.serial, subject_kind: c.subjectKind, subject: c.participant ?? c.name ?? '' }, Math.floor(c.notAfter.getTime() / 1000));
    },
  });
  let lag: ReturnType<AuditLog['lag']> | undefined;
  const auditLag = () => (lag ??= audit.lag().finally(() => setImmediate(() => (lag = undefined))));
  new Gauge({
    name: 'rg_audit_entries_pending',
    help: 'Audit entries recorded but not yet chained into the tamper-evident tree (the relay chains them every audit.chainIntervalMs).',
    registers: [registry],
    async collect() {
      this.set((await auditLag()).pending);
    },
  });
  new Gauge({
    name: 'rg_audit_chain_lag_seconds',
    help: 'How long the oldest audit entry not yet chained has waited; grows when no relay chains the log.',
    registers: [registry],
    async collect() {
      this.set((await auditLag()).oldestMs / 1000);
    },
  });
  new Gauge({
    name: 'rg_audit_checkpoints_unstamped',
    help: 'Signed checkpoints the configured TSA has not timestamped yet (0 without audit.timestamping); grows while the TSA cannot be reached.',
    registers: [registry],
    async collect() {
      this.set((await auditLag()).unstamped ?? 0);
    },
  });
  const alerts = new Counter({
    name: 'rg_alerts_raised_total',
    help: 'Alerts raised by deadline clocks in this process, by clock kind (one per participant told).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const emailed = new Counter({ name: 'rg_alert_emails_sent_total', help: 'Alert e-mails sent by this process.', registers: [registry] });
  let overdue: () => Promise<number> = async () => 0;
  new Gauge({
    name: 'rg_clocks_overdue',
    help: 'Deadline clocks due and not yet fired: grows when no relay runs the clock job.',
    registers: [registry],
    async collect() {
      this.set(await overdue());
    },
  });
  const requests = new Histogram({
    name: 'rg_http_request_duration_seconds',
    help: 'HTTP requests answered by this process, by route template, method and status (its _count is the number of requests).',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: 'rg_delivery_latency_seconds',
    help: 'From a delivery\'s job being queued to the recipient taking it, by recipient (retries included), in this process\'s workers.',
    labelNames: ['recipient'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
    registers: [registry],
  });
  let counted: ReturnType<typeof deliveryCounts> | undefined;
  const counts = () => (counted ??= deliveryCounts().finally(() => setImmediate(() => (counted = undefined))));
  new Gauge({
    name: 'rg_deliveries',
    help: 'Deliveries in the store by recipient and status (the whole gateway, not this process).',
    labelNames: ['recipient', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await counts();
      this.reset();
      for (const r of rows) this.set({ recipient: r.recipient, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'rg_dead_letters',
    help: 'Dead letters (deliveries failed for good, waiting for an operator) by recipient.',
    labelNames: ['recipient'] as const,
    registers: [registry],
    async collect() {
      const rows = await counts();
      this.reset();
      for (const r of rows) if (r.status === 'failed') this.set({ recipient: r.recipient }, r.count);
    },
  });
  let depths: () => Promise<Record<string, number>> = async () => ({});
  new Gauge({
    name: 'rg_queue_depth',
    help: 'Jobs waiting, delayed or running in each recipient\'s delivery queue (Redis), as this process sees them; none in a process without queues.',
    labelNames: ['recipient'] as const,
    registers: [registry],
    async collect() {
      const read = await depths();
      this.reset();
      for (const [recipient, depth] of Object.entries(read)) this.set({ recipient }, depth);
    },
  });
  const polls = new Gauge({
    name: 'rg_inbox_polls_waiting',
    help: 'Long polls of /v1/inbox waiting for a delivery in this process, by recipient participant.',
    labelNames: ['participant'] as const,
    registers: [registry],
  });
  return {
    registry,
    caseRegistry,
    exemptionInvoked: (exemption, invokedBy) => exemptions.inc({ exemption, invoked_by: invokedBy }),
    exemptionFlagged: (exemption) => flagged.inc({ exemption }),
    inboxPollWaiting(participant) {
      polls.inc({ participant });
      return () => polls.dec({ participant });
    },
    alertRaised: (kind) => alerts.inc({ kind }),
    alertEmailed: () => emailed.inc(),
    watchClocks(read) {
      overdue = read;
    },
    watchQueues(read) {
      depths = read;
    },
    request: (route, method, status, seconds) => requests.observe({ route, method, status: String(status) }, seconds),
    delivered: (recipient, seconds) => deliveryLatency.observe({ recipient }, seconds),
  };
}
