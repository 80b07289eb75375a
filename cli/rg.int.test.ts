/**
 * The operator CLI end to end against a running gateway (PostgreSQL, Redis, mutual TLS), as
 * the development administrator: each subcommand in table and `--json` form, a bulk retry
 * with progress, and the exit codes scripts test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyPair } from '../certs/index.ts';
import { DEMO_CONSENT_ID } from '../demo/participants.ts';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { EXIT, runCli } from './rg.ts';
import { runAuditorProcedure } from '../testing/auditor-procedure.ts';
import { example } from '../testing/test-gateway.ts';

describe('the operator CLI', () => {
  let system: TestSystem;
  const dir = mkdtempSync(join(tmpdir(), 'rg-cli-'));
  let profile: string;
  beforeAll(async () => {
    system = await startTestSystem();
    // On embedded defaults the gateway writes the development administrator's profile.
    profile = join(system.running.devCertsDir!, 'profile.json');
  });
  afterAll(() => system?.close());

  /** Runs the CLI; returns its exit code and what it printed. */
  async function rg(...args: string[]) {
    let out = '';
    let err = '';
    let progress = '';
    const stream = new Writable({ write(chunk, _e, done) { progress += String(chunk); done(); } });
    const code = await runCli(['--profile', profile, ...args], { out: (s) => (out += s), err: (s) => (err += s), progress: stream, env: {} });
    return { code, out, err, progress, json: () => JSON.parse(out) };
  }

  it('lists participants as a table for people and as JSON for scripts', async () => {
    const table = await rg('participants', 'list');
    expect(table.code).toBe(EXIT.ok);
    expect(table.out).toMatch(/│ BG-MOI\s+│ Ministry of Interior\s+│ law-enforcement\s+│ active/);
    const listed = await rg('--json', 'participants', 'list');
    expect(listed.json().map((r: { participant: { id: string } }) => r.participant.id)).toContain('BG-SACP');
  });

  it('suspends and reinstates, refuses without a reason (usage) and for an unknown participant (refused)', async () => {
    expect((await rg('participants', 'suspend', 'BG-SAA')).code).toBe(EXIT.usage);
    const suspended = await rg('participants', 'suspend', 'BG-SAA', '--reason', 'Audit of the crisis centre link.');
    expect([suspended.code, suspended.out]).toEqual([EXIT.ok, expect.stringMatching(/BG-SAA\s+│ suspended/)]);
    expect((await rg('participants', 'reinstate', 'BG-SAA', '--reason', 'Audit done.')).out).toMatch(/BG-SAA\s+│ active/);
    const unknown = await rg('participants', 'suspend', 'BG-NOBODY', '--reason', 'No such participant.');
    expect(unknown.code).toBe(EXIT.refused);
    expect(unknown.err).toContain('GW_PARTICIPANT_NOT_FOUND');
  });

  it('issues a certificate from a CSR into a file, lists it among those expiring, and revokes it', async () => {
    const keyFile = join(dir, 'saa-key.pem');
    writeFileSync(keyFile, generateKeyPair().privateKeyPem);
    const csr = join(dir, 'saa.csr');
    execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=BG-SAA', '-out', csr]);
    const out = join(dir, 'saa.pem');
    const issued = await rg('--json', 'certificates', 'issue', '--csr', csr, '--participant', 'BG-SAA', '--out', out);
    expect(issued.code, issued.err).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8')).toBe(issued.json().certificate);
    const serial = issued.json().serial as string;
    expect((await rg('--json', 'certificates', 'list', '--participant', 'BG-SAA', '--expiring', '400')).json().map((c: { serial: string }) => c.serial)).toContain(serial);
    expect((await rg('certificates', 'list', '--expiring', 'soon')).code).toBe(EXIT.usage);
    const revoked = await rg('certificates', 'revoke', serial, '--reason', 'superseded');
    expect(revoked.out).toMatch(new RegExp(`${serial}\\s+│ revoked`));
  });

  it('finds a person\'s consents by identity (the gateway computes the pseudonym) and prints the signed receipt', async () => {
    const found = await rg('consents', 'find', '--given-name', 'Десислава', '--family-name', 'Тестова', '--date-of-birth', '1999-04-02');
    expect(found.code, found.err).toBe(EXIT.ok);
    expect(found.out).toContain(DEMO_CONSENT_ID);
    const receipt = JSON.parse((await rg('consents', 'receipt', DEMO_CONSENT_ID)).out);
    expect(receipt.receipt).toMatchObject({ receiptType: 'consent', consentId: DEMO_CONSENT_ID });
    expect(receipt.receiptSignature).toMatch(/^ey/);
  });

  it('retries every dead letter with a progress bar, and shows and follows an exchange to its end', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.behave({ fail: { status: 422 } });
    const failed = await Promise.all([1, 2, 3].map(() => system.submit('Referral')));
    for (const { id } of failed) await system.settle(id, 'BG-NCCTHB', ['failed']);
    const listed = await rg('--json', 'dead-letters', 'list', '--recipient', 'BG-NGO-ANIMUS');
    expect(listed.code, listed.err).toBe(EXIT.ok);
    expect(listed.json().map((d: { deliveryId: string }) => d.deliveryId)).toEqual(expect.arrayContaining(failed.map((f) => f.deliveries[0]!.id)));

    shelter.behave({});
    const retried = await rg('dead-letters', 'retry', '--recipient', 'BG-NGO-ANIMUS');
    expect(retried.code, retried.err).toBe(EXIT.ok);
    expect(retried.progress).toMatch(/retrying .* 3\/3/);
    expect(retried.out.match(/│ yes/g)).toHaveLength(3);
    const again = await rg('dead-letters', 'retry', failed[0]!.deliveries[0]!.id);
    expect([again.code, again.out]).toEqual([EXIT.refused, expect.stringContaining('no (')]);

    const followed = await rg('--json', 'exchanges', 'follow', failed[0]!.id);
    expect(followed.code, followed.err).toBe(EXIT.ok);
    expect(followed.out.trim().split('\n').map((l) => JSON.parse(l).status).at(-1)).toBe('acknowledged');
    expect((await rg('exchanges', 'show', failed[0]!.id)).out).toMatch(/BG-NGO-ANIMUS\s+│ acknowledged/);
  });

  it('adds a participant from a file and gives it an endpoint; refuses settings its adapter does not take', async () => {
    const definition = join(dir, 'shelter.json');
    writeFileSync(definition, JSON.stringify({ id: 'BG-NGO-NADEZHDA', name: 'Nadezhda Shelter (invented)', kind: 'ngo', country: 'BG', accepts: [{ type: 'referral', schemaVersions: ['1.0'] }], sends: ['case-update'] }));
    const added = await rg('participants', 'add', definition);
    expect([added.code, added.out]).toEqual([EXIT.ok, expect.stringContaining('BG-NGO-NADEZHDA')]);
    expect((await rg('participants', 'add', definition)).err).toContain('GW_PARTICIPANT_EXISTS');
    const settings = join(dir, 'delivery.json');
    writeFileSync(settings, JSON.stringify({ mode: 'push', endpoint: 'https://intake.nadezhda.example/referrals' }));
    expect((await rg('participants', 'delivery', 'BG-NGO-NADEZHDA', settings)).out).toMatch(/BG-NGO-NADEZHDA\s+│ push\s+│ https:\/\/intake\.nadezhda\.example/);
    writeFileSync(settings, JSON.stringify({ mode: 'push', endpoint: 'https://intake.nadezhda.example/referrals', settings: { colour: 'blue' } }));
    const refused = await rg('participants', 'delivery', 'BG-NGO-NADEZHDA', settings);
    expect([refused.code, refused.err]).toEqual([EXIT.refused, expect.stringContaining('/settings')]);
    expect((await rg('participants', 'add', join(dir, 'missing.json'))).code).toBe(EXIT.usage);
  });

  it('records a consent with its receipt written to a file, and withdraws it', async () => {
    const request = join(dir, 'consent.json');
    writeFileSync(request, JSON.stringify({
      subject: { identity: { givenName: 'Radka', familyName: 'Izmislena', dateOfBirth: '2001-05-09' } }, givenBy: { kind: 'self' },
      scope: [{ participantKinds: ['ngo'], purposes: ['protection-and-assistance'], categories: ['needs-and-services'] }],
      validFrom: new Date().toISOString(), evidence: { formDigest: `sha256:${'ef'.repeat(32)}`, signedOn: new Date().toISOString().slice(0, 10), language: 'bg', interpreter: false },
    }));
    const receiptFile = join(dir, 'receipt.json');
    const recorded = await rg('--json', 'consents', 'record', request, '--receipt', receiptFile);
    expect(recorded.code, recorded.err).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(receiptFile, 'utf8')).receipt.consentId).toBe(recorded.json().id);
    const withdrawn = await rg('consents', 'withdraw', recorded.json().id, '--reason', 'The person asked to withdraw.');
    expect(withdrawn.out).toMatch(/│ withdrawn/);
  });

  it('discards a dead letter with a reason', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.behave({ fail: { status: 422 } });
    const { id, deliveries } = await system.submit('Referral');
    await system.settle(id, 'BG-NCCTHB', ['failed']);
    shelter.behave({});
    const discarded = await rg('dead-letters', 'discard', deliveries[0]!.id, '--reason', 'The shelter took the person in by phone.');
    expect([discarded.code, discarded.out]).toEqual([EXIT.ok, expect.stringMatching(/│ failed/)]);
    expect((await rg('--json', 'dead-letters', 'list')).json().map((d: { deliveryId: string }) => d.deliveryId)).not.toContain(deliveries[0]!.id);
  });

  it('runs the offline CA commands without a gateway, passing their exit codes on', async () => {
    const ca = join(dir, 'ca');
    const made = await runCli(['ca', 'init', '--dir', ca, '--name', 'Test CA', '--organization', 'Invented Org'], { out: () => {}, err: () => {}, env: {} });
    expect(made).toBe(EXIT.ok);
    expect(readFileSync(join(ca, 'ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    let usage = '';
    expect(await runCli(['ca', 'init'], { out: () => {}, err: (s) => (usage += s), env: {} })).toBe(EXIT.usage);
    expect(usage).toContain('npm run ca -- init');
  });

  it('verifies the audit log online and as an export offline, names the first bad entry of a tampered export, and checks a proof', async () => {
    await system.running.gateway.audit.maintain({ checkpoint: 'now' });
    const online = await rg('audit', 'verify');
    expect([online.code, online.out]).toEqual([EXIT.ok, expect.stringMatching(/^verified: \d+ entries, \d+ signed checkpoints, the hash chain unbroken\n$/)]);
    expect(online.progress).toMatch(/verifying/);

    const [first] = (await rg('--json', 'audit', 'entries', '--limit', '1')).json().items;
    const proof = await rg('audit', 'proof', String(first.entry.seq));
    expect([proof.code, proof.out]).toEqual([EXIT.ok, expect.stringMatching(new RegExp(`│ ${first.entry.seq}\\s+│ 0\\s+│ \\d+\\s+│ yes`))]);
    expect((await rg('audit', 'entries', '--action', first.entry.action)).out).toContain(`│ ${first.entry.action}`);
    expect((await rg('audit', 'checkpoints')).out).toMatch(/│ entries │ root \(SHA-256, base64\)/);

    const file = join(dir, 'audit.jsonl');
    expect((await rg('audit', 'export', '--out', file)).code).toBe(EXIT.ok);
    const ca = join(system.running.devCertsDir!, 'ca.pem');
    const offline = (args: string[]) => {
      let out = '';
      let err = '';
      return runCli(args, { out: (s) => (out += s), err: (s) => (err += s), env: {} }).then((code) => ({ code, out, err }));
    };
    expect((await offline(['audit', 'verify', '--file', file, '--ca', ca])).code).toBe(EXIT.ok);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const at = lines.findIndex((l) => l.includes('"item"') && l.includes('"position":2,'));
    const item = JSON.parse(lines[at]!);
    item.item.entry.actor = 'admin:somebody-else';
    lines[at] = JSON.stringify(item);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const tampered = await offline(['audit', 'verify', '--file', file, '--ca', ca]);
    expect(tampered.code).toBe(EXIT.refused);
    expect(tampered.out).toContain(`first bad entry: seq ${item.item.seq} at position 2`);
    expect(tampered.out).toContain(`entry ${item.item.seq} at position 2 was changed`);
    expect((await offline(['audit', 'verify', '--file', file])).err).toContain('--ca <file> is needed with --file');
  });

  it('writes an exchange\'s evidence bundle that the auditors\' procedure verifies, and reports a person\'s disclosures', async () => {
    const { id } = await system.submit('Referral');
    await system.settle(id, 'BG-NCCTHB', ['acknowledged']);
    const bundle = join(dir, 'bundle.json');
    const early = await rg('audit', 'evidence', id, '--out', bundle);
    expect([early.code, early.err]).toEqual([EXIT.unavailable, expect.stringContaining('GW_AUDIT_NOT_YET_LOGGED')]);
    await system.running.gateway.audit.maintain({ checkpoint: 'now' });
    const written = await rg('audit', 'evidence', id, '--out', bundle);
    expect([written.code, written.out]).toEqual([EXIT.ok, expect.stringMatching(/│ included\s+│ .*bundle\.json \(\+ \.jws\)/)]);
    const checked = runAuditorProcedure({ 'bundle.json': readFileSync(bundle, 'utf8'), 'bundle.json.jws': readFileSync(`${bundle}.jws`, 'utf8'), 'ca.pem': readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8') });
    expect(checked.ok, checked.output).toBe(true);

    const identity = example('Referral').payload.subject.identity;
    const report = await rg('audit', 'subject-access', '--given-name', identity.givenName, '--family-name', identity.familyName, '--date-of-birth', identity.dateOfBirth);
    expect([report.code, report.out]).toEqual([EXIT.ok, expect.stringMatching(/│ BG-NCCTHB\s+│ BG-NGO-ANIMUS\s+│ referral/)]);
    expect((await rg('audit', 'subject-access')).code).toBe(EXIT.usage);
  });

  it('shows an indicator per period and exports the release as CSV; refuses a year with no month ended', async () => {
    const now = new Date();
    const year = now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
    const shown = await rg('statistics', 'show', String(year), '--indicator', 'alerts-coordinated');
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.out).toMatch(/alerts-coordinated, national, \d{4} as of \d{4}-\d\d-\d\dT2[12]:00:00.000Z \(the month's start in Sofia; k = 11; release sha256:/);
    expect(shown.out).toMatch(new RegExp(`│ ${year}-01\\s+│ 0 `));
    const out = join(dir, 'statistics.csv');
    const exported = await rg('statistics', 'export', String(year), '--out', out);
    expect(exported.code).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('indicator,period,agency,dimension,category,status,persons,median_days,p90_days');
    const none = await rg('statistics', 'show', String(year + 5));
    expect([none.code, none.err]).toEqual([EXIT.refused, expect.stringContaining('GW_STATISTICS_NO_PERIOD')]);
  });

  it('says what is wrong with a missing profile, and exits 2', async () => {
    const missing = await runCli(['--profile', join(dir, 'none.json'), 'participants', 'list'], { out: () => {}, err: (s) => void expect(s).toContain('cannot read the profile'), env: {} });
    expect(missing).toBe(EXIT.usage);
  });

  it('shows a case thread and its referrals to the coordinator, with the state they are in', async () => {
    // The coordinator's own profile: its participant certificate, the same gateway and CA.
    const coordinator = join(dir, 'nccthb-profile.json');
    const certs = system.running.devCertsDir!;
    writeFileSync(coordinator, JSON.stringify({ url: system.running.url, caFile: join(certs, 'ca.pem'), certFile: join(certs, 'clients', 'BG-NCCTHB.pem'), keyFile: join(certs, 'clients', 'BG-NCCTHB-key.pem') }));
    const as = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(['--profile', coordinator, ...args], { out: (s) => (out += s), err: (s) => (err += s), env: {} });
      return { code, out, err };
    };
    const referral = await system.submit('Referral');
    const correlationId = (await system.track(referral.id, 'BG-NCCTHB')).correlationId as string;
    await vi.waitFor(async () => expect((await as('--json', 'cases', 'referrals', '--case', correlationId)).out).toContain('"state": "received"'), { timeout: 15_000, interval: 100 });

    const shown = await as('cases', 'show', correlationId);
    expect(shown.code, shown.err).toBe(EXIT.ok);
    expect(shown.out).toContain(`case ${correlationId}: 1 messages, held by nobody yet`);
    expect(shown.out).toMatch(new RegExp(`${referral.id}\\s+│ BG-NCCTHB\\s+│ BG-NGO-ANIMUS\\s+│ received`));
    const listed = await as('cases', 'referrals', '--state', 'received', '--owner', 'BG-NGO-ANIMUS');
    expect(listed.out).toContain(referral.id);
    expect((await as('cases', 'referrals', '--state', 'pending')).code).toBe(EXIT.usage);
    const unknown = await as('cases', 'show', 'case-nobody-knows');
    expect([unknown.code, unknown.err]).toEqual([EXIT.refused, expect.stringContaining('GW_CASE_UNKNOWN')]);
    // The administrator's profile is no party to any case.
    expect((await rg('cases', 'show', correlationId)).err).toContain('GW_ROLE_REQUIRED');

    // Its response is overdue once the clock moves: the coordinator is alerted and acknowledges.
    await system.running.gateway.coordination.fireDue(new Date(Date.now() + 30 * 86_400_000));
    const open = await as('--json', 'alerts', 'list');
    const alert = (JSON.parse(open.out).items as Array<{ id: string; kind: string; correlationId: string }>).find((a) => a.correlationId === correlationId && a.kind === 'response-due')!;
    expect(alert.kind).toBe('response-due');
    expect((await as('alerts', 'list')).out).toMatch(new RegExp(`${alert.id}\\s+│ response-due\\s+│ ${correlationId}`));
    expect((await as('alerts', 'ack', alert.id)).code).toBe(EXIT.ok);
    const twice = await as('alerts', 'ack', alert.id);
    expect([twice.code, twice.err]).toEqual([EXIT.refused, expect.stringContaining('GW_ALERT_ACKNOWLEDGED')]);
    expect((await as('alerts', 'list')).out).not.toContain(alert.id);
  });
});
