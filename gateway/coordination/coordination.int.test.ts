/**
 * Referral states and the case-thread view on the whole system (PostgreSQL, Redis, agency
 * systems over HTTPS): a referral follows its recipient's response and updates through
 * received, accepted, in-progress and completed; a declined one is listed for re-referral;
 * the view is for the thread's parties and the coordinator, and shows each only the
 * measures its own copies carried.
 */
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
    system = await startTestSystem({ overrides: { audit: { chainIntervalMs: 100 } } });
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
});
