/** Starts a gateway from configuration: store, TLS material, HTTP server. Used by `npm start`, the demo and the benchmarks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevelopmentPki, type AdminRole } from '../certs/index.ts';
import { createValidators, loadContract } from '../schemas/index.ts';
import { loadConfig, type Config } from './config.ts';
import { createGateway, type Gateway, type TlsMaterial } from './gateway.ts';
import { createLogger, type Logger } from './logger.ts';
import { migrate, openDatabase, type Database } from './store/index.ts';
import type { DestinationStream } from 'pino';

/** A running gateway and what it owns. */
export interface RunningGateway {
  config: Config;
  url: string;
  gateway: Gateway;
  db: Database;
  logger: Logger;
  /** Where the development certificates are, when the development PKI is in use. */
  devCertsDir?: string;
  /** Graceful stop: no new connections, in-flight requests finish, then the store closes. */
  stop(): Promise<void>;
}

/** Options for {@link startGateway}. */
export interface StartOptions {
  env?: Record<string, string | undefined>;
  overrides?: Record<string, unknown>;
  logDestination?: DestinationStream;
}

/** Loads configuration and starts a gateway on it. */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const contract = loadContract();
  const validators = createValidators(contract.document);
  const config = loadConfig({ env: options.env ?? {}, ...(options.overrides ? { overrides: options.overrides } : {}), validators });
  const logger = createLogger({ level: config.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });

  const { tls, devCertsDir } = loadTls(config);
  const db = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied, store: db.kind }, 'store migrated');
    const gateway = createGateway(config, { logger, db, tls, contract, validators });
    const url = await gateway.listen();
    logger.info({ url, store: db.kind, devCertsDir }, 'gateway listening');
    return {
      config, url, gateway, db, logger,
      ...(devCertsDir ? { devCertsDir } : {}),
      async stop() {
        await gateway.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

function loadTls(config: Config): { tls: TlsMaterial; devCertsDir?: string } {
  if (config.tls) {
    return {
      tls: {
        caPem: readFileSync(config.tls.caFile, 'utf8'),
        certPem: readFileSync(config.tls.certFile, 'utf8'),
        keyPem: readFileSync(config.tls.keyFile, 'utf8'),
      },
    };
  }
  const dir = join(config.dataDir, 'certs');
  const pki = ensureDevelopmentPki({
    dir,
    participants: config.participants,
    administrators: config.devAdministrators.map((a) => ({ name: a.name, roles: a.roles as AdminRole[] })),
    hostnames: ['localhost', '127.0.0.1', '::1'],
  });
  return { tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem }, devCertsDir: dir };
}
