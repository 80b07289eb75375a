/** The benchmark's recipient systems: the https-json simulator (gateway) and a plain sink (baseline), both recording arrival times. */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRecipientSimulator, type RecipientSimulator } from '../adapters/index.ts';

/** When each messageId first arrived, by `performance.now()`. */
export type Arrivals = Map<string, number>;

/** The simulated NGO for the gateway; once told the gateway's URL it sends receipts, so deliveries reach `acknowledged`. */
export async function startRecipient(certs: string): Promise<{ simulator: RecipientSimulator; arrivals: Arrivals }> {
  const read = (name: string) => readFileSync(join(certs, name), 'utf8');
  const arrivals: Arrivals = new Map();
  const simulator = await createRecipientSimulator({
    participantId: 'BG-NGO-ANIMUS',
    server: { caPem: read('ca.pem'), certPem: read('server.pem'), keyPem: read('server-key.pem') },
    onApplied: (envelope) => arrivals.set(envelope.messageId, performance.now()),
  });
  return { simulator, arrivals };
}

/** A plain HTTPS sink for the baseline pipeline. */
export async function startSink(certs: string): Promise<{ url: string; arrivals: Arrivals; close(): Promise<void> }> {
  const read = (name: string) => readFileSync(join(certs, name), 'utf8');
  const arrivals: Arrivals = new Map();
  const server = https.createServer({ key: read('server-key.pem'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { messageId } = JSON.parse(body) as { messageId: string };
      if (!arrivals.has(messageId)) arrivals.set(messageId, performance.now());
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}/sink`,
    arrivals,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
