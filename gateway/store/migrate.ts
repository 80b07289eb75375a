/** Versioned schema migrations: `migrations/NNN_name.sql`, applied in order, each once, each in a transaction. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Serialises concurrent starts of several gateway processes against one database. */
const MIGRATION_LOCK = 7_402_117;

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  // Under the lock too: concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL's catalogue.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const files = readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.slice(0, -'.sql'.length);
    const sql = readFileSync(join(dir, file), 'utf8');
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (rows.length > 0) return false;
      // Statements run one by one: the extended protocol (parameters) takes one statement at a time.
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      return true;
    });
    if (done) applied.push(version);
  }
  return applied;
}

/**
 * Splits a migration on `;` at line ends (a comment may follow it), outside `$$`-quoted
 * bodies (a function's body holds its own `;`). Migrations keep to that form.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let quoted = false;
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line)) continue;
    current.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) quoted = !quoted;
    // A statement ends with `;` at the end of a line, or before a comment there.
    if (!quoted && /;\s*(--.*)?$/.test(line)) {
      statements.push(current.join('\n').replace(/;\s*(--.*)?$/, '').trim());
      current = [];
    }
  }
  statements.push(current.join('\n').trim());
  return statements.filter((s) => s.length > 0);
}
