/**
 * The participant registry managed at run time, on real PostgreSQL with two gateway
 * processes sharing it: an operator adds a participant, it is addressed and signs in
 * without a restart, in the other process too; changes and suspensions hold at once here and
 * within a second there; everything is audited. (What happens to deliveries:
 * queues/participants.int.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../../testing/test-gateway.ts';

const SHELTER = {
  id: 'BG-NGO-NADEZHDA', name: 'Nadezhda Shelter (invented)', kind: 'ngo', country: 'BG',
  accepts: [{ type: 'alert', schemaVersions: ['1.0'] }, { type: 'referral', schemaVersions: ['1.0'] }], sends: ['referral-response', 'case-update'],
};

describe('participants managed at run time', () => {
  const pki = createTestPki();
  let one: TestGateway;
  let two: TestGateway;
  beforeAll(async () => {
    one = await startTestGateway({ store: 'postgresql', pki });
    two = await startTestGateway({ store: 'postgresql', pki, sharing: one });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });
  const operator = (gw: TestGateway) => gw.as(pki.admin);
  const alertTo = (gw: TestGateway, ...recipients: string[]) => {
    const alert = freshExample('Alert');
    alert.recipients = recipients;
    return gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', alert);
  };
  const inbox = (gw: TestGateway) => gw.as(pki.participant(SHELTER.id)).get('/v1/inbox?limit=50');
  /** Waits until the other process's registry has read the store again. */
  const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 5000, interval: 100 });

  it('seeds the store from the configuration, and shows administrators where each came from', async () => {
    const listed = await operator(one).get('/v1/admin/participants');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.find((r: { participant: { id: string } }) => r.participant.id === 'BG-MOI')).toMatchObject({ origin: 'configuration', changedBy: 'configuration' });
    expect((await one.as(pki.participant('BG-MOI')).get('/v1/admin/participants')).body.code).toBe('GW_ROLE_REQUIRED');
  });

  it('refuses a definition that breaks the contract, a duplicate, and anyone but an operator', async () => {
    const bad = await operator(one).post('/v1/admin/participants', { ...SHELTER, kind: 'church', accepts: 'everything' });
    expect([bad.status, bad.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(bad.body.violations.map((v: { pointer: string }) => v.pointer)).toEqual(expect.arrayContaining(['/kind', '/accepts']));
    expect((await operator(one).post('/v1/admin/participants', { ...SHELTER, suspended: true })).body.violations).toContainEqual(expect.objectContaining({ pointer: '/suspended' }));
    expect((await one.as(pki.consentOfficer).post('/v1/admin/participants', SHELTER)).body.code).toBe('GW_ROLE_REQUIRED');
    const existing = await operator(one).post('/v1/admin/participants', { ...SHELTER, id: 'BG-MOI' });
    expect([existing.status, existing.body.code]).toEqual([409, 'GW_PARTICIPANT_EXISTS']);
    expect((await one.as(pki.participant('BG-MOI')).get(`/v1/participants/${SHELTER.id}`)).body.code).toBe('GW_PARTICIPANT_NOT_FOUND');
  });

  it('adds a participant that is addressed and signs in at once here, and within a second in the other process', async () => {
    const added = await operator(one).post('/v1/admin/participants', SHELTER);
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ participant: SHELTER, origin: 'administrator', changedBy: 'admin:test-admin' });
    expect((await one.as(pki.participant('BG-SAA')).get(`/v1/participants/${SHELTER.id}`)).body).toEqual(SHELTER);

    const here = await alertTo(one, 'BG-NCCTHB', SHELTER.id);
    expect(here.status, here.text).toBe(202);
    expect(here.body.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-NCCTHB', SHELTER.id]);
    await eventually(async () => expect((await alertTo(two, SHELTER.id)).status).toBe(202));
    // Its system signs in with a certificate the CA issued for it, in either process (delivery: queues/participants.int.test.ts).
    expect((await inbox(one)).status).toBe(200);
    expect((await inbox(two)).status).toBe(200);
  });

  it('changes what a participant accepts, from the next request on, in both processes', async () => {
    const changed = await operator(two).put(`/v1/admin/participants/${SHELTER.id}`, { ...SHELTER, accepts: [{ type: 'referral', schemaVersions: ['1.0'] }] });
    expect(changed.status, changed.text).toBe(200);
    expect(BigInt(changed.body.version)).toBeGreaterThan(0n);
    expect((await alertTo(two, SHELTER.id)).body.code).toBe('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE');
    await eventually(async () => expect((await alertTo(one, SHELTER.id)).body.code).toBe('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE'));
    expect((await operator(two).put(`/v1/admin/participants/${SHELTER.id}`, { ...SHELTER, id: 'BG-NGO-OTHER' })).body.violations).toContainEqual(expect.objectContaining({ pointer: '/id' }));
    expect((await operator(two).put('/v1/admin/participants/BG-NGO-NOBODY', { ...SHELTER, id: 'BG-NGO-NOBODY' })).body.code).toBe('GW_PARTICIPANT_NOT_FOUND');
    await operator(two).put(`/v1/admin/participants/${SHELTER.id}`, SHELTER);
  });

  it('suspends a participant: its certificate is refused and nobody may address it, in both processes, until reinstated', async () => {
    await eventually(async () => expect((await alertTo(one, SHELTER.id)).status).toBe(202));
    const suspended = await operator(one).post(`/v1/admin/participants/${SHELTER.id}/suspend`, { reason: 'Certificate key reported lost by the shelter.' });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body).toMatchObject({ participant: { suspended: true }, suspension: { by: 'admin:test-admin', reason: 'Certificate key reported lost by the shelter.' } });

    const refused = await inbox(one);
    expect([refused.status, refused.body.code, refused.body.retryable]).toEqual([403, 'GW_PARTICIPANT_SUSPENDED', false]);
    const addressed = await alertTo(one, 'BG-NCCTHB', SHELTER.id);
    expect([addressed.status, addressed.body.code]).toEqual([422, 'GW_RECIPIENT_SUSPENDED']);
    expect(addressed.body.violations).toEqual([expect.objectContaining({ pointer: '/recipients/1', message: 'is suspended' })]);
    expect((await one.as(pki.participant('BG-SAA')).get(`/v1/participants/${SHELTER.id}`)).body.suspended).toBe(true);
    await eventually(async () => expect((await inbox(two)).body.code).toBe('GW_PARTICIPANT_SUSPENDED'));
    // Suspending again changes nothing (the first reason stays).
    expect((await operator(two).post(`/v1/admin/participants/${SHELTER.id}/suspend`, { reason: 'Twice.' })).body.suspension.reason).toBe('Certificate key reported lost by the shelter.');

    const reinstated = await operator(two).post(`/v1/admin/participants/${SHELTER.id}/reinstate`, { reason: 'New certificate issued.' });
    expect(reinstated.status).toBe(200);
    expect(reinstated.body).not.toHaveProperty('suspension');
    await eventually(async () => expect((await inbox(one)).status).toBe(200));
    expect((await alertTo(one, SHELTER.id)).status).toBe(202);
  });

  it('audits every change with who made it', async () => {
    const { rows } = await one.db.query<{ actor: string; action: string; details: { participant: string; reason?: string } }>(
      `SELECT actor, action, details FROM audit_log WHERE action LIKE 'participant.%' ORDER BY seq`,
    );
    expect(rows.map((r) => [r.action, r.details.participant, r.details.reason ?? null])).toEqual([
      ['participant.added', SHELTER.id, null],
      ['participant.changed', SHELTER.id, null],
      ['participant.changed', SHELTER.id, null],
      ['participant.suspended', SHELTER.id, 'Certificate key reported lost by the shelter.'],
      ['participant.reinstated', SHELTER.id, 'New certificate issued.'],
    ]);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['admin:test-admin']));
  });
});
