import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { compactVerify, flattenedVerify, importX509 } from 'jose';
import { canonicalize } from '../schemas/index.ts';
import { openDatabase } from '../gateway/store/index.ts';
import { captureLogs, signedReceipt } from '../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';

const statuses = (delivery: { history: Array<{ status: string }> }) => delivery.history.map((h) => h.status);

describe('queued delivery, end to end', () => {
  let system: TestSystem;
  const ngo = () => system.agency('BG-NGO-ANIMUS');
  // Every line logged at debug level while the tests below deliver, retry, fail and expire.
  const logs = captureLogs();

  beforeAll(async () => {
    system = await startTestSystem({
      logs: logs.stream, delivery: { participants: { 'BG-SAA': { mode: 'pull' }, 'HU-NBI': { mode: 'pull', ttlSeconds: 1 } } },
      // The webhook receiver below runs on this machine: an operator's allow-list lets the coordinator's hooks reach it.
      overrides: { webhooks: { allowPrivate: { 'BG-NCCTHB': ['127.0.0.0/8', '::1/128'] } } },
    });
  });
  afterAll(async () => {
    await system?.close();
    // The canary: names and identifiers from the examples' payloads never reach a log line.
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const canary of ['Desislava', 'Testova', 'Zlatomira', 'Kanarcheva', '9912319999', '+359880000001', '1999-04-02']) {
      expect(logs.lines.filter((l) => l.includes(canary))).toEqual([]);
    }
  });

  it('takes a referral through accepted, queued, delivering, delivered, acknowledged, with one recorded attempt', async () => {
    const sealsBefore = ngo().sealsVerified;
    const accepted = await system.submit('Referral');
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    const [delivery] = exchange.deliveries;
    expect(statuses(delivery)).toEqual(['accepted', 'queued', 'delivering', 'delivered', 'acknowledged']);
    expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    expect(ngo().arrivals.get(`BG-NCCTHB/${accepted.messageId}`)).toBe(1);
    expect(ngo().sealsVerified).toBe(sealsBefore + 1); // the agency system checked the gateway's seal (with jose) before applying
  });

  it('delivers a steady stream promptly, without help from the reconciler', async () => {
    // 300 exchanges at 100/s; the reconciler runs once a minute here, so any job the
    // normal path loses shows up as a delivery stuck in `queued`.
    const started = Date.now();
    const accepted = [];
    for (let i = 0; i < 300; i++) {
      const wait = started + i * 10 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      accepted.push(system.submit('Referral'));
    }
    const exchanges = await Promise.all(accepted);
    await vi.waitFor(async () => {
      const { rows } = await system.running.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries WHERE exchange_id = ANY($1::uuid[]) AND status <> 'acknowledged'",
        [exchanges.map((e) => e.id)],
      );
      expect(rows[0]!.n).toBe(0);
    }, { timeout: 15_000, interval: 100 });
  });

  it('delivers a referral about a child to the State Agency for Child Protection too, though the sender left it out', async () => {
    const accepted = await system.submit('Referral', (m) => {
      m.payload.subject.identity.dateOfBirth = '2012-06-30';
      m.payload.subject.child = { age: 14, unaccompanied: false, guardian: { status: 'parent' } };
      m.legalBasis = { exemption: 'child-protection', justification: 'A child found without documents; protection measures are urgent.' };
    });
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    expect(exchange.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-NGO-ANIMUS', 'BG-SACP']);
    expect(system.agency('BG-SACP').applied).toContain(`BG-NCCTHB/${accepted.messageId}`);
  });

  it('retries while the recipient answers 503, then delivers', async () => {
    ngo().behave({ fail: { status: 503, times: 2 } });
    const accepted = await system.submit('Referral');
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    const [delivery] = exchange.deliveries;
    expect(delivery.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['transient-error', 'transient-error', 'delivered']);
    expect(delivery.attempts[0].error).toMatchObject({ code: 'HTTP_503', permanent: false });
    expect(statuses(delivery)).toContain('retrying');
    expect(ngo().applied.filter((k) => k.endsWith(accepted.messageId))).toHaveLength(1);
    // the worker's lines are among those the canary below searches
    expect(logs.lines.some((l) => l.includes('delivery will be retried') && l.includes(delivery.id))).toBe(true);
  });

  it('abandons an attempt the recipient holds past the timeout, and retries it', async () => {
    ngo().behave({ delayMs: 4000 }); // the attempt timeout here is 3 s
    const accepted = await system.submit('Referral');
    await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].attempts.length).toBe(1), { timeout: 10_000 });
    ngo().behave({});
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    const [first] = exchange.deliveries[0].attempts;
    expect(first).toMatchObject({ outcome: 'transient-error', error: { code: 'TIMEOUT' } });
    expect(first.durationMs).toBeGreaterThanOrEqual(2900);
    // the held request was abandoned, so the recipient applied the envelope once, on the retry
    expect(ngo().applied.filter((k) => k.endsWith(accepted.messageId))).toHaveLength(1);
  });

  it('waits at least as long as a 429 Retry-After asks', async () => {
    ngo().behave({ fail: { status: 429, times: 1, retryAfter: '1' } });
    const accepted = await system.submit('Referral');
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    const [first, second] = exchange.deliveries[0].attempts;
    expect(Date.parse(second.startedAt) - Date.parse(first.startedAt)).toBeGreaterThanOrEqual(1000);
  });

  it('retries while the recipient is down, then delivers once it is back', async () => {
    await ngo().stop();
    const accepted = await system.submit('Referral');
    await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].attempts.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await ngo().start();
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    expect(exchange.deliveries[0].attempts[0].error.code).toMatch(/ECONNREFUSED|NETWORK/);
  });

  it('dead-letters at once on a permanent 400, lists it for operators, and delivers it when an operator retries', async () => {
    ngo().behave({ fail: { status: 400, times: 1 } });
    const accepted = await system.submit('Referral');
    const failed = await system.settle(accepted.id, 'BG-NCCTHB', ['failed']);
    expect(failed.deliveries[0].attempts).toHaveLength(1);

    const admin = system.as('gateway-admin');
    const letters = await admin.get('/v1/admin/dead-letters?recipient=BG-NGO-ANIMUS');
    expect(letters.status).toBe(200);
    const letter = letters.body.items.find((l: { exchangeId: string }) => l.exchangeId === accepted.id);
    expect(letter).toMatchObject({ recipient: 'BG-NGO-ANIMUS', attempts: 1, lastError: { code: 'HTTP_400', permanent: true } });

    expect((await system.as('BG-NCCTHB').get('/v1/admin/dead-letters')).body.code).toBe('GW_ROLE_REQUIRED');
    const retried = await admin.post(`/v1/admin/dead-letters/${letter.deliveryId}/retry`);
    expect(retried.body.status).toBe('queued');
    const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
    expect(statuses(exchange.deliveries[0])).toEqual(['accepted', 'queued', 'delivering', 'failed', 'queued', 'delivering', 'delivered', 'acknowledged']);
    const audit = await system.running.db.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE action = 'dead-letter.retried'");
    expect(audit.rows).toContainEqual({ action: 'dead-letter.retried', actor: 'admin:gateway-admin' });
  });

  it('discards a dead letter with a reason, and it leaves the list', async () => {
    ngo().behave({ fail: { status: 422, times: 1 } });
    const accepted = await system.submit('Referral');
    const failed = await system.settle(accepted.id, 'BG-NCCTHB', ['failed']);
    const admin = system.as('gateway-admin');
    const id = failed.deliveries[0].id;
    expect((await admin.post(`/v1/admin/dead-letters/${id}/discard`, { reason: 'too short' })).status).toBe(400);
    expect((await admin.post(`/v1/admin/dead-letters/${id}/discard`, { reason: 'Recipient confirmed receipt by phone; duplicate.' })).status).toBe(200);
    const letters = await admin.get('/v1/admin/dead-letters');
    expect(letters.body.items.map((l: { deliveryId: string }) => l.deliveryId)).not.toContain(id);
  });

  it('retries every dead letter of a recipient at once', async () => {
    ngo().behave({ fail: { status: 400, times: 2 } });
    const first = await system.submit('Referral');
    const second = await system.submit('Referral');
    await system.settle(first.id, 'BG-NCCTHB', ['failed']);
    await system.settle(second.id, 'BG-NCCTHB', ['failed']);
    const response = await system.as('gateway-admin').post('/v1/admin/dead-letters/retry', { recipient: 'BG-NGO-ANIMUS' });
    expect(response.body.retried).toBeGreaterThanOrEqual(2);
    await system.settle(first.id, 'BG-NCCTHB', ['acknowledged']);
    await system.settle(second.id, 'BG-NCCTHB', ['acknowledged']);
  });

  it('keeps no personal data in Redis, even while deliveries wait there for a retry', async () => {
    await ngo().stop();
    const canary = { givenName: 'Zlatomira', familyName: 'Kanarcheva', nationalIdNumber: '9912319999' };
    const accepted = await system.submit('Referral', (m) => {
      Object.assign(m.payload.subject.identity, canary);
      // Another person than the demo consent's: the coordinator refers under its legal obligation.
      m.legalBasis = { exemption: 'legal-obligation', justification: 'The National Commission refers presumed victims under the NRM agreement.' };
    });
    await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].status).toBe('retrying'), { timeout: 10_000 });
    const redis = new Redis(system.redis.url);
    const dump: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      dump.push(key);
      if (type === 'string') dump.push(String(await redis.get(key)));
      if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'list') dump.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      if (type === 'zset') dump.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      if (type === 'set') dump.push(JSON.stringify(await redis.smembers(key)));
      if (type === 'stream') dump.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    redis.disconnect();
    const text = dump.join('\n');
    expect(text).toContain(accepted.deliveries[0]!.id); // the job is there: the check looked in the right place
    for (const value of Object.values(canary)) expect(text).not.toContain(value);
    expect(text).not.toContain('Desislava');
    await ngo().start();
    await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
  });

  describe('cancel and time-to-live', () => {
    it('cancels a delivery waiting for a retry; it is never delivered, even after the recipient is back', async () => {
      // Retry-After: 1 keeps the delivery in `retrying` for a second, not in flight.
      ngo().behave({ fail: { status: 503, retryAfter: '1' } });
      const accepted = await system.submit('Referral');
      await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].status).toBe('retrying'), { timeout: 10_000 });
      const cancelled = await system.as('BG-NCCTHB').post(`/v1/exchanges/${accepted.id}/cancel`, { reason: 'sent to the wrong shelter' });
      expect(cancelled.body.deliveries[0].status).toBe('cancelled');
      ngo().behave({});
      // the retry comes due after a second; the worker must find the delivery cancelled
      await system.drained('BG-NGO-ANIMUS');
      const exchange = await system.track(accepted.id, 'BG-NCCTHB');
      expect(exchange.deliveries[0].status).toBe('cancelled');
      expect(exchange.deliveries[0].attempts).toHaveLength(1);
      expect(statuses(exchange.deliveries[0])).not.toContain('delivered');
      expect(ngo().applied.filter((k) => k.endsWith(accepted.messageId))).toEqual([]);
    });

    it('leaves a delivered exchange as it is, and lets only the sender cancel', async () => {
      const accepted = await system.submit('Referral');
      await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
      expect((await system.as('BG-NGO-ANIMUS').post(`/v1/exchanges/${accepted.id}/cancel`)).status).toBe(404);
      const response = await system.as('BG-NCCTHB').post(`/v1/exchanges/${accepted.id}/cancel`);
      expect(response.status).toBe(200);
      expect(response.body.deliveries[0].status).toBe('acknowledged');
    });

    it('never both cancels and delivers when cancel races the worker', async () => {
      ngo().behave({ delayMs: 30 });
      const accepted = await Promise.all(Array.from({ length: 20 }, () => system.submit('Referral')));
      await Promise.all(accepted.map((a) => system.as('BG-NCCTHB').post(`/v1/exchanges/${a.id}/cancel`)));
      ngo().behave({});
      for (const a of accepted) {
        const exchange = await system.settle(a.id, 'BG-NCCTHB', ['cancelled', 'acknowledged']);
        const seen = statuses(exchange.deliveries[0]);
        expect(seen.includes('cancelled') && seen.includes('delivered')).toBe(false);
        const applied = ngo().applied.some((k) => k.endsWith(a.messageId));
        expect(applied).toBe(exchange.deliveries[0].status === 'acknowledged');
      }
    });

    it('expires a pull delivery nobody fetched within its time-to-live', async () => {
      const accepted = await system.submit('Referral', (m) => (m.recipients = ['HU-NBI'])); // an adult: no one is added
      const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['expired'], 10_000);
      expect(statuses(exchange.deliveries[0])).toEqual(['accepted', 'queued', 'expired']);
      expect((await system.as('HU-NBI').get('/v1/inbox')).body.items.map((i: { exchangeId: string }) => i.exchangeId)).not.toContain(accepted.id);
    });
  });

  describe('pull mode', () => {
    it('hands a delivery out through the inbox until it is acknowledged', async () => {
      const accepted = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const saa = system.as('BG-SAA');
      let item: any;
      await vi.waitFor(async () => {
        item = (await saa.get('/v1/inbox?limit=100&wait=1')).body.items.find((i: { exchangeId: string }) => i.exchangeId === accepted.id);
        expect(item).toBeDefined();
      });
      expect(item.envelope).toMatchObject({ id: accepted.id, messageId: accepted.messageId, type: 'referral' });
      // The pull recipient gets the seal too, and can verify it over the canonical JSON of the envelope it got.
      const [header, , signature] = item.seal.split('.');
      const sealer = new X509Certificate(Buffer.from(JSON.parse(Buffer.from(header, 'base64url').toString()).x5c[0], 'base64'));
      await expect(flattenedVerify({ protected: header, payload: Buffer.from(canonicalize(item.envelope)).toString('base64url'), signature }, await importX509(sealer.toString(), 'EdDSA'))).resolves.toBeDefined();
      expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].status).toBe('delivered');
      // not yet acknowledged: offered again
      expect((await saa.get('/v1/inbox')).body.items.map((i: { deliveryId: string }) => i.deliveryId)).toContain(item.deliveryId);
      const signed = signedReceipt(system.certificate('BG-SAA'), { deliveryId: item.deliveryId, envelopeDigest: item.envelopeDigest });
      expect((await saa.post(`/v1/inbox/${item.deliveryId}/ack`)).body.code).toBe('GW_VALIDATION_FAILED'); // unsigned
      const ack = await saa.post(`/v1/inbox/${item.deliveryId}/ack`, signed);
      expect(ack.body.status).toBe('acknowledged');
      expect(ack.body.receipt).toBe(signed.receipt);
      expect((await saa.post(`/v1/inbox/${item.deliveryId}/ack`, signed)).status).toBe(200);
      expect((await saa.get('/v1/inbox')).body.items.map((i: { deliveryId: string }) => i.deliveryId)).not.toContain(item.deliveryId);
    });

    it('hands out what was never fetched before what waits for its acknowledgement, and nothing past its time-to-live', async () => {
      const saa = system.as('BG-SAA');
      const first = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const second = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      await vi.waitFor(async () => expect((await system.track(second.id, 'BG-NCCTHB')).deliveries[0].status).toBe('queued'));
      // Everything fetched now stays unacknowledged: a recipient that crashed after fetching.
      while ((await saa.get('/v1/inbox?limit=100')).body.items.some((i: { exchangeId: string }) => i.exchangeId === second.id) === false);
      const fresh = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const stale = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      await vi.waitFor(async () => expect((await system.track(stale.id, 'BG-NCCTHB')).deliveries[0].status).toBe('queued'));
      await system.running.db.query("UPDATE deliveries SET expires_at = now() - interval '1 second' WHERE exchange_id = $1", [stale.id]);
      const offered = (await saa.get('/v1/inbox?limit=1')).body.items.map((i: { exchangeId: string }) => i.exchangeId);
      expect(offered).toEqual([fresh.id]);
      const all = (await saa.get('/v1/inbox?limit=100')).body.items.map((i: { exchangeId: string }) => i.exchangeId);
      expect(all).toEqual(expect.arrayContaining([first.id, second.id, fresh.id]));
      expect(all).not.toContain(stale.id);
      expect((await system.track(stale.id, 'BG-NCCTHB')).deliveries[0].status).not.toBe('delivered');
    });

    it('holds a long poll open until a delivery arrives', async () => {
      const saa = system.as('BG-SAA');
      while ((await saa.get('/v1/inbox')).body.items.length > 0) {
        for (const item of (await saa.get('/v1/inbox')).body.items) {
          await saa.post(`/v1/inbox/${item.deliveryId}/ack`, signedReceipt(system.certificate('BG-SAA'), { deliveryId: item.deliveryId, envelopeDigest: item.envelopeDigest }));
        }
      }
      const started = Date.now();
      const poll = saa.get('/v1/inbox?wait=10');
      await system.polling('BG-SAA'); // the poll found nothing and waits
      const accepted = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const response = await poll;
      expect(response.body.items.map((i: { exchangeId: string }) => i.exchangeId)).toContain(accepted.id);
      expect(Date.now() - started).toBeLessThan(8000);
    });

    it('refuses an inbox ack from another participant or for a pushed delivery', async () => {
      const pulled = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const pushed = await system.submit('Referral');
      const pushedDelivery = (await system.settle(pushed.id, 'BG-NCCTHB', ['acknowledged'])).deliveries[0].id;
      const digest = (await system.track(pulled.id, 'BG-NCCTHB')).envelopeDigest;
      const moi = signedReceipt(system.certificate('BG-MOI'), { deliveryId: pulled.deliveries[0]!.id, envelopeDigest: digest });
      expect((await system.as('BG-MOI').post(`/v1/inbox/${pulled.deliveries[0]!.id}/ack`, moi)).body.code).toBe('GW_DELIVERY_NOT_FOUND');
      const ngoReceipt = signedReceipt(system.certificate('BG-NGO-ANIMUS'), { deliveryId: pushedDelivery, envelopeDigest: (await system.track(pushed.id, 'BG-NCCTHB')).envelopeDigest });
      expect((await system.as('BG-NGO-ANIMUS').post(`/v1/inbox/${pushedDelivery}/ack`, ngoReceipt)).body.code).toBe('GW_DELIVERY_NOT_PULL');
    });
  });

  describe('receipts', () => {
    it('accepts a receipt only from the delivery\'s recipient, for the delivered digest', async () => {
      const accepted = await system.submit('Referral', (m) => (m.recipients = ['BG-SAA']));
      const saa = system.as('BG-SAA');
      let item: { deliveryId: string; envelopeDigest: string } | undefined;
      await vi.waitFor(async () => {
        item = (await saa.get('/v1/inbox?limit=100')).body.items.find((i: { exchangeId: string }) => i.exchangeId === accepted.id);
        expect(item).toBeDefined();
      });
      if (!item) return;
      const statement = { deliveryId: item.deliveryId, envelopeDigest: item.envelopeDigest };
      const saaCert = system.certificate('BG-SAA');
      // BG-MOI signs and sends a receipt for BG-SAA's delivery: not its delivery.
      expect((await system.as('BG-MOI').post('/v1/receipts', signedReceipt(system.certificate('BG-MOI'), statement))).body.code).toBe('GW_DELIVERY_NOT_FOUND');
      // BG-SAA sends a receipt BG-MOI signed: the signer is not the recipient.
      const foreign = await saa.post('/v1/receipts', signedReceipt(system.certificate('BG-MOI'), statement));
      expect(foreign.status).toBe(403);
      expect(foreign.body.code).toBe('GW_SIGNER_MISMATCH');
      const wrong = await saa.post('/v1/receipts', signedReceipt(saaCert, { ...statement, envelopeDigest: `sha256:${'0'.repeat(64)}` }));
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('GW_RECEIPT_DIGEST_MISMATCH');
      const incomplete = await saa.post('/v1/receipts', signedReceipt(saaCert, { deliveryId: item.deliveryId } as never));
      expect(incomplete.body.violations).toContainEqual(expect.objectContaining({ pointer: '/receipt#payload/envelopeDigest', keyword: 'required' }));
      expect((await saa.post('/v1/receipts', statement)).body.violations).toContainEqual(expect.objectContaining({ pointer: '/receipt', keyword: 'required' }));
      const good = await saa.post('/v1/receipts', signedReceipt(saaCert, statement));
      expect(good.body.status).toBe('acknowledged');
      // The sender sees the recipient's signed receipt: proof of delivery.
      expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].receipt).toBe(good.body.receipt);
    });

    describe('in the answer to the delivery', () => {
      const ca = () => readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8');
      const signingAs = (participantId: string) => ({ tls: { caPem: ca(), ...system.certificate(participantId) }, inAnswer: true as const });
      const auditedActions = async (exchangeId: string) => {
        const db = await openDatabase({ url: system.databaseUrl });
        try {
          const { rows } = await db.query<{ action: string; actor: string; via: string | null }>(
            "SELECT action, actor, details->>'via' AS via FROM audit_log WHERE exchange_id = $1 AND action LIKE 'delivery.%' ORDER BY seq", [exchangeId]);
          return rows;
        } finally {
          await db.close();
        }
      };
      // The demo agency sends its receipts to POST /v1/receipts; these tests change that, and put it back.
      afterEach(() => ngo().sendReceiptsTo({ tls: signingAs('BG-NGO-ANIMUS').tls, gatewayUrl: system.running.url.replace('127.0.0.1', 'localhost') }));

      it('acknowledges with the recipient\'s receipt in its answer: one attempt, the receipt on the delivery, audited delivered then acknowledged', async () => {
        ngo().sendReceiptsTo(signingAs('BG-NGO-ANIMUS'));
        const accepted = await system.submit('Referral');
        const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
        const [delivery] = exchange.deliveries;
        expect(statuses(delivery)).toEqual(['accepted', 'queued', 'delivering', 'delivered', 'acknowledged']);
        expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
        // The sender's proof of delivery is the recipient's own signature, checked here with jose.
        const [header] = delivery.receipt.split('.');
        const signer = new X509Certificate(Buffer.from(JSON.parse(Buffer.from(header, 'base64url').toString()).x5c[0], 'base64'));
        const { payload } = await compactVerify(delivery.receipt, await importX509(signer.toString(), 'RS256'));
        expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ deliveryId: delivery.id, envelopeDigest: exchange.envelopeDigest });
        expect(signer.subjectAltName).toContain('urn:nrm:participant:BG-NGO-ANIMUS');
        expect(await auditedActions(accepted.id)).toEqual([
          { action: 'delivery.delivered', actor: 'gateway', via: null },
          { action: 'delivery.acknowledged', actor: 'participant:BG-NGO-ANIMUS', via: 'answer' },
        ]);
      });

      it('leaves the delivery delivered when the receipt in the answer is not the recipient\'s, logs why, and takes the right one by the API', async () => {
        ngo().sendReceiptsTo(signingAs('BG-MOI'));
        const accepted = await system.submit('Referral');
        const exchange = await system.settle(accepted.id, 'BG-NCCTHB', ['delivered']);
        const [delivery] = exchange.deliveries;
        expect(delivery.receipt).toBeUndefined();
        await vi.waitFor(() => expect(logs.lines.some((l) => l.includes(delivery.id) && l.includes('GW_SIGNER_MISMATCH'))).toBe(true));
        expect(await auditedActions(accepted.id)).toEqual([{ action: 'delivery.delivered', actor: 'gateway', via: null }]);
        const good = await system.as('BG-NGO-ANIMUS').post('/v1/receipts', signedReceipt(system.certificate('BG-NGO-ANIMUS'), { deliveryId: delivery.id, envelopeDigest: exchange.envelopeDigest }));
        expect(good.body.status).toBe('acknowledged');
        expect((await auditedActions(accepted.id)).map((e) => e.action)).toEqual(['delivery.delivered', 'delivery.acknowledged']);
      });

      it('leaves the delivery delivered when the recipient\'s own receipt in the answer names another digest or another delivery', async () => {
        ngo().sendReceiptsTo(signingAs('BG-NGO-ANIMUS'));
        const cases = [
          { names: { envelopeDigest: `sha256:${'0'.repeat(64)}` }, code: 'GW_RECEIPT_DIGEST_MISMATCH' },
          { names: { deliveryId: '00000000-0000-4000-8000-000000000000' }, code: 'RECEIPT_OTHER_DELIVERY' },
        ];
        try {
          for (const { names, code } of cases) {
            ngo().behave({ receiptNames: names });
            const accepted = await system.submit('Referral');
            const [delivery] = (await system.settle(accepted.id, 'BG-NCCTHB', ['delivered'])).deliveries;
            expect(delivery.receipt).toBeUndefined();
            await vi.waitFor(() => expect(logs.lines.some((l) => l.includes(delivery.id) && l.includes(code))).toBe(true));
            expect((await auditedActions(accepted.id)).map((e) => e.action)).toEqual(['delivery.delivered']);
          }
        } finally {
          ngo().behave({});
        }
      });

      it('records the hand-over too when a receipt by the API overtakes the worker\'s record of it', async () => {
        // The recipient holds its answer; its receipt arrives by the API while the attempt is in flight.
        ngo().behave({ delayMs: 1_500 });
        try {
          const accepted = await system.submit('Referral');
          await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].status).toBe('delivering'), { timeout: 10_000 });
          const tracked = await system.track(accepted.id, 'BG-NCCTHB');
          const early = await system.as('BG-NGO-ANIMUS').post('/v1/receipts', signedReceipt(system.certificate('BG-NGO-ANIMUS'), { deliveryId: tracked.deliveries[0].id, envelopeDigest: tracked.envelopeDigest }));
          expect(early.body.status).toBe('acknowledged');
          expect(await auditedActions(accepted.id)).toEqual([
            { action: 'delivery.delivered', actor: 'gateway', via: null },
            { action: 'delivery.acknowledged', actor: 'participant:BG-NGO-ANIMUS', via: 'receipt' },
          ]);
          await system.drained('BG-NGO-ANIMUS');
          // The worker's own record comes after, and changes neither status nor the audit.
          const settled = await system.track(accepted.id, 'BG-NCCTHB');
          expect(settled.deliveries[0].status).toBe('acknowledged');
          expect(settled.deliveries[0].attempts).toHaveLength(1);
          expect((await auditedActions(accepted.id)).length).toBe(2);
        } finally {
          ngo().behave({});
        }
      });
    });

    it('refuses a receipt for a delivery not handed over yet', async () => {
      // The recipient asks for a minute: the delivery waits in `retrying`, not in flight.
      ngo().behave({ fail: { status: 503, retryAfter: '60' } });
      try {
        const accepted = await system.submit('Referral');
        await vi.waitFor(async () => expect((await system.track(accepted.id, 'BG-NCCTHB')).deliveries[0].status).toBe('retrying'), { timeout: 10_000 });
        const tracked = await system.track(accepted.id, 'BG-NCCTHB');
        const response = await system.as('BG-NGO-ANIMUS').post('/v1/receipts', signedReceipt(system.certificate('BG-NGO-ANIMUS'), { deliveryId: tracked.deliveries[0].id, envelopeDigest: tracked.envelopeDigest }));
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('GW_DELIVERY_NOT_DELIVERED');
        expect((await system.as('BG-NCCTHB').post(`/v1/exchanges/${accepted.id}/cancel`)).body.deliveries[0].status).toBe('cancelled');
      } finally {
        ngo().behave({});
      }
    });
  });

  describe('status events', () => {
    it('streams every status change over SSE, and resumes after Last-Event-ID', async () => {
      const accepted = await system.submit('Referral');
      await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
      const ca = readFileSync(join(system.running.devCertsDir!, 'ca.pem'));
      const clients = join(system.running.devCertsDir!, 'clients');
      const agent = new Agent({ connect: { ca, cert: readFileSync(join(clients, 'BG-NCCTHB.pem')), key: readFileSync(join(clients, 'BG-NCCTHB-key.pem')) } });
      const read = async (headers: Record<string, string>) => {
        const controller = new AbortController();
        const response = await request(`${system.running.url.replace('127.0.0.1', 'localhost')}/v1/exchanges/${accepted.id}/events`, { dispatcher: agent, headers, signal: controller.signal });
        expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
        let text = '';
        for await (const chunk of response.body) {
          text += chunk;
          if ((text.match(/\n\n/g) ?? []).length >= (headers['last-event-id'] ? 2 : 5)) break;
        }
        controller.abort();
        return text.split('\n\n').filter(Boolean).map((block) => ({
          id: /^id: (\d+)$/m.exec(block)?.[1],
          data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}'),
        }));
      };
      const all = await read({});
      expect(all.map((e) => e.data.status)).toEqual(['accepted', 'queued', 'delivering', 'delivered', 'acknowledged']);
      expect(all[0]!.data).toMatchObject({ exchangeId: accepted.id, recipient: 'BG-NGO-ANIMUS', messageId: accepted.messageId });
      const resumed = await read({ 'last-event-id': all[2]!.id! });
      expect(resumed.map((e) => e.data.status)).toEqual(['delivered', 'acknowledged']);
      await agent.close();
      expect((await system.as('BG-SAA').get(`/v1/exchanges/${accepted.id}/events`)).status).toBe(404);
    });

    it('notifies the sender\'s webhook of each status change, retrying while it fails', async () => {
      const pki = { ca: readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8'), ...readServer(system) };
      const received: Array<{ status: string; exchangeId: string }> = [];
      let failures = 1;
      const hook = https.createServer({ key: pki.key, cert: pki.cert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (failures-- > 0) return void res.writeHead(503).end();
          received.push(JSON.parse(body));
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
      const url = `https://localhost:${(hook.address() as AddressInfo).port}/hooks/status`;
      const plain = await system.as('BG-NCCTHB').post('/v1/webhooks', { url: url.replace('https:', 'http:') });
      expect(plain.status).toBe(400);
      expect(plain.body.violations).toContainEqual(expect.objectContaining({ pointer: '/url' }));
      expect((await system.as('gateway-admin').post('/v1/webhooks', { url })).body.code).toBe('GW_ROLE_REQUIRED');
      const registered = await system.as('BG-NCCTHB').post('/v1/webhooks', { url });
      expect(registered.status).toBe(201);
      expect((await system.as('BG-NCCTHB').get('/v1/webhooks')).body.items.map((w: { url: string }) => w.url)).toContain(url);

      const accepted = await system.submit('Referral');
      await system.settle(accepted.id, 'BG-NCCTHB', ['acknowledged']);
      await vi.waitFor(() => expect(received.filter((e) => e.exchangeId === accepted.id).map((e) => e.status)).toEqual(
        expect.arrayContaining(['accepted', 'queued', 'delivering', 'delivered', 'acknowledged']),
      ), { timeout: 10_000 });
      expect(JSON.stringify(received)).not.toMatch(/Desislava|Testova|payload/);
      expect((await system.as('BG-NCCTHB').send('DELETE', `/v1/webhooks/${registered.body.id}`)).status).toBe(204);
      expect((await system.as('BG-MOI').send('DELETE', `/v1/webhooks/${registered.body.id}`)).status).toBe(404);
      hook.close();
    });
  });
});

function readServer(system: TestSystem): { key: string; cert: string } {
  return {
    key: readFileSync(join(system.running.devCertsDir!, 'server-key.pem'), 'utf8'),
    cert: readFileSync(join(system.running.devCertsDir!, 'server.pem'), 'utf8'),
  };
}
