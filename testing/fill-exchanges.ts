/**
 * Fills a store with exchanges in SQL, fast: one INSERT … SELECT per table, with triggers
 * and foreign-key checks off for the fill only (`session_replication_role`, a superuser's
 * setting). The rows are what acceptance would have left once the payloads were purged: one
 * delivery each, nearly all acknowledged. For the tracking benchmark and the listing's tests.
 */
import { openDatabase } from '../gateway/store/index.ts';

/** Who sends to whom in the fill, as shares of the exchanges: BG-SAA takes part in none. */
export const FLOWS = [
  { sender: 'BG-NCCTHB', recipient: 'BG-NGO-ANIMUS', share: 0.4 },
  { sender: 'BG-MOI', recipient: 'BG-NCCTHB', share: 0.3 },
  { sender: 'BG-NGO-ANIMUS', recipient: 'BG-NCCTHB', share: 0.2 },
  { sender: 'BG-NCCTHB', recipient: 'BG-SACP', share: 0.1 },
];

/** Adds `count` exchanges (one delivery each; every 200th of those to BG-NGO-ANIMUS failed) to the store at `databaseUrl`; returns how long it took, in ms. */
export async function fillExchanges(databaseUrl: string, count: number): Promise<number> {
  const started = performance.now();
  const db = await openDatabase({ url: databaseUrl, maxConnections: 1 });
  try {
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = 'replica'");
      // Flow by share, a case thread of ~10 exchanges, statuses as a year of traffic leaves them: nearly all acknowledged, a few failed, all to BG-NGO-ANIMUS.
      const flows = FLOWS.map((_, i) => `WHEN g % 10 < ${Math.round(FLOWS.slice(0, i + 1).reduce((s, x) => s + x.share, 0) * 10)} THEN ${i}`).join(' ');
      await tx.query(
        `CREATE TEMP TABLE fill ON COMMIT DROP AS
           SELECT g, gen_random_uuid() AS id, gen_random_uuid() AS delivery_id, CASE ${flows} END AS flow,
                  now() - make_interval(secs => ($1::int - g) * 30) AS at
             FROM generate_series(1, $1::int) AS g`, [count],
      );
      await tx.query(
        `INSERT INTO exchanges (id, sender, message_id, type, schema_version, correlation_id, recipients, created_at, accepted_at, envelope, envelope_digest, purged_at)
           SELECT f.id, s.sender, 'fill-' || f.g, 'referral', '1.0', 'fill-case-' || (f.g / 10), ARRAY[s.recipient], f.at, f.at, NULL, 'sha256:' || md5(f.g::text), f.at + interval '90 days'
             FROM fill f JOIN (VALUES ${FLOWS.map((f, i) => `(${i}, '${f.sender}', '${f.recipient}')`).join(', ')}) AS s (flow, sender, recipient) ON s.flow = f.flow
            ORDER BY f.g`,
      );
      await tx.query(
        `INSERT INTO deliveries (id, exchange_id, exchange_seq, recipient, status, status_changed_at, channel)
           SELECT f.delivery_id, e.id, e.seq, e.recipients[1],
                  CASE WHEN e.recipients[1] = 'BG-NGO-ANIMUS' AND f.g % 200 = 0 THEN 'failed' ELSE 'acknowledged' END, f.at, 'push'
             FROM fill f JOIN exchanges e ON e.id = f.id`,
      );
    });
    // As a store in service for a year would be: vacuumed (visibility map set, for index-only scans) and analysed.
    await db.query('VACUUM (ANALYZE) exchanges, deliveries');
  } finally {
    await db.close();
  }
  return performance.now() - started;
}

