/** A private `redis-server` child: AOF on, `noeviction`, data in a folder of ours. For embedded defaults and tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

/** A running private Redis. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** SIGTERM (Redis writes the AOF and exits) or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Data folder (AOF). */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** `appendfsync` policy; `everysec` by default. */
  fsync?: 'always' | 'everysec' | 'no';
}

/** The message given when the binary is missing. */
export const REDIS_MISSING =
  'redis-server was not found. Install Redis 7 (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set RG_REDIS_URL.';

/** Starts `redis-server` and resolves once it answers. */
export async function startRedisServer(options: RedisServerOptions): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir,
      '--appendonly', 'yes', '--appendfsync', options.fsync ?? 'everysec', '--save', '',
      '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--protected-mode', 'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/Ready to accept connections/.test(output)) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.split('\n').slice(-5).join(' ')}`));
    });
  });
  child.stdout!.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
