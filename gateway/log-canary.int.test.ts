import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureLogs, createTestPki, example, startTestGateway, uniqueId, type TestGateway } from '../testing/test-gateway.ts';

/** Invented identity data; none of it may ever appear in a log line. */
const CANARIES = {
  givenName: 'Zlatomira',
  familyName: 'Kanarcheva',
  nationalIdNumber: '9912319999',
  passport: 'CANARY7731',
  phone: '+359888777666',
  email: 'zlatomira.kanarcheva@example.invalid',
  summary: 'Trafficked via Kanarchevo by a man called Kanarchev',
};

describe('logs never contain personal data', () => {
  const pki = createTestPki();
  const logs = captureLogs();
  let gw: TestGateway;
  const problems: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway({ store: 'pglite', pki, logs: logs.stream });
    const moi = gw.as(pki.participant('BG-MOI'));
    const alert = () => {
      const message = example('Alert');
      message.messageId = uniqueId('canary');
      message.payload.subject.identity = {
        givenName: CANARIES.givenName,
        familyName: CANARIES.familyName,
        nationalIdNumber: CANARIES.nationalIdNumber,
        documents: [{ kind: 'passport', number: CANARIES.passport, issuingCountry: 'BG' }],
      };
      message.payload.subject.contact = { phone: CANARIES.phone, email: CANARIES.email };
      message.payload.summary = CANARIES.summary;
      return message;
    };
    const record = (response: { body?: { instance?: string } }) => response.body?.instance && problems.push(response.body.instance);

    // accepted, replayed, conflicting
    const valid = alert();
    await moi.post('/v1/exchanges', valid);
    await moi.post('/v1/exchanges', valid);
    record(await moi.post('/v1/exchanges', { ...valid, payload: { ...valid.payload, source: 'hotline' } }));
    // invalid in many ways, each still carrying the canaries
    const invalid = alert();
    invalid.payload.subject.identity.dateOfBirth = CANARIES.familyName;
    invalid.payload[CANARIES.givenName] = CANARIES.familyName;
    record(await moi.post('/v1/exchanges', invalid));
    record(await moi.post('/v1/exchanges', `{"name": "${CANARIES.givenName} ${CANARIES.familyName}", "egn": ${CANARIES.nationalIdNumber}`));
    record(await moi.send('POST', '/v1/exchanges', { body: `name=${CANARIES.givenName}`, headers: { 'content-type': 'text/plain' } }));
    record(await moi.post('/v1/exchanges', { ...alert(), recipients: ['BG-NOBODY'] }));
    record(await moi.post('/v1/exchanges', { ...alert(), payload: { ...alert().payload, summary: CANARIES.summary.repeat(50_000) } }));
    record(await gw.as(pki.foreign).post('/v1/exchanges', alert()));
    // in the query string and the path
    record(await moi.get(`/v1/exchanges?correlationId=${CANARIES.familyName}-${CANARIES.nationalIdNumber}&subject=${CANARIES.givenName}`));
    record(await moi.get(`/v1/exchanges/${CANARIES.nationalIdNumber}`));
    record(await moi.get(`/v1/participants/${CANARIES.familyName}`));
    record(await moi.get(`/v1/${CANARIES.givenName}?egn=${CANARIES.nationalIdNumber}`));
    // The line is written when the response finishes, which can be just after the client has it.
    await vi.waitFor(() => expect(logs.lines.filter((l) => l.includes('"msg":"request completed"')).length).toBe(13));
  });
  afterAll(async () => {
    await gw?.close();
  });

  it.each(Object.entries(CANARIES))('never logs the %s', (_field, value) => {
    const leaks = logs.lines.filter((line) => line.toLowerCase().includes(value.toLowerCase().slice(0, 24)));
    expect(leaks).toEqual([]);
  });

  it('puts the request id of every problem answer in its log line', () => {
    expect(problems.length).toBeGreaterThanOrEqual(11);
    for (const instance of problems) {
      const id = instance.replace('urn:request:', '');
      expect(logs.lines.some((line) => line.includes(`"id":"${id}"`))).toBe(true);
    }
  });
});
