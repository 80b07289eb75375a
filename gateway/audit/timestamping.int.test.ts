/**
 * RFC 3161 timestamps of checkpoints from a local TSA made with `openssl ts`, on real
 * PostgreSQL: every checkpoint stamped, the token checked by the auditors' documented
 * openssl procedure; a TSA that is down, refuses, replays an old token or signs with a
 * certificate from another CA leaves the checkpoint signed and unstamped, and it is stamped
 * once the TSA answers properly again (the clock moved, not waited for).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogItem } from '../../clients/index.ts';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../../testing/test-gateway.ts';
import { runAuditorProcedure } from '../../testing/auditor-procedure.ts';
import { startLocalTsa, type LocalTsa } from '../../testing/local-tsa.ts';
import { createAuditStore } from '../store/audit-store.ts';
import { createAuditLog, TIMESTAMP_RETRY_MS } from './audit-log.ts';
import { createTimestamper } from './timestamping.ts';

type PublishedCheckpoint = { treeSize: number; checkpoint: string; issuedAt: string; timestamp?: { tsa: string; genTime: string; token: string } };

describe('RFC 3161 timestamps of the audit checkpoints', () => {
  const pki = createTestPki();
  let tsa: LocalTsa;
  let gw: TestGateway;
  const auditor = () => gw.as(pki.admin);
  const accept = async () => expect((await gw.as(pki.participant('BG-MOI')).post('/v1/exchanges', freshExample('Alert'))).status).toBe(202);
  const checkpoints = async (): Promise<PublishedCheckpoint[]> => (await auditor().get('/v1/audit/checkpoints')).body.items;
  const metric = async (name: string) => Number((await gw.as().get('/metrics')).text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);

  beforeAll(async () => {
    tsa = await startLocalTsa();
    gw = await startTestGateway({
      store: 'postgresql', pki, overrides: { audit: { checkpointIntervalMs: 3_600_000, timestamping: { url: tsa.url, caFile: tsa.caFile } } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await tsa?.close();
  });

  it('stamps each checkpoint, and the documented procedure checks the token against the TSA\'s CA', async () => {
    await accept();
    const first = await gw.gateway.audit.maintain({ checkpoint: 'now' });
    expect(first.stamped).toBe(1);
    expect(first.checkpoint?.timestamp?.tsa).toBe(tsa.url);
    await accept();
    expect((await gw.gateway.audit.maintain({ checkpoint: 'now' })).stamped).toBe(1);

    const signed = await checkpoints();
    expect(signed).toHaveLength(2);
    for (const checkpoint of signed) {
      expect(Math.abs(Date.parse(checkpoint.timestamp!.genTime) - Date.parse(checkpoint.issuedAt))).toBeLessThan(60_000);
    }
    expect(await metric('rg_audit_checkpoints_unstamped')).toBe(0);

    const crl = (await gw.as().get('/v1/crl?format=pem')).text;
    const items: AuditLogItem[] = (await auditor().get('/v1/audit/log?limit=5000')).body.items;
    const exported = (list: PublishedCheckpoint[]) => [...list.map((checkpoint) => JSON.stringify({ checkpoint })), ...items.map((item) => JSON.stringify({ item }))].join('\n');
    const run = (list: PublishedCheckpoint[], tsaCaPem: string) =>
      runAuditorProcedure({ 'ca.pem': pki.ca.certPem, 'crl.pem': crl, 'tsa-ca.pem': tsaCaPem, 'audit.jsonl': exported(list) });

    const checked = run(signed, tsa.caPem);
    expect(checked.output.match(/Verification: OK/g)).toHaveLength(2);
    expect(checked.output).toMatch(/Time stamp: \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT/);
    expect(checked.ok).toBe(true);

    // A token moved to another checkpoint does not verify: it stamps the other JWS.
    const swapped = signed.map((checkpoint, n) => ({ ...checkpoint, timestamp: signed[1 - n]!.timestamp! }));
    const moved = run(swapped, tsa.caPem);
    expect(moved.output).toContain('Verification: FAILED');
    expect(moved.ok).toBe(false);
    // Nor against a CA that is not the TSA's.
    const otherCa = run(signed, pki.ca.certPem);
    expect(otherCa.output).toContain('Verification: FAILED');
    expect(otherCa.ok).toBe(false);
  });

  it('keeps no token from a TSA that is down, refuses, replays or is not trusted, and stamps the checkpoint once it answers', async () => {
    let clock = Date.now();
    const failures: string[] = [];
    const audit = createAuditLog({
      store: createAuditStore(gw.db), sealer: gw.gateway.trust.sealer, gatewayName: gw.config.gatewayName, checkpointIntervalMs: 3_600_000,
      timestamper: createTimestamper({ url: tsa.url, caPem: tsa.caPem }),
      onTimestampFailure: (error) => failures.push((error as Error).message),
      now: () => clock,
    });
    const stampsKept = async () => Number((await gw.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_checkpoint_timestamps')).rows[0]!.n);
    const before = await stampsKept();

    const expected = {
      down: 'the TSA answered HTTP 503',
      refusing: 'the TSA refused the request (status 2: Message digest algorithm is not supported.)',
      replaying: 'the TSA\'s token does not answer this request (nonce)',
      rogue: 'the TSA\'s token does not verify',
    } as const;
    for (const [mode, message] of Object.entries(expected) as Array<[keyof typeof expected, string]>) {
      tsa.mode = mode;
      await accept();
      const made = await audit.maintain({ checkpoint: 'now' });
      expect(made.checkpoint, mode).toBeDefined();
      expect(made.checkpoint?.timestamp, mode).toBeUndefined();
      expect(made.stamped).toBe(0);
      expect(failures.at(-1)).toContain(message);
      // Within the pause, the TSA is not asked again.
      const asked = tsa.answered;
      await accept();
      await audit.maintain({ checkpoint: 'now' });
      expect(tsa.answered).toBe(asked);
      clock += TIMESTAMP_RETRY_MS + 1;
    }
    expect(await stampsKept()).toBe(before);
    const waiting = (await checkpoints()).filter((c) => !c.timestamp).length;
    expect(waiting).toBe(8);
    expect(await metric('rg_audit_checkpoints_unstamped')).toBe(waiting);

    tsa.mode = 'up';
    const back = await audit.maintain();
    expect(back.stamped).toBe(waiting);
    expect((await checkpoints()).every((c) => c.timestamp?.tsa === tsa.url)).toBe(true);
    expect(await metric('rg_audit_checkpoints_unstamped')).toBe(0);
  });

  it('refuses to change or remove a timestamp', async () => {
    await expect(gw.db.query('UPDATE audit_checkpoint_timestamps SET gen_time = now()')).rejects.toThrow('append-only: UPDATE refused');
    await expect(gw.db.query('DELETE FROM audit_checkpoint_timestamps')).rejects.toThrow('append-only: DELETE refused');
  });
});
