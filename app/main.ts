/** `npm start`: runs the gateway on embedded defaults or the configuration in the environment. */
import { ConfigError } from '../gateway/index.ts';
import { DataDirInUseError } from './data-lock.ts';
import { startGateway } from './start.ts';

try {
  const running = await startGateway({ env: process.env });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => {
        running.logger.info({ signal }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (running.devCertsDir) {
    const certs = running.devCertsDir;
    process.stdout.write(
      `\nReferral Gateway is up at ${running.url} (store: ${running.db.kind}; demo agency systems: ${running.agencies.size}).\n` +
        `Development certificates: ${certs}\n` +
        `Try:  curl --cacert ${certs}/ca.pem --cert ${certs}/clients/BG-MOI.pem --key ${certs}/clients/BG-MOI-key.pem ${running.url.replace('127.0.0.1', 'localhost')}/v1/participants\n\n`,
    );
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`referral-gateway failed to start: ${(error as Error).message}\n`);
  }
  process.exit(1);
}
