/**
 * Finding 9: input that can never be stored is a 400 at validation, never a 500 that tells
 * the client to retry; an encoded body is read or refused with 415; an absurd number in a
 * query is a 400.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../testing/test-gateway.ts';

describe('input the store cannot hold, and encodings', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki });
  });
  afterAll(() => gw?.close());
  const moi = () => gw.as(pki.participant('BG-MOI'));
  const exchanges = async () => Number((await gw.db.query<{ n: string }>('SELECT count(*) AS n FROM exchanges')).rows[0]!.n);

  it.each([
    ['a NUL character', '\u0000'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
  ])('refuses %s in any string with 400 and a pointer, not a retryable 500, and stores nothing', async (_name, bad) => {
    const before = await exchanges();
    const message = freshExample('Alert');
    message.payload.subject.identity.givenName = `Des${bad}islava`;
    // JSON.stringify keeps a lone surrogate as an escape (\ud800), as a client's serialiser would send it.
    const response = await moi().post('/v1/exchanges', JSON.stringify(message));
    expect([response.status, response.body.code, response.body.retryable]).toEqual([400, 'GW_VALIDATION_FAILED', false]);
    expect(response.body.violations).toContainEqual(expect.objectContaining({ pointer: '/payload/subject/identity/givenName' }));
    expect(await exchanges()).toBe(before);
  });

  it('refuses a body nesting deeper than any message does, without overflowing', async () => {
    const response = await moi().post('/v1/exchanges', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect([response.status, response.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
    expect(response.body.violations[0]).toMatchObject({ keyword: 'depth' });
  });

  it('refuses a NUL in a member name too', async () => {
    const message = freshExample('Alert');
    const text = JSON.stringify(message).replace('"payload":{', '"payload":{"x\\u0000":1,');
    const response = await moi().post('/v1/exchanges', text);
    expect([response.status, response.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
  });

  it('reads a gzip-encoded body, and refuses an encoding it does not know with 415', async () => {
    const message = freshExample('Alert');
    const zipped = await moi().send('POST', '/v1/exchanges', { body: gzipSync(JSON.stringify(message)), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(zipped.status).toBe(202);
    const unknown = await moi().send('POST', '/v1/exchanges', { body: JSON.stringify(freshExample('Alert')), headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-or-whatever' } });
    expect([unknown.status, unknown.body.code, unknown.body.retryable]).toEqual([415, 'GW_UNSUPPORTED_MEDIA_TYPE', false]);
    const broken = await moi().send('POST', '/v1/exchanges', { body: Buffer.from('not gzip at all'), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(broken.status).toBe(400);
    expect(broken.body.retryable).toBe(false);
  });

  it.each(['1e999', '-1', '1.5', 'NaN', 'Infinity', '99999999999999999999'])('refuses expiringWithinDays=%s with 400', async (value) => {
    const response = await gw.as(pki.certificateOfficer).get(`/v1/certificates?expiringWithinDays=${value}`);
    expect([response.status, response.body.code]).toEqual([400, 'GW_VALIDATION_FAILED']);
  });
});
