import { createPostgresDatabase } from '/work/main/testing/test-gateway.ts';
import { openDatabase, migrate } from '/work/main/gateway/store/index.ts';
const created = await createPostgresDatabase();
const db = await openDatabase({ url: created.url });
await migrate(db);
for (const t of ['exchanges', 'deliveries']) {
  const { rows } = await db.query<any>(`SELECT column_name, is_nullable, column_default, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [t]);
  console.log(t, rows.map((r: any) => `${r.column_name}${r.is_nullable === 'NO' ? '!' : ''}${r.column_default ? '=' : ''}`).join(' '));
}
const { rows } = await db.query<any>(`SELECT tgname, tgrelid::regclass AS t FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN ('exchanges','deliveries')`);
console.log(rows);
await db.close(); await created.drop();
