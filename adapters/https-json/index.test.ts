import { runAdapterConformance } from '../conformance/kit.ts';
import { describe, expect, it } from 'vitest';
import { httpsJson, receiptIn } from './index.ts';
import { createRecipientSimulator } from './simulator.ts';

runAdapterConformance({
  async create({ participantId, tls, logger, checkClient }) {
    const system = await createRecipientSimulator({ participantId, server: { caPem: tls.caPem, ...tls.server } });
    const adapter = httpsJson.create({
      participantId, checkClient, endpoint: system.endpoint, settings: {}, timeoutMs: 5_000, logger,
      tls: { caPem: tls.caPem, certPem: tls.gateway.certPem, keyPem: tls.gateway.keyPem },
    });
    return { adapter, system };
  },
  skip: [
    { test: 'intake', reason: 'https-json agency systems submit through the public API themselves; the adapter only delivers' },
    { test: 'intake deduplicates', reason: 'no intake: the gateway deduplicates submissions by (sender, messageId)' },
    { test: 'intake refuses unreadable input', reason: 'no intake: the gateway answers malformed submissions with problem+json' },
    { test: 'intake while the gateway is down', reason: 'no intake: the agency system calls the gateway itself and retries on its own' },
    { test: 'intake refuses a revoked certificate', reason: 'no intake: the agency system calls the API, whose certificate check is tested in gateway/trust' },
    { test: 'acknowledges', reason: 'https-json agency systems sign their own receipts: in the answer to the delivery, or sent to POST /v1/receipts' },
  ],
});

describe('a receipt in the answer', () => {
  const answer = (status: number, body: string, contentType: string | undefined = 'application/json') => ({ status, contentType, body });

  it('is taken from a 200 JSON answer carrying { receipt }', () => {
    expect(receiptIn(answer(200, '{"receipt":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}'))).toBe('eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
    expect(receiptIn(answer(200, '{"receipt":"a.b.c"}', 'application/json; charset=utf-8'))).toBe('a.b.c');
  });

  it('is absent from any other 2xx, an empty body or a body that is not JSON by its type', () => {
    expect(receiptIn(answer(202, '{"receipt":"a.b.c"}'))).toBeUndefined();
    expect(receiptIn(answer(204, ''))).toBeUndefined();
    expect(receiptIn(answer(200, ''))).toBeUndefined();
    expect(receiptIn(answer(200, 'stored', 'text/plain'))).toBeUndefined();
    expect(receiptIn({ status: 200, contentType: undefined, body: '{"receipt":"a.b.c"}' })).toBeUndefined();
  });

  it('is refused (null: logged, the delivery waits for POST /v1/receipts) when a JSON answer is not a receipt document', () => {
    expect(receiptIn(answer(200, '{"receipt":'))).toBeNull();
    expect(receiptIn(answer(200, '{"stored":true}'))).toBeNull();
    expect(receiptIn(answer(200, '{"receipt":42}'))).toBeNull();
    expect(receiptIn(answer(200, 'null'))).toBeNull();
  });
});
