/**
 * Retention on the whole system (PostgreSQL, Redis, a recipient over HTTPS): payloads are
 * purged once due — the clock moved, not waited for — from every table, Redis and the logs,
 * while the history, seal, receipts and audit proofs still verify; a legal hold stops it.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { compactVerify, flattenedVerify, importX509 } from 'jose';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog, readAuditLog, createReferralClient } from '../../clients/index.ts';
import { canonicalize } from '../../schemas/index.ts';
import { freshExample } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { runAuditorProcedure } from '../../testing/auditor-procedure.ts';

const DAY = 86_400_000;

describe('retention', () => {
  const logs: string[] = [];
  let system: TestSystem;
  const admin = () => system.as('gateway-admin');
  /** A phone number nobody else has: found wherever a copy of the payload is left. */
  const canary = `+35988${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
  const later = (days: number) => new Date(Date.now() + days * DAY);

  const submit = async (change: (message: any) => void = () => {}) => {
    const message = freshExample('Referral');
    message.payload.subject.contact.phone = canary;
    change(message);
    const accepted = await system.as(message.sender).post('/v1/exchanges', message);
    expect(accepted.status, accepted.text).toBe(202);
    return { ...accepted.body, message };
  };
  /** Every table of the store, and every key of Redis, that holds `text`. */
  const holding = async (text: string) => {
    const { rows: tables } = await system.running.db.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    const found: string[] = [];
    for (const { name } of tables) {
      const { rows } = await system.running.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`, [`%${text}%`]);
      if (rows[0]!.n > 0) found.push(name);
    }
    const redis = new Redis(system.redis.url);
    try {
      for (const key of await redis.keys('*')) {
        const dumped = await redis.dump(key);
        if (dumped?.includes(text)) found.push(`redis:${key}`);
      }
    } finally {
      redis.disconnect();
    }
    return found;
  };

  beforeAll(async () => {
    system = await startTestSystem({
      overrides: { retention: { payloadDays: { default: 30, referral: 60 } }, audit: { checkpointIntervalMs: 3_600_000 } },
      logs: new Writable({ write(chunk, _e, done) { logs.push(String(chunk)); done(); } }),
    });
  });
  afterAll(() => system?.close());

  it('purges a finished exchange once due, from every table and Redis, and keeps its history, seal, receipts, proofs and evidence bundle verifiable', async () => {
    const exchange = await submit();
    const tracked = await system.settle(exchange.id, 'BG-NCCTHB', ['acknowledged']);
    expect(await holding(canary)).toContain('exchanges'); // the scan finds a copy while there is one

    // The person's subject access report, before the purge…
    const { pseudonym } = (await admin().post('/v1/pseudonyms', { identity: exchange.message.payload.subject.identity })).body;
    const report = async () => {
      const answer = await admin().get(`/v1/audit/subject-access?subject=${encodeURIComponent(pseudonym)}`);
      expect(answer.status, answer.text).toBe(200);
      return answer.body.disclosures.find((d: { exchangeId: string }) => d.exchangeId === exchange.id);
    };
    const before = await report();
    expect(before).toEqual({
      exchangeId: exchange.id, type: 'referral', correlationId: exchange.message.correlationId, sender: 'BG-NCCTHB', acceptedAt: expect.any(String),
      recipient: 'BG-NGO-ANIMUS', status: 'acknowledged', disclosed: true, disclosedAt: expect.any(String),
      legalBasis: { basis: 'consent', consentId: exchange.message.legalBasis.consentId },
      categories: expect.arrayContaining(['identity', 'contact']), withheldCategories: [],
    });

    // The evidence bundle verifies offline with the documented procedure, before and after the purge.
    const evidence = async () => {
      await system.running.gateway.audit.maintain({ checkpoint: 'now' });
      const bundle = await admin().get(`/v1/audit/evidence/${exchange.id}`);
      expect(bundle.status, bundle.text).toBe(200);
      return { 'bundle.json': bundle.text, 'bundle.json.jws': bundle.headers['referral-evidence-signature']!, 'ca.pem': readCa() };
    };
    const sealed = await evidence();
    const checked = runAuditorProcedure(sealed);
    expect(checked.output).toContain('evidence bundle consistent: digests, receipts and ');
    expect(checked.output).toMatch(/seal-envelope\.jws:\n[^]*?Signature Verified Successfully/);
    expect(checked.output).toMatch(/receipt-BG-NGO-ANIMUS\.jws:\n\s*URI:urn:nrm:participant:BG-NGO-ANIMUS[^]*?Verified OK/);
    // The gateway's Ed25519 signatures (bundle, checkpoint, seal, acceptance receipt), the recipient's RSA receipt.
    expect(checked.output.match(/Signature Verified Successfully/g)).toHaveLength(4);
    expect(checked.output.match(/^Verified OK/gm)).toHaveLength(1);
    expect(checked.ok, checked.output).toBe(true);
    const altered = runAuditorProcedure({ ...sealed, 'bundle.json': sealed['bundle.json'].replace('"acknowledged"', '"failed"') });
    expect(altered.output).toMatch(/bundle\.json:\n[^]*?Signature Verification Failure/);
    expect(altered.ok).toBe(false);
    const forgedEnvelope = JSON.parse(sealed['bundle.json']);
    forgedEnvelope.envelope.payload.urgency = 'routine';
    expect(runAuditorProcedure({ 'bundle.json': JSON.stringify(forgedEnvelope), 'ca.pem': readCa(), 'bundle.json.jws': sealed['bundle.json.jws'] }).output)
      .toContain('the envelope does not match its digest');
    expect((await system.as('BG-NCCTHB').get(`/v1/audit/evidence/${exchange.id}`)).body.code).toBe('GW_ROLE_REQUIRED');

    // Not yet: 59 days after the delivery finished is inside the referral's 60.
    expect(await system.running.gateway.retention.purgeDue(later(59))).toEqual({ purged: 0 });
    expect((await system.track(exchange.id, 'BG-NCCTHB')).purgedAt).toBeUndefined();
    const { purged } = await system.running.gateway.retention.purgeDue(later(61));
    expect(purged).toBeGreaterThanOrEqual(1);

    expect(await holding(canary)).toEqual([]);
    expect(logs.join('')).not.toContain(canary);
    const after = await system.track(exchange.id, 'BG-NCCTHB');
    expect(after.purgedAt).toEqual(expect.any(String));
    expect(after.deliveries[0].history.map((h: { status: string }) => h.status)).toEqual(tracked.deliveries[0].history.map((h: { status: string }) => h.status));
    expect(after).toMatchObject({ envelopeDigest: tracked.envelopeDigest, seal: tracked.seal });
    // …and after: the same answer, with the purge.
    expect(await report()).toEqual({ ...before, purgedAt: after.purgedAt });

    // The evidence still holds: the seal over the envelope the recipient keeps, the gateway's
    // acceptance receipt and the recipient's receipt over the same digest.
    const ca = new X509Certificate(readCa());
    const received = system.agency('BG-NGO-ANIMUS').received.get(`BG-NCCTHB/${exchange.messageId}`)!;
    const [protectedHeader, , signature] = after.seal.split('.');
    const sealKey = await importX509(new X509Certificate(Buffer.from(JSON.parse(Buffer.from(protectedHeader, 'base64url').toString()).x5c[0], 'base64')).toString(), 'EdDSA');
    await flattenedVerify({ protected: protectedHeader, payload: Buffer.from(canonicalize(received)).toString('base64url'), signature }, sealKey);
    for (const receipt of [exchange.acceptanceReceipt, after.deliveries[0].receipt]) {
      const header = JSON.parse(Buffer.from(receipt.split('.')[0], 'base64url').toString()) as { x5c: string[] };
      const signer = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64'));
      expect(signer.checkIssued(ca) && signer.verify(ca.publicKey)).toBe(true);
      const { payload } = await compactVerify(receipt, await importX509(signer.toString(), signer.publicKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'RS256'));
      expect(JSON.parse(Buffer.from(payload).toString()).envelopeDigest).toBe(after.envelopeDigest);
    }
    // The purge is in the audit log, and the log still verifies.
    await system.running.gateway.audit.maintain({ checkpoint: 'now' });
    const entries = (await admin().get(`/v1/audit/entries?exchangeId=${exchange.id}`)).body.items.map((i: { entry: { action: string; details: unknown } }) => i.entry);
    // (`delivery.delivered` comes first unless the recipient's receipt overtook the worker's own record.)
    expect(entries.map((e: { action: string }) => e.action).filter((a: string) => a !== 'delivery.delivered')).toEqual(['exchange.accepted', 'delivery.acknowledged', 'evidence.exported', 'retention.purged']);
    expect(entries.at(-1).details).toEqual({ type: 'referral', payloadDays: 60, finishedAt: expect.any(String) });
    const client = auditorClient();
    try {
      expect((await verifyAuditLog({ ...(await readAuditLog(client)), caPem: readCa() })).ok).toBe(true);
    } finally {
      await client.close();
    }
    const purgedBundle = await evidence();
    expect(JSON.parse(purgedBundle['bundle.json'])).not.toHaveProperty('envelope');
    const stillChecked = runAuditorProcedure(purgedBundle);
    expect(stillChecked.ok, stillChecked.output).toBe(true);
    expect(stillChecked.output).not.toContain('seal-envelope.jws');
    // Purged once.
    expect((await system.running.gateway.retention.purgeDue(later(400))).purged).toBe(0);
  });

  it('gives the subject access report to consent officers and auditors only, and audits it without naming the person', async () => {
    const { pseudonym } = (await admin().post('/v1/pseudonyms', { identity: freshExample('Referral').payload.subject.identity })).body;
    const refused = await system.as('BG-NCCTHB').get(`/v1/audit/subject-access?subject=${encodeURIComponent(pseudonym)}`);
    expect([refused.status, refused.body.code]).toEqual([403, 'GW_ROLE_REQUIRED']);
    expect((await admin().get('/v1/audit/subject-access?subject=not-a-pseudonym')).body.code).toBe('GW_VALIDATION_FAILED');
    const report = (await admin().get(`/v1/audit/subject-access?subject=${encodeURIComponent(pseudonym)}`)).body;
    expect(report.pseudonyms).toContain(pseudonym);
    expect(report.consents.map((c: { id: string }) => c.id)).toContain(freshExample('Referral').legalBasis.consentId);
    const { rows } = await system.running.db.query<{ actor: string; details: { deliveries: number } }>("SELECT actor, details FROM audit_log WHERE action = 'subject-access.reported' ORDER BY seq DESC LIMIT 1");
    expect(rows).toEqual([{ actor: 'admin:gateway-admin', details: { deliveries: report.disclosures.length } }]);
    expect(await holding(pseudonym)).not.toContain('audit_log');
  });

  it('keeps a delivery still under way, and a case thread under legal hold until the hold is released', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.behave({ fail: { status: 503 } });
    const waiting = await submit((m) => (m.correlationId = 'case-2026-BG-9001'));
    await system.settle(waiting.id, 'BG-NCCTHB', ['retrying']);
    shelter.behave({});
    const held = await submit((m) => (m.correlationId = 'case-2026-BG-9002'));
    await system.settle(held.id, 'BG-NCCTHB', ['acknowledged']);
    await system.settle(waiting.id, 'BG-NCCTHB', ['acknowledged']);

    const refused = await system.as('BG-NCCTHB').post('/v1/admin/legal-holds', { correlationId: 'case-2026-BG-9002', reason: 'Sofia City Court, case 1234/2026' });
    expect(refused.body.code).toBe('GW_ROLE_REQUIRED');
    const hold = await admin().post('/v1/admin/legal-holds', { correlationId: 'case-2026-BG-9002', reason: 'Sofia City Court, case 1234/2026' });
    expect(hold.status, hold.text).toBe(201);
    expect(hold.body).toMatchObject({ correlationId: 'case-2026-BG-9002', placedBy: 'admin:gateway-admin' });
    const twice = await admin().post('/v1/admin/legal-holds', { correlationId: 'case-2026-BG-9002', reason: 'again' });
    expect([twice.status, twice.body.code]).toEqual([409, 'GW_LEGAL_HOLD_EXISTS']);
    expect((await admin().get('/v1/admin/legal-holds')).body.items.map((h: { id: string }) => h.id)).toContain(hold.body.id);

    await system.running.gateway.retention.purgeDue(later(1000));
    expect((await system.track(held.id, 'BG-NCCTHB')).purgedAt).toBeUndefined();
    expect((await system.track(waiting.id, 'BG-NCCTHB')).purgedAt).toEqual(expect.any(String));

    const released = await admin().post(`/v1/admin/legal-holds/${hold.body.id}/release`, { reason: 'Proceedings closed' });
    expect(released.status, released.text).toBe(200);
    expect(released.body).toMatchObject({ releasedBy: 'admin:gateway-admin', releaseReason: 'Proceedings closed' });
    const again = await admin().post(`/v1/admin/legal-holds/${hold.body.id}/release`, { reason: 'Proceedings closed' });
    expect([again.status, again.body.code]).toEqual([409, 'GW_LEGAL_HOLD_RELEASED']);
    expect((await admin().post('/v1/admin/legal-holds/6f1c2b8e-0000-4000-8000-000000000000/release', { reason: 'none' })).body.code).toBe('GW_LEGAL_HOLD_NOT_FOUND');
    await system.running.gateway.retention.purgeDue(later(1000));
    expect((await system.track(held.id, 'BG-NCCTHB')).purgedAt).toEqual(expect.any(String));
    expect(await holding(canary)).toEqual([]);
    const { rows } = await system.running.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'legal-hold.%' ORDER BY seq");
    expect(rows.map((r) => r.action)).toEqual(['legal-hold.placed', 'legal-hold.released']);
  });

  function readCa(): string {
    return readFileSync(`${system.running.devCertsDir}/ca.pem`, 'utf8');
  }
  function auditorClient() {
    const dir = `${system.running.devCertsDir}/clients`;
    return createReferralClient({ baseUrl: system.running.url.replace('127.0.0.1', 'localhost'), credentials: { caFile: `${system.running.devCertsDir}/ca.pem`, certFile: `${dir}/gateway-admin.pem`, keyFile: `${dir}/gateway-admin-key.pem` } });
  }
});
