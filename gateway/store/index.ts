/** The gateway's store: PostgreSQL or PGlite, migrations, exchanges. */
export { openDatabase } from './database.ts';
export type { Database, Queryable, OpenDatabaseOptions } from './database.ts';
export { migrate } from './migrate.ts';
export { createExchangeStore } from './exchange-store.ts';
export type { ExchangeStore, ExchangeRecord, AcceptOutcome, ListFilter, StoredExchange } from './exchange-store.ts';
