/**
 * What a benchmark step cost, from /proc and PostgreSQL's statistics: CPU milliseconds of the
 * gateway, of every PostgreSQL process (backends and the background writers the workload
 * wakes), of the private Redis, and of this process (the load generator and the simulated
 * recipient run in it); commits in the bench's database and WAL bytes. Machines here are
 * shared and noisy: CPU per exchange stays comparable where rates do not.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** Clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system, ms) a process has used so far, from /proc; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The pids of processes whose command is `name` (and, if given, whose command line holds `marker`). */
function pidsOf(name: string, marker?: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      if (marker && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) continue;
      pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface Cost {
  gatewayMs: number;
  postgresMs: number;
  redisMs: number;
  benchMs: number;
  commits: number;
  walBytes: number;
}

interface Sample {
  gateway: number;
  postgres: Map<number, number>;
  redis: number;
  bench: number;
  commits: number;
  walBytes: number;
}

/** A meter of one server process (`pid`), PostgreSQL (`databaseUrl`) and the Redis on `redisPort`. */
export async function createCostMeter(pid: number, databaseUrl: string, redisPort: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const redisPids = pidsOf('redis-server', `:${redisPort}`);
  const sample = async (): Promise<Sample> => {
    const { rows: [stats] } = await client.query<{ commits: string; wal: string }>(
      'SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, (SELECT wal_bytes FROM pg_stat_wal) AS wal',
    );
    return {
      gateway: cpuMs(pid),
      postgres: new Map(pidsOf('postgres').map((p) => [p, cpuMs(p)])),
      redis: redisPids.reduce((sum, p) => sum + cpuMs(p), 0),
      bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      commits: Number(stats!.commits),
      walBytes: Number(stats!.wal),
    };
  };
  return {
    /** Starts measuring; the returned function ends it and gives what the step cost. */
    async start(): Promise<() => Promise<Cost>> {
      const before = await sample();
      return async () => {
        // PostgreSQL's backends report their counters within a second of a transaction.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const after = await sample();
        let postgresMs = 0;
        for (const [p, ms] of after.postgres) postgresMs += ms - (before.postgres.get(p) ?? 0);
        return {
          gatewayMs: after.gateway - before.gateway, postgresMs, redisMs: after.redis - before.redis, benchMs: after.bench - before.bench,
          commits: after.commits - before.commits - 1, walBytes: after.walBytes - before.walBytes,
        };
      };
    },
    close: () => client.end(),
  };
}
