/**
 * Finding 8: cross-site requests ride on client certificates. A browser holding an
 * administrator's certificate presents it to any page's request; a state-changing request a
 * foreign page can forge is refused, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('requests a foreign page can forge', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
  });
  afterAll(() => gw?.close());

  const admin = () => gw.as(pki.admin);
  const sent = async () => {
    const response = await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', freshExample('Alert'));
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const status = async (id: string) => (await admin().get(`/v1/exchanges/${id}`)).body.deliveries.map((d: { status: string }) => d.status);

  it.each([
    ['an HTML form post with no body (the finding: answered 200 and retried every dead letter)', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, 403, 'GW_CROSS_SITE_REQUEST'],
    ['a form post without an Origin (an old browser)', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'GW_UNSUPPORTED_MEDIA_TYPE'],
    ['a text/plain post (a form with enctype text/plain)', { 'content-type': 'text/plain' }, 415, 'GW_UNSUPPORTED_MEDIA_TYPE'],
    ['a multipart form post', { 'content-type': 'multipart/form-data; boundary=x' }, 415, 'GW_UNSUPPORTED_MEDIA_TYPE'],
    ['JSON with the Origin of another site', { 'content-type': 'application/json', origin: 'https://evil.example' }, 403, 'GW_CROSS_SITE_REQUEST'],
    ['a request the browser marks cross-site', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, 403, 'GW_CROSS_SITE_REQUEST'],
    ['a request from a sibling site', { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, 403, 'GW_CROSS_SITE_REQUEST'],
  ])('refuses %s, and nothing changes', async (_name, headers, code, problem) => {
    const id = await sent();
    for (const path of [`/v1/exchanges/${id}/cancel`, '/v1/admin/dead-letters/retry']) {
      const response = await admin().send('POST', path, { headers });
      expect([response.status, response.body.code], path).toEqual([code, problem]);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
    }
    expect(await status(id)).toEqual(['accepted']);
  });

  it('takes the same request from an agency system (no browser headers) and from the gateway\'s own origin', async () => {
    const first = await sent();
    expect((await admin().send('POST', `/v1/exchanges/${first}/cancel`, { headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(await status(first)).toEqual(['cancelled']);
    const second = await sent();
    const own = new URL(gw.url).host;
    const sameOrigin = await admin().send('POST', `/v1/exchanges/${second}/cancel`, {
      headers: { 'content-type': 'application/json', origin: `https://${own}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    // Reading stays open to a page (nothing changes, and the answer cannot be read across sites without CORS).
    expect((await admin().send('GET', `/v1/exchanges/${second}`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});
