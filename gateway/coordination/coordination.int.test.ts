/**
 * Referral states and the case-thread view on the whole system (PostgreSQL, Redis, agency
 * systems over HTTPS): a referral follows its recipient's response and updates through
 * received, accepted, in-progress and completed; a declined one is listed for re-referral;
 * the view is for the thread's parties and the coordinator, and shows each only the
 * measures its own copies carried.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueId } from '../../testing/test-gateway.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import { DEMO_CONSENT } from '../../demo/participants.ts';

describe('coordination: referral states and case threads', () => {
  let system: TestSystem;
  const thread = uniqueId('case');
  const eventually = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });
  /** Waits until the referral (its exchange id) is in `state`, as `viewer` lists it. */
  const referralIn = (viewer: string, exchangeId: string, state: string) => eventually(async () => {
    const { body } = await system.as(viewer).get(`/v1/referrals?correlationId=${thread}`);
    const referral = body.items.find((r: { exchangeId: string }) => r.exchangeId === exchangeId);
    expect(referral?.state).toBe(state);
    return referral;
  });
  const view = (viewer: string, correlationId = thread) => system.as(viewer).get(`/v1/cases/${correlationId}`);

  beforeAll(async () => {
    // The webhook receiver below runs on this machine: an operator's allow-list lets the coordinator's hooks reach it.
    system = await startTestSystem({ overrides: { audit: { chainIntervalMs: 100 }, webhooks: { allowPrivate: { 'BG-NCCTHB': ['127.0.0.0/8', '::1/128'] } } } });
  });
  afterAll(() => system?.close());

  let referral: { id: string; messageId: string };
  it('follows a referral from received to completed with its recipient\'s response and updates', async () => {
    referral = await system.submit('Referral', (m) => { m.correlationId = thread; });
    const received = await referralIn('BG-NCCTHB', referral.id, 'received');
    expect(received).toMatchObject({ requester: 'BG-NCCTHB', owner: 'BG-NGO-ANIMUS', urgency: 'urgent', respondBy: '2026-11-20T18:00:00.000Z', fhirStatus: 'received' });

    const response = await system.submit('ReferralResponse', (m) => { m.correlationId = thread; m.inReplyTo = referral.messageId; });
    await referralIn('BG-NGO-ANIMUS', referral.id, 'accepted');
    const progress = await system.submit('CaseUpdate', (m) => { m.correlationId = thread; });
    await referralIn('BG-NCCTHB', referral.id, 'in-progress');
    await system.settle(progress.id, 'BG-NGO-ANIMUS', ['acknowledged']);

    const working = (await view('BG-NCCTHB')).body;
    expect(working.holder).toBe('BG-NGO-ANIMUS');
    expect(working.messages.map((m: { type: string }) => m.type)).toEqual(['referral', 'referral-response', 'case-update']);
    expect(working.latestUpdates).toEqual([{ participant: 'BG-NGO-ANIMUS', update: 'measure-progress', exchangeId: progress.id, at: expect.any(String) }]);
    expect(working.measures.map((m: { code: string; status: string }) => `${m.code} ${m.status}`)).toEqual(['1.1 completed', '1.2 completed', '2.1 completed', '3.1 in-progress']);
    expect(working.referrals[0].timeline.map((s: { state: string }) => s.state)).toEqual(['requested', 'received', 'accepted', 'in-progress']);
    expect(working.referrals[0].timeline[2].exchangeId).toBe(response.id);

    await system.submit('CaseUpdate', (m) => {
      m.correlationId = thread;
      m.payload.update = 'case-closure';
      m.payload.closure = { closedOn: '2026-12-04', reason: 'reintegrated' };
    });
    const completed = await referralIn('BG-NCCTHB', referral.id, 'completed');
    expect(completed.fhirStatus).toBe('completed');
    expect((await system.track(referral.id, 'BG-NCCTHB')).deliveries[0].referralState).toBe('completed');
    expect((await system.track(progress.id, 'BG-NGO-ANIMUS')).deliveries[0].referralState).toBeUndefined();
    expect((await view('BG-NGO-ANIMUS')).body.holder).toBeUndefined();
  });

  it('lists a declined referral for re-referral, to its requester and its owner', async () => {
    const second = await system.submit('Referral', (m) => { m.correlationId = thread; });
    await referralIn('BG-NCCTHB', second.id, 'received');
    await system.submit('ReferralResponse', (m) => {
      m.correlationId = thread;
      m.inReplyTo = second.messageId;
      m.payload.decision = 'declined';
      m.payload.declineReason = 'no-capacity';
    });
    await referralIn('BG-NCCTHB', second.id, 'declined');
    for (const viewer of ['BG-NCCTHB', 'BG-NGO-ANIMUS']) {
      const declined = (await system.as(viewer).get('/v1/referrals?state=declined')).body.items;
      expect(declined.map((r: { exchangeId: string }) => r.exchangeId), viewer).toEqual([second.id]);
      expect(declined[0].fhirStatus).toBe('rejected');
    }
    // The first referral stays completed: the later decline answered the other one.
    await referralIn('BG-NCCTHB', referral.id, 'completed');
  });

  it('shows the thread to its parties and the coordinator only', async () => {
    const stranger = await view('BG-MOI');
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('GW_CASE_UNKNOWN');
    expect((await system.as('BG-MOI').get(`/v1/referrals?correlationId=${thread}`)).body.items).toEqual([]);
    const admin = await view('gateway-admin');
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('GW_ROLE_REQUIRED');
    const bad = await view('BG-NCCTHB', 'x');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('GW_VALIDATION_FAILED');
    expect((await system.as('BG-NCCTHB').get('/v1/referrals?state=pending')).body.code).toBe('GW_VALIDATION_FAILED');
    expect((await system.as('BG-NCCTHB').get('/v1/referrals?after=nonsense')).body.code).toBe('GW_VALIDATION_FAILED');
    const forged = Buffer.from('2026-12-01T00:00:00.000Z|not-a-uuid').toString('base64url');
    for (const path of ['/v1/referrals', '/v1/alerts']) {
      const refused = await system.as('BG-NCCTHB').get(`${path}?after=${forged}`);
      expect([refused.status, refused.body.code], path).toEqual([400, 'GW_VALIDATION_FAILED']);
    }
  });

  it('shows each viewer only the measures its own copies carried', async () => {
    // A consent that lets the coordinator have the case but not the person's needs and services.
    const consent = await system.as('BG-NGO-ANIMUS').post('/v1/consents', {
      ...DEMO_CONSENT,
      validFrom: new Date().toISOString(),
      scope: [
        { ...DEMO_CONSENT.scope[0]!, participantKinds: ['ngo'] },
        { ...DEMO_CONSENT.scope[0]!, participantKinds: ['coordinator'], categories: ['identity', 'contact'] },
      ],
    });
    expect(consent.status, consent.text).toBe(201);
    const narrow = uniqueId('case');
    // A follow-up (its measures may be withheld; a measure-progress update cannot go without them).
    const update = await system.submit('CaseUpdate', (m) => { m.correlationId = narrow; m.payload.update = 'follow-up'; m.legalBasis = { consentId: consent.body.id }; });
    const delivered = await system.settle(update.id, 'BG-NGO-ANIMUS', ['acknowledged']);
    expect(delivered.deliveries[0].withheldCategories).toContain('needs-and-services');

    await eventually(async () => expect((await view('BG-NCCTHB', narrow)).status).toBe(200));
    const coordinator = (await view('BG-NCCTHB', narrow)).body;
    expect(coordinator.latestUpdates.map((u: { update: string }) => u.update)).toEqual(['follow-up']);
    expect(coordinator.measures).toEqual([]);
    const sender = (await view('BG-NGO-ANIMUS', narrow)).body;
    expect(sender.measures.length).toBeGreaterThan(0);
  });

  it('sends the alert of an unanswered referral to the coordinator\'s webhook, once', async () => {
    const certs = system.running.devCertsDir!;
    const notifications: Array<Record<string, string>> = [];
    const hook = https.createServer({
      key: readFileSync(join(certs, 'server-key.pem'), 'utf8'), cert: readFileSync(join(certs, 'server.pem'), 'utf8'), ca: readFileSync(join(certs, 'ca.pem'), 'utf8'),
      requestCert: true, rejectUnauthorized: true,
    }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body);
        if (parsed.alertId) notifications.push({ ...parsed, header: String(req.headers['referral-event-id']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const registered = await system.as('BG-NCCTHB').post('/v1/webhooks', { url: `https://localhost:${(hook.address() as AddressInfo).port}/hooks` });
      expect(registered.status).toBe(201);
      const quiet = uniqueId('case');
      await system.submit('Referral', (m) => { m.correlationId = quiet; delete m.payload.reflectionPeriod; });
      await eventually(async () => expect((await system.as('BG-NCCTHB').get(`/v1/referrals?correlationId=${quiet}`)).body.items[0]?.state).toBe('received'));
      await system.running.gateway.coordination.fireDue(new Date(Date.now() + 30 * 86_400_000));
      const alert = (await system.as('BG-NCCTHB').get('/v1/alerts')).body.items.find((a: { correlationId: string }) => a.correlationId === quiet);
      expect(alert.kind).toBe('response-due');
      await eventually(async () => expect(notifications.filter((n) => n.alertId === alert.id)).toHaveLength(1));
      await eventually(async () => expect((await system.running.db.query('SELECT 1 FROM alerts WHERE id = $1 AND webhooks_dispatched', [alert.id])).rows).toHaveLength(1));
      const [notice] = notifications.filter((n) => n.alertId === alert.id);
      expect(notice).toEqual({
        alertId: alert.id, kind: 'response-due', correlationId: quiet, details: {}, participant: 'BG-NCCTHB', responsible: 'BG-NGO-ANIMUS',
        dueAt: alert.dueAt, raisedAt: alert.raisedAt, link: alert.link, header: `alert-${alert.id}`,
      });
      expect(JSON.stringify(notifications)).not.toMatch(/Desislava|Testova|1999-04-02|payload/);
    } finally {
      hook.close();
    }
  });

  it('exposes the metrics operators expect, with no personal value in them', async () => {
    const text = (await system.as('BG-NCCTHB').get('/metrics')).text;
    const value = (pattern: string) => Number(text.match(new RegExp(`^${pattern} (\\S+)$`, 'm'))?.[1] ?? NaN);
    expect(value('rg_http_request_duration_seconds_count\\{route="/v1/exchanges",method="POST",status="202"\\}')).toBeGreaterThanOrEqual(8);
    expect(value('rg_http_request_duration_seconds_count\\{route="/v1/cases/\\{correlationId\\}",method="GET",status="404"\\}')).toBeGreaterThanOrEqual(1);
    expect(value('rg_deliveries\\{recipient="BG-NGO-ANIMUS",status="acknowledged"\\}')).toBeGreaterThanOrEqual(2);
    expect(value('rg_delivery_latency_seconds_count\\{recipient="BG-NGO-ANIMUS"\\}')).toBeGreaterThanOrEqual(2);
    expect(value('rg_queue_depth\\{recipient="BG-NGO-ANIMUS"\\}')).toBe(0);
    expect(text).toContain('# TYPE rg_dead_letters gauge');
    expect(value('rg_clocks_overdue')).toBeGreaterThanOrEqual(0);
    expect(value('rg_alerts_raised_total\\{kind="response-due"\\}')).toBeGreaterThanOrEqual(1);
    // Labels are routes, methods, statuses, participants and kinds: never a case id, a person or a pseudonym.
    const subject = DEMO_CONSENT.subject.identity!;
    for (const personal of [subject.givenName, subject.familyName, subject.dateOfBirth, thread, 'pseudonym']) expect(text, personal).not.toContain(personal);
  });
});
