/**
 * The tamper-evident audit log on real PostgreSQL, through the API: checkpoints, proofs
 * checked by an implementation written here from RFC 6962's definitions (not the gateway's
 * verifier), edits behind the triggers' back found and named, two processes chaining at once.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { compactVerify, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog, type AuditLogItem } from '../../clients/index.ts';
import { appendAudit } from '../store/index.ts';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../../testing/test-gateway.ts';
import { runAuditorProcedure } from '../../testing/auditor-procedure.ts';

// ——— An independent RFC 6962 implementation: recursive, from the definitions ———
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const H_LEAF = (data: Buffer) => sha256(Buffer.from([0x00]), data);
const H_NODE = (l: Buffer, r: Buffer) => sha256(Buffer.from([0x01]), l, r);
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
/** MTH(D[n]) by the definition. */
const mth = (d: Buffer[]): Buffer => d.length === 0 ? sha256() : d.length === 1 ? d[0]! : H_NODE(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
/** The root an inclusion proof leads to: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) or PATH(m - k, D[k:n]) : MTH(D[0:k]). */
const rootFromPath = (m: number, n: number, leaf: Buffer, path: Buffer[]): Buffer => {
  if (n === 1) {
    expect(path).toEqual([]);
    return leaf;
  }
  const sibling = path[path.length - 1]!;
  const rest = path.slice(0, -1);
  return m < k(n) ? H_NODE(rootFromPath(m, k(n), leaf, rest), sibling) : H_NODE(sibling, rootFromPath(m - k(n), n - k(n), leaf, rest));
};
/** Both roots a consistency proof leads to (SUBPROOF of RFC 6962 §2.1.2, undone). */
const rootsFromSubproof = (m: number, n: number, whole: boolean, oldRoot: Buffer, proof: Buffer[]): { old: Buffer; new: Buffer } => {
  if (m === n) {
    if (whole) {
      expect(proof).toEqual([]);
      return { old: oldRoot, new: oldRoot };
    }
    expect(proof).toHaveLength(1);
    return { old: proof[0]!, new: proof[0]! };
  }
  const last = proof[proof.length - 1]!;
  const rest = proof.slice(0, -1);
  if (m <= k(n)) {
    const inner = rootsFromSubproof(m, k(n), whole, oldRoot, rest);
    return { old: inner.old, new: H_NODE(inner.new, last) };
  }
  const inner = rootsFromSubproof(m - k(n), n - k(n), false, oldRoot, rest);
  return { old: H_NODE(last, inner.old), new: H_NODE(last, inner.new) };
};
/** RFC 8785 for what entries hold (strings, integers, null, arrays, objects): keys sorted by UTF-16 code units. */
const jcs = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${jcs((value as Record<string, unknown>)[key])}`).join(',')}}`;
};
const b64 = (s: string) => Buffer.from(s, 'base64');

describe('the tamper-evident audit log', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  let second: TestGateway;
  const auditor = () => gw.as(pki.admin);
  const moi = () => gw.as(pki.participant('BG-MOI'));
  const sql = (text: string, params: unknown[] = []) => gw.db.query(text, params);
  /** Runs `work` with the append-only triggers (and foreign keys) switched off, as an owner could. */
  const behindTheTriggers = (work: (q: (text: string, params?: unknown[]) => Promise<unknown>) => Promise<void>) =>
    gw.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await work((text, params) => tx.query(text, params));
    });
  const log = async (): Promise<AuditLogItem[]> => (await auditor().get('/v1/audit/log?limit=5000')).body.items;
  const checkpoints = async () => (await auditor().get('/v1/audit/checkpoints')).body.items as Array<{ treeSize: number; rootHash: string; checkpoint: string; issuedAt: string }>;
  const verify = async () => verifyAuditLog({ items: await log(), checkpoints: await checkpoints(), caPem: pki.ca.certPem });
  let acceptedSeq: number;
  let exchangeId: string;

  beforeAll(async () => {
    gw = await startTestGateway({ store: 'postgresql', pki, overrides: { audit: { checkpointIntervalMs: 3_600_000 } } });
    second = await startTestGateway({ store: 'postgresql', pki, sharing: gw });
  });
  afterAll(async () => {
    await second?.close();
    await gw?.close();
  });

  it('refuses to change or remove an entry, its chain, its tree or a checkpoint', async () => {
    await appendAudit(gw.db, { actor: 'admin:test-admin', action: 'webhook.removed', details: { webhookId: 'w-1' } });
    await gw.gateway.audit.maintain({ checkpoint: 'now' });
    for (const [table, column] of [['audit_log', 'actor'], ['audit_chain', 'seq'], ['audit_checkpoints', 'checkpoint']] as const) {
      await expect(sql(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(`${table} is append-only: UPDATE refused`);
      await expect(sql(`DELETE FROM ${table}`)).rejects.toThrow(`${table} is append-only: DELETE refused`);
      await expect(sql(`TRUNCATE ${table} CASCADE`)).rejects.toThrow('append-only: TRUNCATE refused');
    }
  });

  it('chains what the gateway records, signs checkpoints and proves inclusion and consistency to an independent verifier', async () => {
    const accepted = await moi().post('/v1/exchanges', freshExample('Alert'));
    expect(accepted.status, accepted.text).toBe(202);
    exchangeId = accepted.body.id;
    // Enough entries for a tree of several levels, chained in three runs with a checkpoint after each.
    for (const count of [11, 17, 9]) {
      for (let i = 0; i < count; i += 1) await appendAudit(gw.db, { actor: 'admin:test-admin', action: 'dead-letter.retried', details: { deliveries: [`d-${count}-${i}`] } });
      const { checkpoint } = await gw.gateway.audit.maintain({ checkpoint: 'now' });
      expect(checkpoint).toBeDefined();
    }
    const items = await log();
    expect(items.map((i) => i.position)).toEqual(items.map((_, n) => n));
    acceptedSeq = items.find((i) => i.entry?.action === 'exchange.accepted')!.seq;

    // Leaves recomputed here from the entries as published: SHA-256(0x00 || JCS(entry)).
    const leaves = items.map((i) => H_LEAF(Buffer.from(jcs(i.entry), 'utf8')));
    expect(leaves.map((l) => l.toString('base64'))).toEqual(items.map((i) => i.leafHash));

    const signed = await checkpoints();
    expect(signed.map((c) => c.treeSize)).toEqual([items.length, items.length - 9, items.length - 26, expect.any(Number)]);
    const ca = new X509Certificate(pki.ca.certPem);
    for (const c of signed) {
      // The root is the tree of the first treeSize entries, and the seal key signed exactly that.
      expect(mth(leaves.slice(0, c.treeSize)).toString('base64')).toBe(c.rootHash);
      const header = JSON.parse(Buffer.from(c.checkpoint.split('.')[0]!, 'base64url').toString()) as { x5c: string[]; typ: string };
      const signer = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64'));
      expect(signer.checkIssued(ca) && signer.verify(ca.publicKey)).toBe(true);
      const { payload } = await compactVerify(c.checkpoint, await importX509(signer.toString(), 'EdDSA'));
      expect(JSON.parse(Buffer.from(payload).toString())).toEqual({ gateway: gw.config.gatewayName, treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: c.issuedAt });
      expect(header.typ).toBe('audit-checkpoint');
    }

    // Every entry against every checkpoint that covers it.
    for (const c of signed) {
      for (const item of items.slice(0, c.treeSize)) {
        const proof = await auditor().get(`/v1/audit/entries/${item.seq}/proof?checkpoint=${c.treeSize}`);
        expect(proof.status, proof.text).toBe(200);
        expect(proof.body).toMatchObject({ seq: item.seq, position: item.position, treeSize: c.treeSize, rootHash: c.rootHash, checkpoint: c.checkpoint });
        expect(rootFromPath(item.position, c.treeSize, leaves[item.position]!, proof.body.path.map(b64)).toString('base64')).toBe(c.rootHash);
      }
    }
    // Every pair of checkpoints.
    for (const older of signed) {
      for (const newer of signed.filter((c) => c.treeSize > older.treeSize)) {
        const proof = await gw.as(pki.participant('BG-SACP')).get(`/v1/audit/consistency?from=${older.treeSize}&to=${newer.treeSize}`);
        expect(proof.status, proof.text).toBe(200);
        const roots = rootsFromSubproof(older.treeSize, newer.treeSize, true, b64(older.rootHash), proof.body.path.map(b64));
        expect([roots.old.toString('base64'), roots.new.toString('base64')]).toEqual([older.rootHash, newer.rootHash]);
      }
    }
    // A tampered proof leads elsewhere.
    const proof = (await auditor().get(`/v1/audit/entries/${acceptedSeq}/proof`)).body;
    proof.path[0] = sha256(Buffer.from('forged')).toString('base64');
    expect(rootFromPath(proof.position, proof.treeSize, b64(proof.leafHash), proof.path.map(b64)).toString('base64')).not.toBe(proof.rootHash);

    expect(await verify()).toEqual({ ok: true, entries: items.length, checkpoints: signed.length, problems: [] });
  });

  it('names the first bad entry when a row is edited, deleted or reordered with the triggers off', async () => {
    const items = await log();
    const target = items[5]!;
    const { rows: [original] } = await sql('SELECT seq, txid::text AS txid, at::text AS at, actor, action, exchange_id, details FROM audit_log WHERE seq = $1', [target.seq]) as { rows: Array<Record<string, unknown>> };

    await behindTheTriggers((q) => q(`UPDATE audit_log SET details = '{"deliveries": ["d-x"]}' WHERE seq = $1`, [target.seq]).then(() => {}));
    let result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toEqual({ position: 5, seq: target.seq });
    expect(result.problems[0]!.problem).toBe(`entry ${target.seq} at position 5 was changed: its content no longer matches its leaf hash`);
    expect(result.problems.some((p) => p.checkpoint !== undefined)).toBe(true);
    // Recomputing the leaf and chain hashes too does not help: the signed checkpoints no longer match.
    await behindTheTriggers(async (q) => {
      const edited = (await log()).slice(5);
      let previous = b64(items[4]!.chainHash);
      for (const item of edited) {
        const leaf = H_LEAF(Buffer.from(jcs(item.entry), 'utf8'));
        previous = sha256(previous, leaf);
        await q('UPDATE audit_chain SET leaf_hash = $2, chain_hash = $3 WHERE position = $1', [item.position, leaf, previous]);
      }
    });
    result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toBeUndefined();
    expect(result.problems.map((p) => p.checkpoint)).toEqual((await checkpoints()).map((c) => c.treeSize).filter((size) => size > 5).sort((a, b) => a - b));
    await behindTheTriggers(async (q) => {
      await q('UPDATE audit_log SET details = $2 WHERE seq = $1', [target.seq, JSON.stringify(original!.details)]);
      for (const item of items.slice(5)) await q('UPDATE audit_chain SET leaf_hash = $2, chain_hash = $3 WHERE position = $1', [item.position, b64(item.leafHash), b64(item.chainHash)]);
    });
    expect((await verify()).ok).toBe(true);

    await behindTheTriggers((q) => q('DELETE FROM audit_log WHERE seq = $1', [target.seq]).then(() => {}));
    result = await verify();
    expect(result.firstBad).toEqual({ position: 5, seq: target.seq });
    expect(result.problems[0]!.problem).toBe(`entry ${target.seq} at position 5 is gone from the log (deleted)`);
    // The chain's row with it: the gap is named.
    const { rows: [link] } = await sql('SELECT txid::text AS txid FROM audit_chain WHERE seq = $1', [target.seq]) as { rows: Array<{ txid: string }> };
    await behindTheTriggers((q) => q('DELETE FROM audit_chain WHERE seq = $1', [target.seq]).then(() => {}));
    result = await verify();
    expect(result.firstBad).toEqual({ position: 5, seq: items[6]!.seq });
    expect(result.problems[0]!.problem).toBe('positions 5–5 are missing from the log (deleted)');
    await behindTheTriggers(async (q) => {
      await q('INSERT INTO audit_log (seq, txid, at, actor, action, exchange_id, details) VALUES ($1, $2::xid8, $3, $4, $5, $6, $7)', [original!.seq, original!.txid, original!.at, original!.actor, original!.action, original!.exchange_id, JSON.stringify(original!.details)]);
      await q('INSERT INTO audit_chain (position, seq, txid, leaf_hash, chain_hash) VALUES ($1, $2, $3::xid8, $4, $5)', [5, target.seq, link!.txid, b64(target.leafHash), b64(target.chainHash)]);
    });
    expect((await verify()).ok).toBe(true);

    // Two entries swap places: the earlier position is named.
    const [a, b] = [items[7]!, items[12]!];
    await behindTheTriggers(async (q) => {
      await q('UPDATE audit_chain SET seq = -seq WHERE position IN ($1, $2)', [a.position, b.position]);
      await q('UPDATE audit_chain SET seq = $2, leaf_hash = $3 WHERE position = $1', [a.position, b.seq, b64(b.leafHash)]);
      await q('UPDATE audit_chain SET seq = $2, leaf_hash = $3 WHERE position = $1', [b.position, a.seq, b64(a.leafHash)]);
    });
    result = await verify();
    expect(result.firstBad).toEqual({ position: 7, seq: b.seq });
    expect(result.problems[0]!.problem).toBe(`the hash chain breaks at entry ${b.seq} (position 7)`);
    await behindTheTriggers(async (q) => {
      await q('UPDATE audit_chain SET seq = -seq WHERE position IN ($1, $2)', [a.position, b.position]);
      await q('UPDATE audit_chain SET seq = $2, leaf_hash = $3 WHERE position = $1', [a.position, a.seq, b64(a.leafHash)]);
      await q('UPDATE audit_chain SET seq = $2, leaf_hash = $3 WHERE position = $1', [b.position, b.seq, b64(b.leafHash)]);
    });
    // Or the rows themselves trade their contents.
    const { rows: pair } = await sql('SELECT seq, at::text AS at, actor, action, exchange_id, details FROM audit_log WHERE seq IN ($1, $2) ORDER BY seq', [a.seq, b.seq]) as { rows: Array<Record<string, unknown>> };
    const move = (q: (text: string, params?: unknown[]) => Promise<unknown>, to: unknown, from: Record<string, unknown>) =>
      q('UPDATE audit_log SET at = $2, actor = $3, action = $4, exchange_id = $5, details = $6 WHERE seq = $1', [to, from.at, from.actor, from.action, from.exchange_id, JSON.stringify(from.details)]);
    await behindTheTriggers(async (q) => {
      await move(q, a.seq, pair[1]!);
      await move(q, b.seq, pair[0]!);
    });
    result = await verify();
    expect(result.firstBad).toEqual({ position: 7, seq: a.seq });
    await behindTheTriggers(async (q) => {
      await move(q, a.seq, pair[0]!);
      await move(q, b.seq, pair[1]!);
    });
    expect((await verify()).ok).toBe(true);
  });

  it('verifies with the documented procedure (openssl and Python), and fails it for a changed entry', async () => {
    const run = (files: Record<string, string>) => runAuditorProcedure({ 'ca.pem': pki.ca.certPem, 'crl.pem': crl, ...files });
    const crl = (await gw.as().get('/v1/crl?format=pem')).text;
    const signed = await checkpoints();
    const items = await log();
    const exported = (list: AuditLogItem[]) => [...signed.map((checkpoint) => JSON.stringify({ checkpoint })), ...list.map((item) => JSON.stringify({ item }))].join('\n');

    const whole = run({ 'audit.jsonl': exported(items) });
    expect(whole.output).toContain(`audit log verified: ${items.length} entries, chain and roots match`);
    expect(whole.output.match(/Signature Verified Successfully/g)).toHaveLength(signed.length);
    expect(whole.ok).toBe(true);

    const changed = structuredClone(items);
    changed[3]!.entry!.details = { deliveries: ['d-forged'] };
    const tampered = run({ 'audit.jsonl': exported(changed) });
    expect(tampered.output).toContain(`entry ${items[3]!.seq} at position 3 was changed`);
    expect(tampered.output).toContain(`the checkpoint of ${signed[0]!.treeSize} entries does not match the log`);
    expect(tampered.ok).toBe(false);

    const entry = (await auditor().get(`/v1/audit/entries/${acceptedSeq}`)).text;
    const proof = (await auditor().get(`/v1/audit/entries/${acceptedSeq}/proof?checkpoint=${signed[1]!.treeSize}`)).text;
    const proved = run({ 'entry.json': entry, 'proof.json': proof });
    expect(proved.output).toContain('entry entry.json is in the signed tree');
    expect(proved.output).toContain('Signature Verified Successfully');
    expect(proved.ok).toBe(true);
    const forged = run({ 'entry.json': entry.replace('exchange.accepted', 'exchange.cancelled'), 'proof.json': proof });
    expect(forged.output).toContain('the entry does not match the proof');
    expect(forged.ok).toBe(false);
  });

  it('lets an agency prove its own exchange is logged, and nobody else see it', async () => {
    const sender = await moi().get(`/v1/audit/entries?exchangeId=${exchangeId}`);
    expect(sender.status, sender.text).toBe(200);
    expect(sender.body.items.map((i: { entry: { action: string } }) => i.entry.action)).toEqual(['exchange.accepted']);
    expect(sender.body.items[0].proof).toMatchObject({ treeSize: expect.any(Number), path: expect.any(Array) });
    expect((await moi().get(`/v1/audit/entries/${acceptedSeq}/proof`)).status).toBe(200);

    const stranger = gw.as(pki.participant('BG-SACP'));
    expect((await stranger.get(`/v1/audit/entries?exchangeId=${exchangeId}`)).body.items).toEqual([]);
    const hidden = await stranger.get(`/v1/audit/entries/${acceptedSeq}/proof`);
    expect([hidden.status, hidden.body.code]).toEqual([404, 'GW_AUDIT_ENTRY_UNKNOWN']);
    expect((await stranger.get('/v1/audit/entries')).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await stranger.get('/v1/audit/log')).body.code).toBe('GW_ROLE_REQUIRED');
    expect((await gw.as(pki.certificateOfficer).get(`/v1/audit/entries/${acceptedSeq}`)).body.code).toBe('GW_ROLE_REQUIRED');
  });

  it('answers what cannot be proved yet, or at all, with a clear problem', async () => {
    await appendAudit(gw.db, { actor: 'admin:test-admin', action: 'webhook.removed', details: { webhookId: 'w-late' } });
    const { rows } = await sql('SELECT max(seq) AS seq FROM audit_log') as { rows: Array<{ seq: string }> };
    const seq = rows[0]!.seq;
    const waiting = await auditor().get(`/v1/audit/entries/${seq}/proof`);
    expect([waiting.status, waiting.body.code, waiting.body.retryable, waiting.headers['retry-after']]).toEqual([409, 'GW_AUDIT_NOT_YET_LOGGED', true, '5']);
    expect((await gw.as().get('/metrics')).text).toMatch(/^rg_audit_entries_pending 1$/m);
    const searched = (await auditor().get('/v1/audit/entries?action=webhook.removed')).body.items;
    expect(searched.at(-1)).toEqual({ entry: expect.objectContaining({ seq: Number(seq), details: { webhookId: 'w-late' } }) });

    await gw.gateway.audit.maintain(); // chained, but the next checkpoint is not due yet
    expect((await gw.as().get('/metrics')).text).toMatch(/^rg_audit_entries_pending 0$/m);
    const unsigned = await auditor().get(`/v1/audit/entries/${seq}/proof`);
    expect([unsigned.status, unsigned.body.code, unsigned.headers['retry-after']]).toEqual([409, 'GW_AUDIT_NOT_YET_LOGGED', '60']);
    const smallest = (await checkpoints()).at(-1)!.treeSize;
    const early = await auditor().get(`/v1/audit/entries/${seq}/proof?checkpoint=${smallest}`);
    expect([early.status, early.body.code, early.body.retryable]).toEqual([409, 'GW_AUDIT_ENTRY_NOT_IN_CHECKPOINT', false]);
    expect((await auditor().get(`/v1/audit/entries/${seq}/proof?checkpoint=999999`)).body.code).toBe('GW_AUDIT_CHECKPOINT_UNKNOWN');
    expect((await auditor().get('/v1/audit/entries/999999/proof')).body.code).toBe('GW_AUDIT_ENTRY_UNKNOWN');
    expect((await auditor().get('/v1/audit/entries/0x1/proof')).body.violations).toEqual([expect.objectContaining({ pointer: '#/path/seq' })]);
    expect((await auditor().get('/v1/audit/consistency')).body.violations).toEqual([expect.objectContaining({ pointer: '#/query/from' })]);
    expect((await auditor().get('/v1/audit/entries?action=exchange.lost')).status).toBe(400);
  });

  it('waits for a transaction still open, and chains its entry once it commits, after entries that committed before it', async () => {
    const before = (await log()).length;
    let commit!: () => void;
    const open = gw.db.transaction(async (tx) => {
      await appendAudit(tx, { actor: 'admin:test-admin', action: 'webhook.removed', details: { webhookId: 'w-slow' } });
      await new Promise<void>((resolve) => (commit = resolve));
    });
    await expect.poll(() => commit !== undefined).toBe(true);
    await appendAudit(gw.db, { actor: 'admin:test-admin', action: 'webhook.removed', details: { webhookId: 'w-after' } });
    // The later entry has committed, but an older transaction is still open: nothing may be chained past it yet.
    await gw.gateway.audit.maintain();
    expect((await log()).length).toBe(before);
    commit();
    await open;
    await gw.gateway.audit.maintain();
    const chained = (await log()).slice(before).map((i) => i.entry!.details.webhookId);
    expect(chained).toEqual(['w-slow', 'w-after']);
    expect((await verify()).ok).toBe(true);
  });

  it('chains every entry exactly once while two processes chain and entries keep arriving', async () => {
    const before = (await log()).length;
    const writes = Array.from({ length: 120 }, (_, i) => appendAudit(gw.db, { actor: 'gateway', action: 'pseudonym.computed', details: { n: i } }));
    const chaining = Promise.all([0, 1, 2].flatMap(() => [gw.gateway.audit.maintain(), second.gateway.audit.maintain()]));
    await Promise.all([...writes, chaining]);
    await gw.gateway.audit.maintain({ checkpoint: 'now' });
    await second.gateway.audit.maintain();
    const items = await log();
    expect(items).toHaveLength(before + 120);
    expect(new Set(items.map((i) => i.seq)).size).toBe(items.length);
    expect(await gw.gateway.audit.lag()).toEqual({ pending: 0, oldestMs: 0 });
    expect((await verify()).ok).toBe(true);
  });
});
