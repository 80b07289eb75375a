/** Prometheus metrics of one gateway process (`GET /metrics`). */
import { Gauge, Registry } from 'prom-client';
import type { CertificateRow } from './store/index.ts';
import type { TrustService } from './trust-service.ts';

/** A registry of the gateway's metrics; its own, so several gateways in one process (tests) do not collide. */
export function createMetrics(trust: TrustService): Registry {
  const registry = new Registry();
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
  return registry;
}
