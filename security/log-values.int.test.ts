/**
 * Finding 12: a SACP registration callback's `deliveryRef` was logged verbatim — a place a
 * person's name could enter the logs. Only validated identifiers reach a log line.
 */
import pino from 'pino';
import { request, Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainOnly, type HttpsHost } from '../adapters/shared/https.ts';
import { mapping } from '../adapters/sacp/mapping.ts';
import { startSacpServer } from '../adapters/sacp/transport.ts';
import { captureLogs, createTestPki } from '../testing/test-gateway.ts';

describe('what an adapter logs of what an agency sends', () => {
  const pki = createTestPki();
  const logs = captureLogs();
  const acknowledged: unknown[] = [];
  let host: HttpsHost;
  let agent: Agent;
  beforeAll(async () => {
    host = await startSacpServer({
      participantId: 'BG-SACP', mapping, logger: pino({ level: 'trace' }, logs.stream), tls: { caPem: pki.ca.certPem, ...pki.server },
      checkClient: chainOnly, host: '127.0.0.1', port: 0,
      intake: {
        submit: async () => { throw new Error('not used'); },
        acknowledge: async (t) => {
          acknowledged.push(t);
          return { ok: false, status: 404, problem: { type: 'x', title: 'No such delivery', status: 404, code: 'GW_DELIVERY_NOT_FOUND' } } as never;
        },
      },
    });
    agent = new Agent({ connect: { ca: pki.ca.certPem, cert: pki.participant('BG-SACP').certPem, key: pki.participant('BG-SACP').keyPem } });
  });
  afterAll(async () => {
    await agent.close();
    await host.stop();
  });
  const callback = async (deliveryRef: string) => {
    const response = await request(`${host.url}/sacp/receipts`, {
      method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deliveryRef, envelopeDigest: `sha256:${'ab'.repeat(32)}`, status: 'REGISTERED' }),
    });
    return { status: response.statusCode, body: (await response.body.json()) as { errorCode?: string } };
  };

  it('refuses a callback whose deliveryRef is not a delivery id, and logs nothing of it', async () => {
    const canary = 'Десислава Измислена 1990-01-01';
    expect(await callback(canary)).toEqual({ status: 400, body: expect.objectContaining({ errorCode: 'NATIVE_INVALID' }) });
    expect(acknowledged).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain('Десислава');
  });

  it('logs the delivery id of a well-formed callback the gateway refuses', async () => {
    const id = '0b0c0d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
    expect((await callback(id)).status).toBe(422);
    expect(logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'registration callback refused by the gateway')).toMatchObject({ deliveryId: id, code: 'GW_DELIVERY_NOT_FOUND' });
  });
});
