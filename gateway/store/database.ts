/** One SQL interface over PostgreSQL (`pg`) and embedded PGlite, so the same SQL serves both. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { GatewayError } from '../errors.ts';

/** Runs one statement. Parameters are `$1…`; JSON goes in as text with an explicit `::jsonb` cast. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A database the gateway can use. */
export interface Database extends Queryable {
  /** Which engine, for logs and readiness. */
  readonly kind: 'postgresql' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection string. Absent: PGlite in `dataDir`. */
  url?: string;
  /** PGlite's folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise embedded PGlite. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  if (!options.dataDir) throw new RangeError('openDatabase: give a url or a dataDir');
  return openPglite(options.dataDir);
}

/** Statements prepared per connection at most: the gateway's own are far fewer. */
const MAX_PREPARED = 500;

/**
 * Which statements run as named (prepared) statements: a statement with parameters, once it
 * has been seen twice, so that PostgreSQL parses and plans it once per connection instead of
 * on every call (it keeps a custom plan where a generic one would be worse). A text seen
 * once — SQL with values written into it, if any — is never prepared, and the number of
 * names is capped, so the server's memory per connection stays bounded.
 */
export function createStatementNamer(max = MAX_PREPARED): (sql: string, params?: unknown[]) => pg.QueryConfig {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  return (sql, params) => {
    if (!params || params.length === 0) return { text: sql };
    let name = names.get(sql);
    if (name === undefined && names.size < max) {
      if (seen.has(sql)) {
        name = `rg_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
        names.set(sql, name);
        seen.delete(sql);
      } else {
        if (seen.size >= 10_000) seen.clear();
        seen.add(sql);
      }
    }
    return name === undefined ? { text: sql, values: params } : { name, text: sql, values: params };
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const statement = createStatementNamer();
  const run = async <Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    try {
      return (await client.query(statement(sql, params))) as unknown as { rows: Row[] };
    } catch (error) {
      throw translate(error);
    }
  };
  const db: Database = {
    kind: 'postgresql',
    query: (sql, params) => run(pool, sql, params),
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      try {
        await run(client, 'BEGIN');
        const result = await work({ query: (sql, params) => run(client, sql, params) });
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await run(pool, sql);
    },
    close: () => pool.end(),
  };
  await db.query('SELECT 1');
  return db;
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    query: async (sql, params) => (await lite.query(sql, params)) as never,
    transaction: (work) => lite.transaction((tx) => work({ query: async (sql, params) => (await tx.query(sql, params)) as never })),
    async exec(sql) {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}

/** SQLSTATE classes and socket errors that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

function translate(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code) || /Connection terminated|timeout exceeded when trying to connect/i.test(message)) {
    return new GatewayError('GW_STORE_UNAVAILABLE', { detail: 'The gateway cannot reach its database; retry with the same messageId.', cause: error });
  }
  return error;
}
