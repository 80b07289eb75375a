/**
 * Finding 6: a recipient sees only itself and its own legal basis — not the other
 * recipients, nor the bases (with their free-text justifications) given for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('what a recipient sees of the others', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  let id: string;
  const saaJustification = 'The social assistance directorate must open a protection file under its statute.';
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki });
    const message = freshExample('Referral');
    message.recipients = ['BG-NGO-ANIMUS', 'BG-SAA'];
    message.legalBasis = { exemption: 'vital-interest', justification: 'The person is in immediate danger and needs a shelter place tonight.' };
    message.recipientLegalBasis = { 'BG-SAA': { exemption: 'legal-obligation', justification: saaJustification } };
    const response = await gw.as(pki.participant('BG-NCCTHB')).post('/v1/exchanges', message);
    expect(response.status, response.text).toBe(202);
    id = response.body.id;
  });
  afterAll(() => gw?.close());

  const copyFor = async (recipient: string) =>
    (await gw.db.query<{ envelope: any }>('SELECT COALESCE(d.envelope, e.envelope) AS envelope FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE e.id = $1 AND d.recipient = $2', [id, recipient])).rows[0]!.envelope;

  it('delivers each recipient a copy naming itself only, with only the basis it relies on', async () => {
    const ngo = await copyFor('BG-NGO-ANIMUS');
    expect(ngo.recipients).toEqual(['BG-NGO-ANIMUS']);
    expect(ngo.legalBasis).toMatchObject({ exemption: 'vital-interest' });
    expect(ngo).not.toHaveProperty('recipientLegalBasis');
    expect(JSON.stringify(ngo)).not.toContain(saaJustification);
    const saa = await copyFor('BG-SAA');
    expect(saa.recipients).toEqual(['BG-SAA']);
    expect(saa.recipientLegalBasis).toEqual({ 'BG-SAA': { exemption: 'legal-obligation', justification: saaJustification } });
    expect(saa).not.toHaveProperty('legalBasis');
  });

  it('shows a recipient itself alone in the tracking view and the list; the sender sees everyone', async () => {
    const ngo = gw.as(pki.participant('BG-NGO-ANIMUS'));
    const view = (await ngo.get(`/v1/exchanges/${id}`)).body;
    expect(view.recipients).toEqual(['BG-NGO-ANIMUS']);
    expect(view.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual(['BG-NGO-ANIMUS']);
    const listed = (await ngo.get('/v1/exchanges?limit=50')).body.items.find((e: { id: string }) => e.id === id);
    expect(listed.recipients).toEqual(['BG-NGO-ANIMUS']);
    expect((await gw.as(pki.participant('BG-NCCTHB')).get(`/v1/exchanges/${id}`)).body.recipients).toEqual(['BG-NGO-ANIMUS', 'BG-SAA']);
  });
});
