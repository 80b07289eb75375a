/** Finding 14: figures about cases are not published without a certificate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('metrics', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki });
    const police = freshExample('Alert');
    police.legalBasis = { exemption: 'criminal-proceedings', justification: 'Pre-trial proceedings opened; the coordinator must be informed.' };
    expect((await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', police)).status).toBe(202);
  });
  afterAll(() => gw?.close());

  it('keeps exemption counts off the public /metrics', async () => {
    const open = await gw.as().get('/metrics');
    expect(open.status).toBe(200);
    expect(open.text).toContain('rg_certificates_expiring');
    expect(open.text).not.toContain('exemption');
  });

  it('gives them to operators and auditors only', async () => {
    expect((await gw.as(pki.admin).get('/v1/admin/metrics')).text).toContain('rg_exemptions_invoked_total{exemption="criminal-proceedings",invoked_by="law-enforcement"} 1');
    expect((await gw.as().get('/v1/admin/metrics')).body.code).toBe('GW_CLIENT_CERT_MISSING');
    expect((await gw.as(pki.participant('BG-MOI')).get('/v1/admin/metrics')).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await gw.as(pki.consentOfficer).get('/v1/admin/metrics')).body.code).toBe('GW_ROLE_REQUIRED');
  });
});
