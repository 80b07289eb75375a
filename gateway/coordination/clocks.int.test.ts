/**
 * Deadline clocks and alerts on real PostgreSQL with two gateway processes and a real SMTP
 * server (smtp-server): with the clock moved forward, an unanswered referral, a reflection
 * period ending, a child without a guardian and a missed follow-up each raise exactly one
 * alert per participant told — received by e-mail too — while the clocks a later message
 * satisfied stay quiet; alerts and e-mails hold no personal data.
 */
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, freshExample, startTestGateway, type TestGateway } from '../../testing/test-gateway.ts';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

describe('deadline clocks and alerts', () => {
  const pki = createTestPki();
  let gw: TestGateway;
  let second: TestGateway;
  let smtp: SMTPServer;
  const mail: Array<{ to: string[]; raw: string }> = [];
  const as = (id: string) => gw.as(pki.participant(id));
  const send = async (sender: string, message: any) => {
    message.sender = sender;
    const accepted = await as(sender).post('/v1/exchanges', message);
    expect(accepted.status, accepted.text).toBe(202);
    return { id: accepted.body.id as string, messageId: message.messageId as string, correlationId: message.correlationId as string };
  };
  /** Chains the audit log and projects it, as the relay's jobs do. */
  const project = async () => {
    await gw.gateway.audit.maintain();
    await Promise.all([gw.gateway.coordination.project(), second.gateway.coordination.project()]);
  };
  const clocksOf = async (viewer: string, correlationId: string) => (await as(viewer).get(`/v1/cases/${correlationId}`)).body.clocks as Array<{ kind: string; state: string; stoppedBy?: string; responsible: string }>;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          mail.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const overrides = {
      coordination: { followUpMonths: [1, 6] },
      alerts: {
        email: {
          smtp: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port },
          from: 'Referral Gateway <alerts@gateway.test>',
          to: { 'BG-NCCTHB': ['duty@nccthb.test'], 'BG-NGO-ANIMUS': ['shelter@animus.test'], 'BG-SACP': ['child@sacp.test', 'night@sacp.test'] },
        },
      },
    };
    // A partner gateway abroad reaches HU-NBI (its CA is not read by a test gateway).
    Object.assign(overrides, { peers: [{ name: 'partner-hu', caFile: '/nonexistent/ca.pem', endpoint: 'https://gateway.nrm.hu.test', participants: ['HU-NBI'] }] });
    gw = await startTestGateway({ store: 'postgresql', pki, overrides });
    second = await startTestGateway({ store: 'postgresql', pki, sharing: gw, overrides });
  });
  afterAll(async () => {
    await second?.close();
    await gw?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  const threads: Record<string, { id: string; messageId: string; correlationId: string }> = {};
  it('starts a clock for each deadline a message sets, and stops those a later message satisfies', async () => {
    const referral = () => {
      const m = freshExample('Referral');
      m.payload.respondBy = new Date(Date.now() + DAY).toISOString();
      delete m.payload.reflectionPeriod;
      return m;
    };
    threads.unanswered = await send('BG-NCCTHB', referral());
    threads.answered = await send('BG-NCCTHB', referral());
    const transfer = freshExample('CaseTransfer'); // about an unaccompanied child without a guardian
    transfer.payload.reflectionPeriod = { startsOn: day(0), endsOn: day(30) };
    threads.child = await send('BG-NCCTHB', transfer);
    threads.guardianFound = await send('BG-NCCTHB', freshExample('CaseTransfer'));
    const exit = freshExample('CaseUpdate');
    exit.payload.update = 'shelter-exit';
    threads.shelter = await send('BG-NGO-ANIMUS', exit);
    await project();

    const response = freshExample('ReferralResponse');
    response.correlationId = threads.answered!.correlationId;
    response.inReplyTo = threads.answered!.messageId;
    const answer = await send('BG-NGO-ANIMUS', response);
    const appointed = freshExample('CaseUpdate');
    appointed.correlationId = threads.guardianFound!.correlationId;
    appointed.recipients = ['BG-NCCTHB'];
    appointed.payload.update = 'proceedings-update';
    appointed.payload.subject.child = { ageUncertain: true, estimatedAge: { min: 14, max: 17 }, unaccompanied: true, guardian: { status: 'appointed', organisation: 'Demo municipality', appointedOn: day(0) } };
    const guardian = await send('BG-SACP', appointed);
    const followUp = freshExample('CaseUpdate');
    followUp.correlationId = threads.shelter!.correlationId;
    followUp.payload.update = 'follow-up';
    followUp.payload.followUp = { on: day(0), outcome: 'stable' };
    await send('BG-NGO-ANIMUS', followUp);
    await project();

    expect(await clocksOf('BG-NCCTHB', threads.unanswered!.correlationId)).toMatchObject([{ kind: 'response-due', state: 'pending', responsible: 'BG-NGO-ANIMUS' }]);
    expect(await clocksOf('BG-NCCTHB', threads.answered!.correlationId)).toMatchObject([{ kind: 'response-due', state: 'stopped', stoppedBy: answer.id }]);
    expect((await clocksOf('BG-SACP', threads.child!.correlationId)).map((c) => `${c.kind} ${c.state} ${c.responsible}`).sort())
      .toEqual(['guardian-missing pending BG-SACP', 'reflection-period-ending pending BG-NCCTHB']);
    expect(await clocksOf('BG-SACP', threads.guardianFound!.correlationId)).toMatchObject([{ kind: 'guardian-missing', state: 'stopped', stoppedBy: guardian.id }]);
    expect((await clocksOf('BG-NGO-ANIMUS', threads.shelter!.correlationId)).map((c) => `${c.kind} ${c.state}`)).toEqual(['follow-up-due stopped', 'follow-up-due pending']);
  });

  it('raises exactly one alert per clock and participant told, with two processes firing at once, and e-mails each once', async () => {
    const later = new Date(Date.now() + 400 * DAY);
    const raised = await Promise.all([gw.gateway.coordination.fireDue(later), second.gateway.coordination.fireDue(later), gw.gateway.coordination.fireDue(later)]);
    expect(raised.reduce((a, b) => a + b, 0)).toBe(7);
    expect(await second.gateway.coordination.fireDue(later)).toBe(0);

    const { rows } = await gw.db.query<{ kind: string; correlation_id: string; participant: string }>('SELECT kind, correlation_id, participant FROM alerts ORDER BY kind, participant');
    const named = Object.fromEntries(Object.entries(threads).map(([name, t]) => [t.correlationId, name]));
    expect(rows.map((r) => `${r.kind} ${named[r.correlation_id]} ${r.participant}`)).toEqual([
      'follow-up-due shelter BG-NCCTHB', 'follow-up-due shelter BG-NGO-ANIMUS',
      'guardian-missing child BG-NCCTHB', 'guardian-missing child BG-SACP',
      'reflection-period-ending child BG-NCCTHB',
      'response-due unanswered BG-NCCTHB', 'response-due unanswered BG-NGO-ANIMUS',
    ]);

    const sent = await Promise.all([gw.gateway.coordination.sendEmails(later), second.gateway.coordination.sendEmails(later)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(8); // SACP's alert goes to its two addresses
    expect(mail).toHaveLength(8);
    expect(mail.map((m) => m.to[0]).sort()).toEqual([
      'child@sacp.test', 'duty@nccthb.test', 'duty@nccthb.test', 'duty@nccthb.test', 'duty@nccthb.test', 'night@sacp.test', 'shelter@animus.test', 'shelter@animus.test',
    ]);
    expect(await gw.gateway.coordination.sendEmails(later)).toBe(0);
    const guardianMail = mail.find((m) => m.to[0] === 'child@sacp.test')!.raw.replace(/=\r?\n/g, '');
    expect(guardianMail).toContain('a child still has no appointed guardian');
    expect(guardianMail).toContain(`#/cases/${threads.child!.correlationId}`);

    const metrics = `${(await gw.as().get('/metrics')).text}\n${(await second.as().get('/metrics')).text}`;
    const total = (name: string) => [...metrics.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(total('rg_alerts_raised_total')).toBe(7);
    expect(metrics).toMatch(/^rg_alerts_raised_total\{kind="guardian-missing"\} 2$/m);
    expect(total('rg_alert_emails_sent_total')).toBe(8);
    expect(metrics).toMatch(/^rg_clocks_overdue 0$/m);
  });

  it('lists each participant its alerts and lets it acknowledge them once', async () => {
    const { body } = await as('BG-NGO-ANIMUS').get('/v1/alerts');
    expect(body.items.map((a: { kind: string }) => a.kind).sort()).toEqual(['follow-up-due', 'response-due']);
    const alert = body.items[0];
    expect(alert.link).toBe(`${gw.config.publicUrl}/console/#/cases/${alert.correlationId}`);
    const acknowledged = await as('BG-NGO-ANIMUS').post(`/v1/alerts/${alert.id}/acknowledge`, {});
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgedBy).toBe('participant:BG-NGO-ANIMUS');
    const again = await as('BG-NGO-ANIMUS').post(`/v1/alerts/${alert.id}/acknowledge`, {});
    expect([again.status, again.body.code]).toEqual([409, 'GW_ALERT_ACKNOWLEDGED']);
    const other = await as('BG-NCCTHB').post(`/v1/alerts/${alert.id}/acknowledge`, {});
    expect([other.status, other.body.code]).toEqual([404, 'GW_ALERT_NOT_FOUND']);
    expect((await as('BG-NGO-ANIMUS').get('/v1/alerts')).body.items).toHaveLength(1);
    expect((await as('BG-NGO-ANIMUS').get('/v1/alerts?open=false')).body.items).toHaveLength(2);
    expect((await gw.as(pki.admin).get('/v1/alerts')).body.code).toBe('GW_ROLE_REQUIRED');
  });

  it('raises one alert per condition of the machinery, whichever process watches: dead letters, long retries, a peer abroad, expiring certificates and consents', async () => {
    const refer = (recipient: string) => {
      const m = freshExample('Referral');
      m.recipients = [recipient];
      delete m.payload.reflectionPeriod;
      return send('BG-NCCTHB', m);
    };
    /** The moves a worker makes, made here. */
    const move = async (exchangeId: string, ...statuses: string[]) => {
      for (const status of statuses) await gw.db.query('UPDATE deliveries SET status = $2, status_changed_at = now() WHERE exchange_id = $1', [exchangeId, status]);
    };
    const dead = await refer('BG-MOI');
    const slow = await refer('BG-SAA');
    const abroad = await refer('HU-NBI');
    await move(dead.id, 'queued', 'delivering', 'failed');
    await move(slow.id, 'queued', 'delivering', 'retrying');
    await move(abroad.id, 'queued', 'delivering', 'retrying');
    const certificate = pki.participant('BG-MOI');
    await gw.gateway.trust.register([{ certPem: certificate.certPem, issuedBy: 'test' }]);
    const notAfter = new Date(new X509Certificate(certificate.certPem).validTo);
    const consent = await as('BG-SACP').post('/v1/consents', {
      subject: { identity: { givenName: 'Вяра', familyName: 'Измислена', dateOfBirth: '2001-05-06' } }, givenBy: { kind: 'self' },
      scope: [{ participantKinds: ['coordinator'], purposes: ['coordination'], categories: ['identity'] }],
      validFrom: new Date().toISOString(), validUntil: new Date(notAfter.getTime() - DAY).toISOString(),
      evidence: { formDigest: `sha256:${'cd'.repeat(32)}`, signedOn: day(0), language: 'bg', interpreter: false },
    });
    expect(consent.status, consent.text).toBe(201);

    const at = new Date(notAfter.getTime() - 5 * DAY);
    const raised = await Promise.all([gw.gateway.coordination.watch(at), second.gateway.coordination.watch(at)]);
    expect(raised.reduce((a, b) => a + b, 0)).toBe(8);
    expect(await gw.gateway.coordination.watch(at)).toBe(0);
    const { rows } = await gw.db.query<{ kind: string; participant: string; details: Record<string, string> }>(
      'SELECT kind, participant, details FROM alerts WHERE source_key IS NOT NULL ORDER BY kind, participant');
    expect(rows.map((r) => `${r.kind} ${r.participant}`)).toEqual([
      'certificate-expiring BG-MOI', 'certificate-expiring BG-NCCTHB',
      'consent-expiring BG-NCCTHB', 'consent-expiring BG-SACP',
      'dead-letter BG-NCCTHB',
      'delivery-retrying BG-NCCTHB', 'delivery-retrying BG-SAA',
      'peer-unreachable BG-NCCTHB',
    ]);
    expect(rows.find((r) => r.kind === 'peer-unreachable')!.details.peer).toBe('partner-hu');
    expect(rows.find((r) => r.kind === 'consent-expiring')!.details.consentId).toBe(consent.body.id);
    const moi = (await as('BG-MOI').get('/v1/alerts')).body.items;
    expect(moi).toEqual([expect.objectContaining({ kind: 'certificate-expiring', details: { serial: expect.any(String) }, link: `${gw.config.publicUrl}/console/#/cases` })]);
    expect(moi[0].correlationId).toBeUndefined();
    // Failing again after a retry is a new dead letter.
    await move(dead.id, 'queued', 'delivering', 'failed');
    expect(await second.gateway.coordination.watch(at)).toBe(1);
  });

  it('puts no personal value in any alert or e-mail', async () => {
    const identities = ['Referral', 'CaseTransfer', 'CaseUpdate'].flatMap((name) => {
      const subject = freshExample(name as 'Referral').payload.subject;
      return [subject.identity?.givenName, subject.identity?.familyName, subject.identity?.dateOfBirth, subject.contact?.phone, subject.pseudonym].filter(Boolean) as string[];
    });
    expect(identities.length).toBeGreaterThan(3);
    const everything = [
      JSON.stringify((await gw.db.query('SELECT * FROM alerts')).rows),
      JSON.stringify((await gw.db.query('SELECT * FROM case_clocks')).rows),
      JSON.stringify((await as('BG-NCCTHB').get('/v1/alerts?open=false')).body),
      ...mail.map((m) => m.raw),
      (await gw.as().get('/metrics')).text,
    ].join('\n');
    for (const value of identities) expect(everything, value).not.toContain(value);
  });
});
