/** The end-to-end baseline: HTTPS POST with mutual TLS → BullMQ Queue.add → Worker → HTTPS POST to the sink. Nothing else. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { Agent, request } from 'undici';

const [certs, redisUrl, sink] = process.argv.slice(2) as [string, string, string];
const read = (name: string) => readFileSync(join(certs, name), 'utf8');
const producer = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
const queue = new Queue('baseline', { connection: producer, prefix: 'bench' });
const agent = new Agent({ connect: { ca: read('ca.pem'), cert: read('gateway-client.pem'), key: read('gateway-client-key.pem') } });
new Worker(
  'baseline',
  async (job) => {
    const response = await request(sink, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(job.data) });
    await response.body.dump();
  },
  { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix: 'bench', concurrency: 8 },
);

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/exchanges', async (req, res) => {
  const id = randomUUID();
  await queue.add('deliver', req.body, { jobId: id, removeOnComplete: true, removeOnFail: true });
  res.status(202).json({ id, status: 'accepted' });
});
const server = https.createServer({ key: read('server-key.pem'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, app);
server.listen(0, '127.0.0.1', () => process.stdout.write(`pipeline is up at https://127.0.0.1:${(server.address() as AddressInfo).port} \n`));
process.on('SIGTERM', () => process.exit(0));
