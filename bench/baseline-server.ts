/** The benchmark's baseline: HTTPS with mutual TLS, JSON parsing and a 202 answer, nothing else. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';

const certs = process.argv[2]!;
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/exchanges', (req, res) => {
  res.status(202).json({ id: randomUUID(), messageId: (req.body as { messageId?: string }).messageId, status: 'accepted' });
});
const server = https.createServer(
  {
    key: readFileSync(join(certs, 'server-key.pem')),
    cert: readFileSync(join(certs, 'server.pem')),
    ca: readFileSync(join(certs, 'ca.pem')),
    requestCert: true,
    rejectUnauthorized: true,
  },
  app,
);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`baseline is up at https://127.0.0.1:${(server.address() as AddressInfo).port} \n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
