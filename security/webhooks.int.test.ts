/**
 * Finding 4: blind SSRF through webhooks. The gateway POSTs notifications with its own
 * client certificate, so a webhook may only point at a public address — unless an operator
 * allow-lists a private one for that participant — may carry no credentials, and a
 * participant may have only a few.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressAllowed } from '../gateway/index.ts';
import { createTestPki, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('webhook destinations', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki, overrides: { webhooks: { perParticipant: 3, allowPrivate: { 'BG-SACP': ['10.20.0.0/16', 'hooks.sacp.internal'] } } } });
  });
  afterAll(() => gw?.close());
  const register = (participant: string, url: string) => gw.as(pki.participant(participant)).post('/v1/webhooks', { url });

  it.each([
    ['loopback', 'https://127.0.0.1:8443/v1/admin/dead-letters/retry'],
    ['the local Redis port', 'https://127.0.0.1:6379/'],
    ['loopback written in hex', 'https://0x7f000001/'],
    ['loopback written as one number', 'https://2130706433/'],
    ['IPv6 loopback', 'https://[::1]/'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/'],
    ['a name that resolves to loopback', 'https://localhost:9/hook'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['a private range', 'https://10.1.2.3/hook'],
    ['another private range', 'https://192.168.1.10/hook'],
    ['a carrier-grade NAT address', 'https://100.64.0.1/hook'],
    ['a unique-local IPv6 address', 'https://[fd00::1]/hook'],
    ['a URL with credentials', 'https://user:secret@93.184.215.14/hook'],
    ['a name that does not resolve', 'https://no-such-host.invalid/hook'],
  ])('refuses %s, naming /url, and stores nothing', async (_name, url) => {
    const response = await register('BG-MOI', url);
    expect([response.status, response.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer: '/url' }));
    expect(response.text).not.toContain('secret');
    expect((await gw.as(pki.participant('BG-MOI')).get('/v1/webhooks')).body.items).toEqual([]);
  });

  it('takes a public address, and a private one the operator allowed for that participant only', async () => {
    expect((await register('BG-NGO-ANIMUS', 'https://93.184.215.14/hook')).status).toBe(201);
    expect((await register('BG-SACP', 'https://10.20.3.4/hook')).status).toBe(201);
    expect((await register('BG-NGO-ANIMUS', 'https://10.20.3.4/hook')).status).toBe(400);
    expect((await register('BG-SACP', 'https://10.21.0.1/hook')).status).toBe(400);
  });

  it('caps the webhooks of one participant', async () => {
    for (let i = 0; i < 3; i++) expect((await register('BG-NCCTHB', `https://93.184.215.14/hook/${i}`)).status).toBe(201);
    const fourth = await register('BG-NCCTHB', 'https://93.184.215.14/hook/3');
    expect([fourth.status, fourth.body.code]).toEqual([409, 'GW_WEBHOOK_LIMIT']);
  });

  it('judges the address a connection goes to by the same rule (what the worker checks at connect)', () => {
    expect(addressAllowed('93.184.215.14', 'example.org', 'BG-MOI', {})).toBe(true);
    expect(addressAllowed('127.0.0.1', 'rebound.example.org', 'BG-MOI', {})).toBe(false);
    expect(addressAllowed('::ffff:10.0.0.1', 'x', 'BG-MOI', {})).toBe(false);
    expect(addressAllowed('10.20.9.9', 'x', 'BG-SACP', { 'BG-SACP': ['10.20.0.0/16'] })).toBe(true);
    expect(addressAllowed('10.0.0.5', 'hooks.sacp.internal', 'BG-SACP', { 'BG-SACP': ['hooks.sacp.internal'] })).toBe(true);
    expect(addressAllowed('10.0.0.5', 'hooks.sacp.internal', 'BG-MOI', { 'BG-SACP': ['hooks.sacp.internal'] })).toBe(false);
  });
});
