/** The data folder: one gateway per embedded folder (a lock file says who holds it, so a second `npm start` says so instead of corrupting PGlite), and private to the gateway's user. */
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import type { Logger } from '../gateway/index.ts';
import { join } from 'node:path';

/** The data folder is held by another running gateway. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(`the data folder ${dataDir} is in use by another gateway (pid ${pid}); stop it, or start this one with another RG_DATA_DIR`);
    this.name = 'DataDirInUseError';
  }
}

/** Takes `dataDir/gateway.lock` for this process (a lock left by a process that is gone is taken over); returns its release. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'gateway.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirInUseError(dataDir, pid);
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirInUseError(dataDir, Number.NaN);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Files this process creates are readable by its user only (umask 077: the embedded
 * database, development certificates, a private Redis's AOF), and the data folder is made
 * private if it was not (an older install, a careless `mkdir`), saying so.
 */
export function keepDataPrivate(dataDir: string, logger: Logger): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(dataDir, 0o700);
    logger.warn({ dataDir, mode: mode.toString(8) }, 'the data folder was open to other users; made private (700)');
  }
}
