/**
 * Finding 7 (the rest): an exemption justified with text that says nothing is not only
 * counted — the exchange is accepted and the exemption is flagged, in the acceptance's own
 * statement, for an auditor to judge; the verdict is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('exemptions with empty justifications', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  const submit = (justification: string) => {
    const alert = freshExample('Alert');
    alert.legalBasis = { exemption: 'vital-interest', justification };
    return gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', alert);
  };
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
  });
  afterAll(() => gw?.close());

  it('accepts the exchange and flags its exemption for review; a real justification raises nothing', async () => {
    const empty = await submit('aaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(empty.status, empty.text).toBe(202);
    expect((await submit('Person found in a locked van at the border crossing, needs immediate protection.')).status).toBe(202);

    const open = await gw.as(pki.admin).get('/v1/admin/exemption-reviews');
    expect(open.status, open.text).toBe(200);
    expect(open.body.items).toEqual([expect.objectContaining({
      exchangeId: empty.body.id, sender: 'BG-MOI', exemption: 'vital-interest', justification: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      concerns: ['repeated-characters', 'too-few-words'],
    })]);
    expect(open.body.items[0]).not.toHaveProperty('outcome');
    // The flag is in the acceptance's audit entry and the case figures.
    const { rows } = await gw.db.query<{ details: { flaggedExemptions?: string[] } }>(
      `SELECT details FROM audit_log WHERE action = 'exchange.accepted' AND exchange_id = $1`, [empty.body.id],
    );
    expect(rows[0]!.details.flaggedExemptions).toEqual(['vital-interest']);
    expect((await gw.as(pki.admin).get('/v1/admin/metrics')).text).toContain('rg_exemptions_flagged_total{exemption="vital-interest"} 1');
  });

  it('shows the reviews to auditors and consent officers only, and lets only an auditor close one, once, audited', async () => {
    expect((await gw.as(pki.participant('BG-MOI')).get('/v1/admin/exemption-reviews')).body.code).toBe('GW_ROLE_REQUIRED');
    const [review] = (await gw.as(pki.consentOfficer).get('/v1/admin/exemption-reviews')).body.items;
    const path = `/v1/admin/exemption-reviews/${review.id}/close`;
    expect((await gw.as(pki.consentOfficer).post(path, { outcome: 'not-justified', note: 'Asked the ministry for reasons.' })).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await gw.as(pki.admin).post(path, { outcome: 'maybe', note: 'x' })).body.violations.map((v: { pointer: string }) => v.pointer).sort()).toEqual(['/note', '/outcome']);

    const closed = await gw.as(pki.admin).post(path, { outcome: 'not-justified', note: 'Asked the ministry for reasons.' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ outcome: 'not-justified', closedBy: 'admin:test-admin', note: 'Asked the ministry for reasons.' });
    const again = await gw.as(pki.admin).post(path, { outcome: 'justified', note: 'Changed my mind.' });
    expect([again.status, again.body.code, again.body.retryable]).toEqual([409, 'GW_REVIEW_CLOSED', false]);
    expect((await gw.as(pki.admin).post('/v1/admin/exemption-reviews/6f1c2b8e-0000-4000-8000-000000000000/close', { outcome: 'justified', note: 'Fine.' })).body.code).toBe('GW_REVIEW_NOT_FOUND');

    expect((await gw.as(pki.admin).get('/v1/admin/exemption-reviews')).body.items).toEqual([]);
    expect((await gw.as(pki.admin).get('/v1/admin/exemption-reviews?status=closed')).body.items).toEqual([expect.objectContaining({ id: review.id, outcome: 'not-justified' })]);
    const { rows } = await gw.db.query<{ actor: string; details: Record<string, unknown> }>(`SELECT actor, details FROM audit_log WHERE action = 'exemption.reviewed'`);
    expect(rows).toEqual([{ actor: 'admin:test-admin', details: { reviewId: review.id, exemption: 'vital-interest', outcome: 'not-justified', note: 'Asked the ministry for reasons.' } }]);
  });
});
