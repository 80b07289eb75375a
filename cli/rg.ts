/**
 * The operator CLI: `npm run rg -- <command>` (or the installed `referral-gateway` bin). It
 * talks to a running gateway through the typed client with the operator's certificate, named
 * by a profile file. `--json` for scripts, tables for people, a progress bar on bulk actions,
 * and exit codes scripts can test: 0 done, 1 refused by the gateway (retrying will not help),
 * 2 wrong usage, 3 the gateway unreachable or asking to retry later.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import {
  createReferralClient, GatewayProblem, readAuditLog, unwrap, verifyAuditLog, verifyInclusionProof, type AuditCheckpoint, type AuditLogItem, type ReferralClient,
} from '../clients/index.ts';

/** Where a profile is looked for when neither `--profile` nor `RG_PROFILE` names one. */
export const DEFAULT_PROFILE = join(homedir(), '.config', 'referral-gateway', 'profile.json');

/** A profile: which gateway, with which certificate. Paths are relative to the profile file's folder. */
interface Profile {
  url: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export const EXIT = { ok: 0, refused: 1, usage: 2, unavailable: 3 } as const;

/** What a run printed and how it ended (tests read these; `main` writes them out). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where a progress bar draws (a TTY for people; nothing when not one). */
  progress?: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

/** Runs the CLI with `argv` (without `node` and the script); resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let client: ReferralClient | undefined;
  let caFile: string | undefined;
  let json = false;
  /** Set when part of a bulk action was refused: the run ends with {@link EXIT.refused}. */
  let partly = false;
  const program = new Command('referral-gateway')
    .description('Operate a Referral Gateway: participants, certificates, consents, dead letters, exchanges, cases, audit, statistics.')
    .option('--profile <file>', 'profile file naming the gateway URL and your certificate (RG_PROFILE)')
    .option('--json', 'print JSON for scripts instead of tables')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .hook('preAction', (command, action) => {
      const options = command.optsWithGlobals<{ profile?: string; json?: boolean }>();
      json = Boolean(options.json);
      // The CA commands work offline, on the CA machine, and so does verifying an audit export: no gateway, no profile.
      if (action.name() === 'ca' || (action.name() === 'verify' && action.opts<{ file?: string }>().file)) return;
      const profile = options.profile ?? io.env.RG_PROFILE ?? DEFAULT_PROFILE;
      ({ client, caFile } = connect(profile));
    });
  const api = () => client!;
  /** Prints `value` as JSON, or as a table of `columns` for people. */
  const print = (value: unknown, columns?: Array<[string, (row: any) => unknown]>) => {
    if (json || !columns) return io.out(`${JSON.stringify(value, null, 2)}\n`);
    const rows = Array.isArray(value) ? value : [value];
    const table = new Table({ head: columns.map(([name]) => name), style: { head: [], border: [] } });
    for (const row of rows) table.push(columns.map(([, cell]) => String(cell(row) ?? '')));
    io.out(`${table.toString()}\n`);
  };
  const data = async <T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> => unwrap(await call);
  const reason = new Option('--reason <text>', 'why (recorded in the audit log; no personal data)').makeOptionMandatory();

  const participants = program.command('participants').description('the participant registry');
  participants.command('list').description('every participant, with its status and how it receives').action(async () => {
    const { items } = await data(api().api.GET('/v1/admin/participants'));
    print(items, [['id', (r) => r.participant.id], ['name', (r) => r.participant.name], ['kind', (r) => r.participant.kind],
      ['status', (r) => (r.suspension ? `suspended: ${r.suspension.reason}` : 'active')], ['receives', (r) => r.delivery?.mode ?? 'pull'], ['origin', (r) => r.origin]]);
  });
  participants.command('add').argument('<file>', 'a Participant definition (JSON)').description('add a participant').action(async (file: string) => {
    print(await data(api().api.POST('/v1/admin/participants', { body: readJson(file) })), [['id', (r) => r.participant.id], ['version', (r) => r.version]]);
  });
  participants.command('delivery').argument('<id>').argument('<file>', 'delivery settings (JSON): mode, adapter, endpoint, settings, policy')
    .description('change how a participant receives').action(async (id: string, file: string) => {
      print(await data(api().api.PUT('/v1/admin/participants/{id}/delivery', { params: { path: { id } }, body: readJson(file) })), [['id', (r) => r.participant.id], ['receives', (r) => r.delivery?.mode ?? 'pull'], ['endpoint', (r) => r.delivery?.endpoint]]);
    });
  for (const change of ['suspend', 'reinstate'] as const) {
    participants.command(change).argument('<id>').addOption(reason).description(`${change} a participant`).action(async (id: string, options: { reason: string }) => {
      const path = change === 'suspend' ? '/v1/admin/participants/{id}/suspend' : '/v1/admin/participants/{id}/reinstate';
      print(await data(api().api.POST(path, { params: { path: { id } }, body: { reason: options.reason } })), [['id', (r) => r.participant.id], ['status', (r) => (r.suspension ? 'suspended' : 'active')]]);
    });
  }

  const certificates = program.command('certificates').description('certificates the gateway CA issued');
  certificates.command('list').option('--participant <id>').option('--expiring <days>', 'only those ending within this many days', toInteger)
    .description('list certificates (the expiry warning list with --expiring)').action(async (options: { participant?: string; expiring?: number }) => {
      const { items } = await data(api().api.GET('/v1/certificates', { params: { query: { ...(options.participant ? { participant: options.participant } : {}), ...(options.expiring !== undefined ? { expiringWithinDays: options.expiring } : {}) } } }));
      print(items, [['serial', (c) => c.serial], ['subject', (c) => subjectOf(c.subject)], ['status', (c) => c.status], ['not after', (c) => c.notAfter]]);
    });
  certificates.command('issue').requiredOption('--csr <file>', 'the PKCS#10 request (PEM)')
    .addOption(new Option('--kind <kind>', 'what the certificate is for').choices(['participant', 'adapter', 'endpoint']).default('participant'))
    .requiredOption('--participant <id>').option('--name <adapter>', 'the adapter\'s name (kind adapter)')
    .option('--dns <name...>', 'DNS names (kind endpoint: the registered endpoint\'s host)').option('--ip <address...>', 'IP addresses (kind endpoint)')
    .option('--replaces <serial>').option('--out <file>', 'write the certificate (PEM) here')
    .description('issue a certificate from a CSR').action(async (options: { csr: string; kind: string; participant: string; name?: string; dns?: string[]; ip?: string[]; replaces?: string; out?: string }) => {
      const subject = options.kind === 'adapter' ? { kind: 'adapter', participantId: options.participant, name: options.name }
        : options.kind === 'endpoint' ? { kind: 'endpoint', participantId: options.participant, ...(options.dns ? { dnsNames: options.dns } : {}), ...(options.ip ? { ipAddresses: options.ip } : {}) }
        : { kind: 'participant', participantId: options.participant };
      const issued = await data(api().api.POST('/v1/certificates', { body: { csr: readFileSync(options.csr, 'utf8'), subject: subject as never, ...(options.replaces ? { replaces: options.replaces } : {}) } }));
      if (options.out) writeFileSync(options.out, issued.certificate);
      print(json ? issued : { ...issued, written: options.out }, [['serial', (c) => c.serial], ['subject', (c) => subjectOf(c.subject)], ['not after', (c) => c.notAfter], ['written to', (c) => c.written ?? '(use --out)']]);
    });
  certificates.command('revoke').argument('<serial>')
    .addOption(new Option('--reason <reason>', 'RFC 5280 reason').choices(['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn', 'unspecified']).makeOptionMandatory())
    .description('revoke a certificate (effective at once)').action(async (serial: string, options: { reason: string }) => {
      print(await data(api().api.POST('/v1/certificates/{serial}/revoke', { params: { path: { serial } }, body: { reason: options.reason as never } })), [['serial', (c) => c.serial], ['status', (c) => c.status]]);
    });

  const consents = program.command('consents').description('consent records');
  consents.command('record').argument('<file>', 'a ConsentRequest (JSON)').option('--receipt <file>', 'write the person\'s signed receipt here')
    .description('record a consent').action(async (file: string, options: { receipt?: string }) => {
      const consent = await data(api().api.POST('/v1/consents', { body: readJson(file) }));
      if (options.receipt) writeFileSync(options.receipt, `${JSON.stringify({ receipt: consent.receipt, receiptSignature: consent.receiptSignature }, null, 2)}\n`);
      print(consent, [['id', (c) => c.id], ['status', (c) => c.status], ['valid from', (c) => c.validFrom]]);
    });
  consents.command('find').requiredOption('--given-name <name>').requiredOption('--family-name <name>').requiredOption('--date-of-birth <yyyy-mm-dd>')
    .description('the consents of a person: the gateway computes the pseudonym (audited), never stores the identity').action(async (options: { givenName: string; familyName: string; dateOfBirth: string }) => {
      const { pseudonym } = await data(api().api.POST('/v1/pseudonyms', { body: { identity: { givenName: options.givenName, familyName: options.familyName, dateOfBirth: options.dateOfBirth } } }));
      const { items } = await data(api().api.GET('/v1/consents', { params: { query: { subject: pseudonym } } }));
      print(items, [['id', (c) => c.id], ['status', (c) => c.status], ['recorded by', (c) => c.recordedBy], ['valid from', (c) => c.validFrom]]);
    });
  consents.command('receipt').argument('<id>').description('print the person\'s signed consent receipt').action(async (id: string) => {
    const consent = await data(api().api.GET('/v1/consents/{consentId}', { params: { path: { consentId: id } } }));
    io.out(`${JSON.stringify({ receipt: consent.receipt, receiptSignature: consent.receiptSignature }, null, 2)}\n`);
  });
  consents.command('withdraw').argument('<id>').addOption(reason).description('withdraw a consent: stops every delivery not yet made').action(async (id: string, options: { reason: string }) => {
    print(await data(api().api.POST('/v1/consents/{consentId}/withdraw', { params: { path: { consentId: id } }, body: { reason: options.reason } })), [['id', (c) => c.id], ['status', (c) => c.status]]);
  });

  const deadLetters = program.command('dead-letters').description('deliveries that failed for good');
  const listDeadLetters = async (recipient?: string) =>
    (await data(api().api.GET('/v1/admin/dead-letters', { params: { query: { limit: 200, ...(recipient ? { recipient } : {}) } } }))).items;
  deadLetters.command('list').option('--recipient <id>').description('failed deliveries with their last error').action(async (options: { recipient?: string }) => {
    const items = await listDeadLetters(options.recipient);
    print(items, [['delivery', (d) => d.deliveryId], ['recipient', (d) => d.recipient], ['failed at', (d) => d.failedAt], ['attempts', (d) => d.attempts], ['last error', (d) => d.lastError?.code]]);
  });
  deadLetters.command('retry').argument('[deliveryIds...]', 'the dead letters to retry (all listed ones when none is named)').option('--recipient <id>')
    .description('queue dead letters again, one by one, with progress').action(async (ids: string[], options: { recipient?: string }) => {
      const chosen = ids.length > 0 ? ids : (await listDeadLetters(options.recipient)).map((d) => d.deliveryId);
      const bar = io.progress && !json ? new SingleBar({ stream: io.progress, format: 'retrying {bar} {value}/{total}', noTTYOutput: true, notTTYSchedule: 0 }) : undefined;
      bar?.start(chosen.length, 0);
      const outcome: Array<{ deliveryId: string; retried: boolean; code?: string }> = [];
      for (const deliveryId of chosen) {
        const result = await api().api.POST('/v1/admin/dead-letters/{deliveryId}/retry', { params: { path: { deliveryId } } });
        outcome.push({ deliveryId, retried: result.data !== undefined, ...(result.error ? { code: (result.error as { code: string }).code } : {}) });
        bar?.increment();
      }
      bar?.stop();
      print(outcome, [['delivery', (o) => o.deliveryId], ['retried', (o) => (o.retried ? 'yes' : `no (${o.code})`)]]);
      partly = outcome.some((o) => !o.retried);
    });
  deadLetters.command('discard').argument('<deliveryId>').addOption(reason).description('give a dead letter up for good').action(async (deliveryId: string, options: { reason: string }) => {
    print(await data(api().api.POST('/v1/admin/dead-letters/{deliveryId}/discard', { params: { path: { deliveryId } }, body: { reason: options.reason } })), [['delivery', (d) => d.id], ['status', (d) => d.status]]);
  });

  const exchanges = program.command('exchanges').description('exchanges you may see');
  exchanges.command('show').argument('<id>').description('an exchange and each delivery\'s status').action(async (id: string) => {
    const exchange = await api().track(id);
    print(json ? exchange : exchange.deliveries.map((d) => ({ ...d, exchange })), [['exchange', (d) => d.exchange.id], ['type', (d) => d.exchange.type], ['recipient', (d) => d.recipient], ['status', (d) => d.status], ['since', (d) => d.statusChangedAt]]);
  });
  exchanges.command('follow').argument('<id>').option('--until <statuses>', 'stop once every delivery is in one of these (comma-separated)', 'acknowledged,failed,withheld,expired,cancelled')
    .description('print status events as they happen').action(async (id: string, options: { until: string }) => {
      const final = new Set(options.until.split(','));
      // The stream replays the history first: the run ends once every delivery's events have
      // reached its present status and then a final one (an old `failed` before a retry does not count).
      const present = new Map((await api().track(id)).deliveries.map((d) => [d.recipient, d.status as string]));
      const caughtUp = new Map([...present.keys()].map((r) => [r, false]));
      const last = new Map<string, string>();
      const stop = new AbortController();
      for await (const event of api().follow(id, { signal: stop.signal })) {
        io.out(json ? `${JSON.stringify(event)}\n` : `${event.at}  ${event.recipient}  ${event.status}\n`);
        last.set(event.recipient, event.status);
        if (event.status === present.get(event.recipient)) caughtUp.set(event.recipient, true);
        if ([...present.keys()].every((r) => caughtUp.get(r) && final.has(last.get(r) ?? ''))) stop.abort();
      }
    });

  const cases = program.command('cases').description('case threads and referrals with their state (a case\'s parties and the coordinator; docs/coordination.md)');
  cases.command('show').argument('<correlationId>').description('a case thread: who holds it, its referrals and their state, each agency\'s latest update, the measures you hold')
    .action(async (correlationId: string) => {
      const view = await data(api().api.GET('/v1/cases/{correlationId}', { params: { path: { correlationId } } }));
      if (json) return print(view);
      io.out(`case ${view.correlationId}: ${view.messages.length} messages, ${view.holder ? `held by ${view.holder}` : 'held by nobody yet'}\n`);
      print(view.referrals, [['referral', (r) => r.exchangeId], ['from', (r) => r.requester], ['to', (r) => r.owner], ['state', (r) => r.state], ['since', (r) => r.stateAt], ['respond by', (r) => r.respondBy]]);
      if (view.latestUpdates.length > 0) print(view.latestUpdates, [['agency', (u) => u.participant], ['latest update', (u) => u.update], ['at', (u) => u.at]]);
      if (view.measures.length > 0) print(view.measures, [['measure', (m) => m.code], ['status', (m) => m.status], ['reported by', (m) => m.reportedBy], ['at', (m) => m.at]]);
    });
  cases.command('referrals').addOption(new Option('--state <state>', 'only those in this state (declined: to refer again)').choices(['requested', 'received', 'accepted', 'declined', 'in-progress', 'completed', 'cancelled', 'expired']))
    .option('--owner <id>', 'sent to this participant').option('--requester <id>', 'sent by this participant').option('--case <correlationId>')
    .option('--after <cursor>', 'the next page (printed after a full page)').option('--limit <n>', 'at most this many', toInteger, 100)
    .description('referrals and their business state, oldest first').action(async (options: { state?: string; owner?: string; requester?: string; case?: string; after?: string; limit: number }) => {
      const { case: correlationId, state, ...rest } = options;
      const page = await data(api().api.GET('/v1/referrals', { params: { query: { ...rest, ...(state ? { state: state as never } : {}), ...(correlationId ? { correlationId } : {}) } } }));
      print(json ? page : page.items, [['referral', (r) => r.exchangeId], ['case', (r) => r.correlationId], ['from', (r) => r.requester], ['to', (r) => r.owner], ['state', (r) => r.state], ['since', (r) => r.stateAt], ['respond by', (r) => r.respondBy]]);
      if (!json && page.next) io.out(`more: --after ${page.next}\n`);
    });

  const alerts = program.command('alerts').description('alerts the case threads\' deadline clocks raised for your participant (docs/coordination.md#alerts)');
  alerts.command('list').option('--all', 'acknowledged ones too').option('--limit <n>', 'at most this many', toInteger, 100).description('your alerts, newest first')
    .action(async (options: { all?: boolean; limit: number }) => {
      const page = await data(api().api.GET('/v1/alerts', { params: { query: { open: !options.all, limit: options.limit } } }));
      print(json ? page : page.items, [['alert', (a) => a.id], ['kind', (a) => a.kind], ['case', (a) => a.correlationId], ['due', (a) => a.dueAt], ['raised', (a) => a.raisedAt], ['acknowledged', (a) => (a.acknowledgedAt ? `${a.acknowledgedAt} by ${a.acknowledgedBy}` : '')]]);
    });
  alerts.command('ack').argument('<alertId>').description('acknowledge an alert').action(async (alertId: string) => {
    print(await data(api().api.POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId } } })), [['alert', (a) => a.id], ['kind', (a) => a.kind], ['acknowledged', (a) => a.acknowledgedAt]]);
  });

  const statistics = program.command('statistics').description('national indicators, k-anonymous (statistician role: all agencies; a participant: its own; docs/statistics.md)');
  statistics.command('show').argument('<year>', 'the calendar year', toInteger)
    .addOption(new Option('--indicator <id>', 'which indicator').choices(['alerts-coordinated', 'victims-supported', 'referrals', 'children-referred', 'time-to-first-measure', 'follow-up-completed', 'cross-border-transfers']).default('victims-supported'))
    .option('--agency <id>', '`national` or a participant id (default: the first you see)').option('--by <dimension>', 'a breakdown for the whole year instead of the periods: form, citizenship, sex, age, measure, measure-outcome, partner-country')
    .description('one indicator: persons per period (or per category of a breakdown); `<11` where suppressed')
    .action(async (year: number, options: { indicator: string; agency?: string; by?: string }) => {
      const answer = await data(api().api.GET('/v1/statistics/{year}', { params: { path: { year }, query: { format: 'json' } } }));
      // The route also answers text/csv; with format=json it is the release.
      const release = answer as Exclude<typeof answer, string>;
      const agency = options.agency ?? release.agencies[0];
      const cells = release.cells.filter((c) => c.indicator === options.indicator && c.agency === agency
        && (options.by ? c.dimension === options.by && c.period === String(year) : c.dimension === 'all'));
      if (json) return print({ year, asOf: release.asOf, k: release.k, digest: release.digest, agency, cells });
      io.out(`${options.indicator}, ${agency}, ${year} as of ${release.asOf} (the month's start in Sofia; k = ${release.k}; release ${release.digest})\n`);
      const order = options.by ? release.categories[options.by] ?? [] : release.periods.map((p) => p.id);
      const byKey = new Map(cells.map((c) => [options.by ? c.category : c.period, c]));
      print(order.map((key) => ({ key, cell: byKey.get(key) })), [[options.by ?? 'period', (r) => r.key],
        ['persons', (r) => (r.cell ? r.cell.persons ?? `<${release.k}` : 0)],
        ...(options.indicator === 'time-to-first-measure' ? [['median days', (r: any) => r.cell?.medianDays ?? ''], ['p90 days', (r: any) => r.cell?.p90Days ?? '']] as Array<[string, (row: any) => unknown]> : [])]);
    });
  statistics.command('export').argument('<year>', 'the calendar year', toInteger).requiredOption('--out <file>', 'where to write it')
    .addOption(new Option('--format <format>', 'CSV (one row per cell) or the JSON release').choices(['csv', 'json']).default('csv'))
    .description('write the year\'s release (what you may see of it) to a file').action(async (year: number, options: { out: string; format: 'csv' | 'json' }) => {
      const { data: text, error, response } = await api().api.GET('/v1/statistics/{year}', { params: { path: { year }, query: { format: options.format } }, parseAs: 'text' });
      if (!response.ok) throw new GatewayProblem(typeof error === 'string' ? JSON.parse(error) : error);
      writeFileSync(options.out, text!);
      const rows = options.format === 'csv' ? text!.trimEnd().split('\r\n').length - 1 : (JSON.parse(text!) as { cells: unknown[] }).cells.length;
      print({ year, cells: rows, digest: response.headers.get('release-digest'), written: options.out }, [['year', (r) => r.year], ['cells', (r) => r.cells], ['release', (r) => r.digest], ['written to', (r) => r.written]]);
    });

  const audit = program.command('audit').description('the tamper-evident audit log (auditor role; docs/audit.md)');
  audit.command('checkpoints').option('--limit <n>', 'how many, newest first', toInteger, 20).description('the signed checkpoints').action(async (options: { limit: number }) => {
    const { items } = await data(api().api.GET('/v1/audit/checkpoints', { params: { query: { limit: options.limit } } }));
    print(items, [['entries', (c) => c.treeSize], ['root (SHA-256, base64)', (c) => c.rootHash], ['signed at', (c) => c.issuedAt], ['timestamped (TSA)', (c) => c.timestamp?.genTime ?? '']]);
  });
  audit.command('entries').option('--from <time>').option('--to <time>').option('--actor <actor>').option('--action <action>').option('--exchange <id>').option('--participant <id>')
    .option('--after <seq>', 'entries after this seq (the next page)', toInteger).option('--limit <n>', 'at most this many', toInteger, 100)
    .description('search the audit log').action(async (options: { from?: string; to?: string; actor?: string; action?: string; exchange?: string; participant?: string; after?: number; limit: number }) => {
      const { exchange, ...rest } = options;
      const query = Object.fromEntries(Object.entries({ ...rest, exchangeId: exchange }).filter(([, v]) => v !== undefined));
      const page = await data(api().api.GET('/v1/audit/entries', { params: { query: query as never } }));
      print(json ? page : page.items, [['seq', (i) => i.entry.seq], ['at', (i) => i.entry.at], ['actor', (i) => i.entry.actor], ['action', (i) => i.entry.action], ['exchange', (i) => i.entry.exchangeId], ['logged', (i) => (i.proof ? `in checkpoint ${i.proof.treeSize}` : i.position === undefined ? 'waiting' : `position ${i.position}`)]]);
    });
  audit.command('proof').argument('<seq>', 'the entry').option('--checkpoint <entries>', 'the checkpoint to prove against (default: the latest)', toInteger)
    .description('fetch an entry\'s inclusion proof and check it here').action(async (seq: string, options: { checkpoint?: number }) => {
      const path = { seq: toInteger(seq) };
      const { entry } = await data(api().api.GET('/v1/audit/entries/{seq}', { params: { path } }));
      const proof = await data(api().api.GET('/v1/audit/entries/{seq}/proof', { params: { path, query: options.checkpoint ? { checkpoint: options.checkpoint } : {} } }));
      const checked = await verifyInclusionProof(entry, proof, readFileSync(caFile!, 'utf8'));
      print(json ? { ...proof, verified: checked.ok, problem: checked.problem } : proof, [['seq', (p) => p.seq], ['position', (p) => p.position], ['checkpoint', (p) => p.treeSize], ['verified here', () => (checked.ok ? 'yes' : `NO: ${checked.problem}`)]]);
      partly = !checked.ok;
    });
  audit.command('export').requiredOption('--out <file>', 'where to write the export (JSON lines)')
    .description('write every checkpoint and the whole log, for verifying elsewhere').action(async (options: { out: string }) => {
      const { checkpoints, items } = await readAuditLog(api());
      const lines = checkpoints.map((checkpoint) => JSON.stringify({ checkpoint }));
      const bar = progressBar('exporting', checkpoints[0]?.treeSize ?? 0);
      for await (const item of items) {
        lines.push(JSON.stringify({ item }));
        bar?.increment();
      }
      bar?.stop();
      writeFileSync(options.out, `${lines.join('\n')}\n`);
      print({ checkpoints: checkpoints.length, entries: lines.length - checkpoints.length, written: options.out }, [['checkpoints', (r) => r.checkpoints], ['entries', (r) => r.entries], ['written to', (r) => r.written]]);
    });
  audit.command('verify').option('--file <export>', 'verify an export offline instead of the gateway\'s log').option('--ca <file>', 'the gateway CA (PEM; default: the profile\'s)')
    .description('check every entry, the hash chain and every signed checkpoint').action(async (options: { file?: string; ca?: string }) => {
      const ca = options.ca ?? caFile;
      if (!ca) throw new UsageError('--ca <file> is needed with --file: the gateway CA, obtained out of band');
      const source = options.file ? readExport(options.file) : await readAuditLog(api());
      const bar = progressBar('verifying', source.checkpoints[0]?.treeSize ?? 0);
      const result = await verifyAuditLog({ ...source, caPem: readCaFile(ca), onProgress: (n) => bar?.update(n) });
      bar?.stop();
      if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.ok) io.out(`verified: ${result.entries} entries, ${result.checkpoints} signed checkpoints, the hash chain unbroken\n`);
      else {
        io.out(`NOT VERIFIED: ${result.problems.length} problem(s) in ${result.entries} entries${result.firstBad ? `; first bad entry: seq ${result.firstBad.seq} at position ${result.firstBad.position}` : ''}\n`);
        for (const p of result.problems) io.out(`  ${p.problem}\n`);
      }
      partly = !result.ok;
    });
  audit.command('evidence').argument('<exchangeId>').requiredOption('--out <file>', 'the bundle (JSON); its signature goes to <file>.jws')
    .description('an exchange\'s signed evidence bundle, for verifying offline (docs/verify.md)').action(async (exchangeId: string, options: { out: string }) => {
      // The signature is over the body's exact bytes: kept as text, not parsed and written again.
      const { data: bundle, error, response } = await api().api.GET('/v1/audit/evidence/{exchangeId}', { params: { path: { exchangeId } }, parseAs: 'text' });
      if (!response.ok) throw new GatewayProblem(typeof error === 'string' ? JSON.parse(error) : error);
      writeFileSync(options.out, bundle!);
      writeFileSync(`${options.out}.jws`, response.headers.get('referral-evidence-signature') ?? '');
      const parsed = JSON.parse(bundle!) as { auditEntries: unknown[]; envelope?: unknown };
      print({ exchangeId, entries: parsed.auditEntries.length, payload: parsed.envelope ? 'included' : 'purged', written: options.out },
        [['exchange', (r) => r.exchangeId], ['audit entries', (r) => r.entries], ['payload', (r) => r.payload], ['written to', (r) => `${r.written} (+ .jws)`]]);
    });
  audit.command('subject-access').option('--subject <pseudonym>').option('--given-name <name>').option('--family-name <name>').option('--date-of-birth <yyyy-mm-dd>')
    .description('every disclosure of one person\'s data (GDPR Art. 15), by pseudonym or identity (the gateway computes the pseudonym, audited)')
    .action(async (options: { subject?: string; givenName?: string; familyName?: string; dateOfBirth?: string }) => {
      let subject = options.subject;
      if (!subject) {
        if (!options.givenName || !options.familyName || !options.dateOfBirth) throw new UsageError('give --subject <pseudonym>, or --given-name, --family-name and --date-of-birth');
        ({ pseudonym: subject } = await data(api().api.POST('/v1/pseudonyms', { body: { identity: { givenName: options.givenName, familyName: options.familyName, dateOfBirth: options.dateOfBirth } } })));
      }
      const report = await data(api().api.GET('/v1/audit/subject-access', { params: { query: { subject: subject! } } }));
      print(json ? report : report.disclosures, [['accepted', (d) => d.acceptedAt], ['from', (d) => d.sender], ['to', (d) => d.recipient], ['type', (d) => d.type],
        ['disclosed', (d) => (d.disclosed ? d.disclosedAt ?? 'yes' : `no (${d.status})`)], ['categories', (d) => d.categories.join(', ')], ['withheld', (d) => d.withheldCategories.join(', ')],
        ['legal basis', (d) => d.legalBasis.consentId ? `consent ${d.legalBasis.consentId}` : d.legalBasis.basis]]);
    });
  /** A progress bar on stderr for people (none for --json or without a terminal). */
  function progressBar(label: string, total: number) {
    if (!io.progress || json) return undefined;
    const bar = new SingleBar({ stream: io.progress, format: `${label} {bar} {value}/{total}`, noTTYOutput: true, notTTYSchedule: 0 });
    bar.start(total, 0);
    return bar;
  }

  let passed: number | undefined;
  program.command('ca').description('the offline CA commands (init, gateway-certs, issue-admin): `referral-gateway ca -- <command> …`, as `npm run ca`')
    .argument('[args...]').allowUnknownOption().helpOption(false).action((args: string[]) => {
      const tool = join(dirname(fileURLToPath(import.meta.url)), 'ca.ts');
      const run = spawnSync(process.execPath, ['--import', 'tsx', tool, ...args], { encoding: 'utf8' });
      io.out(run.stdout);
      io.err(run.stderr);
      passed = run.status ?? EXIT.unavailable;
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (passed !== undefined) return passed;
    return partly ? EXIT.refused : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof GatewayProblem) {
      io.err(json ? `${JSON.stringify(error.problem)}\n` : `refused: ${error.code} — ${error.problem.detail ?? error.problem.title}\n${(error.problem.violations ?? []).map((v) => `  ${v.pointer} ${v.message}\n`).join('')}`);
      return error.retryable ? EXIT.unavailable : EXIT.refused;
    }
    if (error instanceof UsageError) {
      io.err(`${error.message}\n`);
      return EXIT.usage;
    }
    io.err(`the gateway could not be reached: ${(error as Error).message}\n`);
    return EXIT.unavailable;
  } finally {
    await client?.close();
  }
}

/** A mistake on the command line or in a file it names: exit code 2. */
class UsageError extends Error {}

function connect(profileFile: string): { client: ReferralClient; caFile: string } {
  let profile: Profile;
  try {
    profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
  } catch (error) {
    throw new UsageError(`cannot read the profile ${profileFile} (${(error as Error).message}); it names { "url", "caFile", "certFile", "keyFile" } — see docs/operations.md`);
  }
  const dir = join(profileFile, '..');
  const at = (file: string) => (file.startsWith('/') ? file : join(dir, file));
  try {
    return {
      client: createReferralClient({ baseUrl: profile.url, credentials: { caFile: at(profile.caFile), certFile: at(profile.certFile), keyFile: at(profile.keyFile) } }),
      caFile: at(profile.caFile),
    };
  } catch (error) {
    throw new UsageError(`the profile ${profileFile} names files that cannot be read: ${(error as Error).message}`);
  }
}

function readJson(file: string): never {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as never;
  } catch (error) {
    throw new UsageError(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
}

/** An export written by `audit export`: one `{checkpoint}` or `{item}` per line. */
function readExport(file: string): { checkpoints: AuditCheckpoint[]; items: AuditLogItem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const checkpoints: AuditCheckpoint[] = [];
  const items: AuditLogItem[] = [];
  text.split('\n').forEach((line, n) => {
    if (!line.trim()) return;
    let parsed: { checkpoint?: AuditCheckpoint; item?: AuditLogItem };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw new UsageError(`${file} line ${n + 1} is not JSON: is it an audit export?`);
    }
    if (parsed.checkpoint) checkpoints.push(parsed.checkpoint);
    else if (parsed.item) items.push(parsed.item);
    else throw new UsageError(`${file} line ${n + 1} is neither a checkpoint nor an entry`);
  });
  return { checkpoints: checkpoints.sort((a, b) => b.treeSize - a.treeSize), items };
}

function readCaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the CA ${file}: ${(error as Error).message}`);
  }
}

function toInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`not a whole number: ${value}`);
  return n;
}

const subjectOf = (s: { kind: string; participantId?: string; name?: string }) => `${s.kind}:${s.participantId ?? s.name ?? ''}${s.kind === 'adapter' ? `/${s.name}` : ''}`;

// Run as a program (not when imported by tests).
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), progress: process.stderr, env: process.env });
}
