import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type PrivateRedis } from '../queues/index.ts';
import { example } from '../testing/test-gateway.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `gateway/main.ts` as `npm start` does, with a private data folder and a free port. */
function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(TSX, ['app/main.ts'], { cwd: ROOT, env: { ...process.env, RG_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start on embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rg-start-'));
  let gateway: ReturnType<typeof start>;
  let url: string;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startRedisServer({ dir: join(dataDir, 'test-redis') });
    gateway = start({ RG_DATA_DIR: dataDir, RG_REDIS_URL: redis.url });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /is up at (https:\/\/\S+) /.exec(gateway.output());
        if (match) {
          clearInterval(timer);
          resolve(match[1]!.replace('127.0.0.1', 'localhost'));
        }
      }, 100);
      void gateway.exited.then(() => reject(new Error(`gateway exited:\n${gateway.output()}`)));
    });
  }, 60_000);
  afterAll(async () => {
    gateway.child.kill('SIGKILL');
    await redis.stop();
  });

  it('accepts the referral example with a demo certificate and delivers it to the simulated NGO, which acknowledges it', async () => {
    const certs = join(dataDir, 'certs');
    const agent = new Agent({
      connect: {
        ca: readFileSync(join(certs, 'ca.pem')),
        cert: readFileSync(join(certs, 'clients', 'BG-NCCTHB.pem')),
        key: readFileSync(join(certs, 'clients', 'BG-NCCTHB-key.pem')),
      },
    });
    const response = await request(`${url}/v1/exchanges`, {
      method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(example('Referral')),
    });
    expect(response.statusCode).toBe(202);
    const acceptance = (await response.body.json()) as { trackingUrl: string };
    const statuses = async () => {
      const tracked = await request(acceptance.trackingUrl.replace(/https:\/\/localhost:\d+/, url), { dispatcher: agent });
      return ((await tracked.body.json()) as { deliveries: Array<{ history: Array<{ status: string }> }> }).deliveries[0]!.history.map((h) => h.status);
    };
    await vi.waitFor(async () => expect(await statuses()).toEqual(['accepted', 'queued', 'delivering', 'delivered', 'acknowledged']), { timeout: 15_000, interval: 200 });
    await agent.close();
  });

  it('runs the demo scenario to the end over every agency protocol and the partner gateway abroad, each delivery acknowledged', async () => {
    const demo = spawn(TSX, ['demo/run.ts'], { cwd: ROOT, env: { ...process.env, RG_URL: url, RG_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    demo.stdout!.on('data', (c) => (output += c));
    demo.stderr!.on('data', (c) => (output += c));
    const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));
    expect({ code, output }).toMatchObject({ code: 0 });
    // Six exchanges; the transfer abroad is about a child, so SACP gets it too: seven deliveries.
    expect(output.match(/ acknowledged$/gm)).toHaveLength(7);
    expect(output).toMatch(/HU-NBI +acknowledged$/m);
    expect(output).toMatch(/acknowledgement file .*: ACCEPTED/);
    expect(output).not.toMatch(/ (failed|withheld|expired)$/m);
  }, 60_000);

  it('says on first start that development certificates are being made, before the long wait', () => {
    expect(gateway.output()).toContain('first start: generating the development CA and certificates');
  });

  it('refuses a second gateway on the same data folder, saying which process holds it', async () => {
    const second = start({ RG_DATA_DIR: dataDir, RG_REDIS_URL: redis.url });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`the data folder ${dataDir} is in use by another gateway (pid `);
  });

  it('stops cleanly on SIGTERM, and says so last', async () => {
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('shutting down');
    expect(gateway.output().trim().split('\n').at(-1)).toMatch(/"msg":"stopped"/);
    expect(existsSync(join(dataDir, 'gateway.lock'))).toBe(false);
  });
});

describe('npm start with a bad configuration', () => {
  it('exits with status 1 and says what is wrong', async () => {
    const run = start({ RG_LOG_LEVEL: 'loud' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/invalid configuration:\s+\/logLevel must be equal to one of the allowed values/);
  }, 30_000);
});
