import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJwsSigner, ensureDevelopmentPki } from '../../certs/index.ts';
import { canonicalize } from '../../schemas/index.ts';
import { clientFor, uniqueId } from '../../testing/test-gateway.ts';
import { freePort } from '../../queues/index.ts';
import { startTestSystem, type TestSystem } from '../../testing/test-system.ts';
import type { Participant } from '../../schemas/index.ts';

/** A TCP relay in front of a port, to take a gateway off the network and bring it back. */
function tcpRelay(listenPort: number, targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const start = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((socket) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [socket, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        socket.pipe(upstream).pipe(socket);
      }).listen(listenPort, '127.0.0.1', () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
    });
  return { start, stop };
}
const CASEWORK = ['referral', 'referral-response', 'case-transfer', 'case-update'] as const;
const accepting = (types: readonly string[]) => types.map((type) => ({ type, schemaVersions: ['1.0'] })) as Participant['accepts'];

/** Hungary's gateway: its own police, and the Bulgarian coordinator reached through the Bulgarian gateway. */
const HU_PARTICIPANTS: Participant[] = [
  { id: 'HU-NBI', name: 'National Bureau of Investigation (synthetic)', kind: 'law-enforcement', country: 'HU', accepts: accepting(CASEWORK), sends: [...CASEWORK] },
  { id: 'BG-NCCTHB', name: 'NCCTHB secretariat, Bulgaria (TRM partner)', kind: 'foreign-partner', country: 'BG', accepts: accepting(CASEWORK), sends: [...CASEWORK] },
];

describe('two gateways on loopback, each with its own CA (TRM)', () => {
  let bg: TestSystem;
  let hu: TestSystem;
  /** The Bulgarian gateway reaches Hungary's through this relay. */
  let network: ReturnType<typeof tcpRelay>;
  const dirs = { bg: mkdtempSync(join(tmpdir(), 'rg-bg-')), hu: mkdtempSync(join(tmpdir(), 'rg-hu-')) };
  const caOf = (dir: string) => join(dir, 'certs', 'ca.pem');
  const gatewayCertOf = (dir: string) => ({ certPem: readFileSync(join(dir, 'certs', 'gateway-client.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'certs', 'gateway-client-key.pem'), 'utf8') });

  beforeAll(async () => {
    // Each gateway's CA exists before either starts: each configuration names the other's.
    for (const [dir, name] of [[dirs.bg, 'bg-nrm'], [dirs.hu, 'hu-nrm']] as const) {
      ensureDevelopmentPki({ dir: join(dir, 'certs'), participants: [], administrators: [], hostnames: ['localhost', '127.0.0.1', '::1'], gatewayName: name });
    }
    const [bgPort, huPort, relayPort] = [await freePort(), await freePort(), await freePort()];
    network = tcpRelay(relayPort, huPort);
    await network.start();
    [bg, hu] = await Promise.all([
      startTestSystem({
        dataDir: dirs.bg,
        // Enough attempts to outlast the outage below.
        delivery: { attempts: 40 },
        overrides: {
          port: bgPort, gatewayName: 'bg-nrm',
          peers: [{ name: 'hu-nrm', caFile: caOf(dirs.hu), endpoint: `https://localhost:${relayPort}`, participants: ['HU-NBI'] }],
        },
      }),
      startTestSystem({
        dataDir: dirs.hu,
        overrides: {
          port: huPort, gatewayName: 'hu-nrm', participants: HU_PARTICIPANTS, childProtectionParticipant: 'HU-NBI',
          peers: [{ name: 'bg-nrm', caFile: caOf(dirs.bg), endpoint: `https://localhost:${bgPort}`, participants: ['BG-NCCTHB'] }],
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([bg?.close(), hu?.close()]);
    await network?.stop();
  });

  it('transfers a case for a safe return end to end, and the peer\'s signed receipt comes back', async () => {
    const accepted = await bg.submit('CaseTransfer', (m) => {
      m.recipients = ['HU-NBI'];
      m.purpose = 'safe-return';
    });
    const atBg = await bg.settle(accepted.id, 'BG-NCCTHB', ['acknowledged'], 30_000);

    // Hungary holds the envelope Bulgaria delivered to HU-NBI — its own copy (the case is about
    // a child, so SACP is a recipient too, which HU-NBI's copy does not list) — under the same
    // id, and its police system acknowledged it.
    const { rows } = await bg.running.db.query<{ digest: string; recipients: string[] }>(
      `SELECT COALESCE(d.envelope_digest, e.envelope_digest) AS digest, COALESCE(d.envelope, e.envelope)->'recipients' AS recipients
       FROM deliveries d JOIN exchanges e ON e.id = d.exchange_id WHERE e.id = $1 AND d.recipient = 'HU-NBI'`, [accepted.id],
    );
    const delivered = rows[0]!;
    expect(delivered.recipients).toEqual(['HU-NBI']);
    const atHu = await hu.settle(accepted.id, 'HU-NBI', ['acknowledged']);
    expect(atHu).toMatchObject({ sender: 'BG-NCCTHB', type: 'case-transfer', envelopeDigest: delivered.digest });
    expect(hu.agency('HU-NBI').sealsVerified).toBeGreaterThan(0);

    // The receipt Bulgaria keeps is Hungary's gateway's, over Bulgaria's delivery and envelope.
    const toHungary = atBg.deliveries.find((d: { recipient: string }) => d.recipient === 'HU-NBI');
    const receipt = toHungary.receipt as string;
    const [header, payload] = receipt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(new X509Certificate(Buffer.from(header.x5c[0], 'base64')).subjectAltName).toContain('urn:nrm:gateway:hu-nrm');
    expect(payload).toMatchObject({ deliveryId: toHungary.id, envelopeDigest: delivered.digest });
  });

  it('retries while the peer gateway cannot be reached, then delivers', async () => {
    await network.stop();
    try {
      const accepted = await bg.submit('CaseTransfer', (m) => {
        m.recipients = ['HU-NBI'];
        m.purpose = 'safe-return';
      });
      const toHungary = async () => (await bg.track(accepted.id, 'BG-NCCTHB')).deliveries.find((d: { recipient: string }) => d.recipient === 'HU-NBI');
      await vi.waitFor(async () => expect((await toHungary()).status).toBe('retrying'), { timeout: 15_000, interval: 100 });
      await network.start();
      await bg.settle(accepted.id, 'BG-NCCTHB', ['acknowledged'], 30_000);
      expect((await toHungary()).history.filter((h: { status: string }) => h.status === 'retrying').length).toBeGreaterThan(0);
    } finally {
      await network.start();
    }
  }, 60_000);

  it('carries the answer back the same way', async () => {
    const update = await hu.submit('CaseUpdate', (m) => {
      m.sender = 'HU-NBI';
      m.recipients = ['BG-NCCTHB'];
      m.purpose = 'safe-return';
    });
    await hu.settle(update.id, 'HU-NBI', ['acknowledged'], 30_000);
    const atBg = await bg.settle(update.id, 'BG-NCCTHB', ['acknowledged']);
    expect(atBg).toMatchObject({ sender: 'HU-NBI', type: 'case-update' });
  });

  it('trusts the peer CA for the peer gateway only, on the peer routes only, and refuses a tampered or unauthorised relay', async () => {
    const huUrl = hu.running.url.replace('127.0.0.1', 'localhost');
    const bgCa = readFileSync(caOf(dirs.bg), 'utf8');
    const huCa = readFileSync(caOf(dirs.hu), 'utf8');
    const fromBgGateway = clientFor(huUrl, huCa, gatewayCertOf(dirs.bg)).client;
    // A Bulgarian participant's certificate opens nothing in Hungary.
    const bgMoi = clientFor(huUrl, huCa, bg.certificate('BG-MOI')).client;
    expect((await bgMoi.get('/v1/participants')).body.code).toBe('GW_CLIENT_CERT_UNTRUSTED');
    // The Bulgarian gateway may relay, not submit or read as a participant.
    expect((await fromBgGateway.get('/v1/participants')).body.code).toBe('GW_PEER_ROUTES_ONLY');
    // Hungary's own police may not pose as a peer.
    expect((await hu.as('HU-NBI').post('/v1/peer/exchanges', {})).body.code).toBe('GW_PEER_ROUTES_ONLY');

    const accepted = await bg.submit('CaseTransfer', (m) => {
      m.recipients = ['HU-NBI'];
      m.purpose = 'safe-return';
    });
    const atBg = await bg.settle(accepted.id, 'BG-NCCTHB', ['acknowledged'], 30_000);
    const envelope = (await bg.running.db.query<{ envelope: any }>('SELECT envelope FROM exchanges WHERE id = $1', [accepted.id])).rows[0]!.envelope;
    const seal = (await bg.track(accepted.id, 'BG-NCCTHB')).seal as string;
    const relay = (change: (e: any) => void) => {
      const copy = structuredClone(envelope);
      copy.id = crypto.randomUUID();
      copy.messageId = uniqueId('tampered');
      change(copy);
      return fromBgGateway.post('/v1/peer/exchanges', { envelope: copy, seal, deliveryId: atBg.deliveries[0].id, recipient: 'HU-NBI' });
    };
    expect((await relay(() => {})).body.code).toBe('GW_SIGNATURE_INVALID'); // the seal is over another envelope
    // Sealed properly, but by someone other than the peer gateway, or for a sender not reached through it.
    const sealWith = (keyed: { certPem: string; keyPem: string }, e: object) => createJwsSigner(keyed, [bgCa]).signDetached(canonicalize(e));
    const relaySealed = (keyed: { certPem: string; keyPem: string }, change: (e: any) => void) => {
      const copy = structuredClone(envelope);
      copy.id = crypto.randomUUID();
      copy.messageId = uniqueId('tampered');
      change(copy);
      return fromBgGateway.post('/v1/peer/exchanges', { envelope: copy, seal: sealWith(keyed, copy), deliveryId: atBg.deliveries[0].id, recipient: 'HU-NBI' });
    };
    const bgSeal = { certPem: readFileSync(join(dirs.bg, 'certs', 'seal.pem'), 'utf8'), keyPem: readFileSync(join(dirs.bg, 'certs', 'seal-key.pem'), 'utf8') };
    expect((await relaySealed(bg.certificate('BG-NCCTHB'), () => {})).body.code).toBe('GW_SIGNER_MISMATCH');
    expect((await relaySealed(bgSeal, (e) => (e.sender = 'BG-MOI'))).body.code).toBe('GW_PEER_NOT_AUTHORISED');
    // Sealed properly, but with no legal basis for the recipient here.
    const unbased = await relaySealed(bgSeal, (e) => {
      delete e.legalBasis;
      delete e.recipientLegalBasis;
    });
    expect(unbased.body.code).toBe('GW_LEGAL_BASIS_MISSING');
    // Addressed, by the peer's word, to someone this gateway does not serve.
    const elsewhere = await fromBgGateway.post('/v1/peer/exchanges', { envelope, seal, deliveryId: atBg.deliveries[0].id, recipient: 'BG-NCCTHB' });
    expect(elsewhere.body.code).toBe('GW_UNKNOWN_RECIPIENT');
    // And the same, sealed by the peer, for a sender it serves, is taken.
    const taken = await relaySealed(bgSeal, () => {});
    expect(taken.status).toBe(202);
    const stored = await hu.running.db.query<{ n: string }>("SELECT count(*) AS n FROM exchanges WHERE message_id LIKE 'tampered-%'");
    expect(Number(stored.rows[0]!.n)).toBe(1); // the properly sealed one only

    // The exemption policy here holds for relayed envelopes: a foreign partner may not invoke
    // criminal proceedings (only the police may); what it may invoke is counted as here.
    const policed = await relaySealed(bgSeal, (e) => {
      e.legalBasis = { exemption: 'criminal-proceedings', justification: 'Relayed by a partner that may not invoke it here.' };
      delete e.recipientLegalBasis;
    });
    expect([policed.status, policed.body.code]).toEqual([403, 'GW_EXEMPTION_NOT_ALLOWED']);
    const vital = await relaySealed(bgSeal, (e) => {
      e.legalBasis = { exemption: 'vital-interest', justification: 'The person is in danger at the border crossing.' };
      delete e.recipientLegalBasis;
    });
    expect(vital.status).toBe(202);
    expect((await hu.as('gateway-admin').get('/v1/admin/metrics')).text).toMatch(/rg_exemptions_invoked_total\{exemption="vital-interest",invoked_by="foreign-partner"\} [1-9]/);

    // A peer may acknowledge only deliveries to participants reached through it, with its own gateway's signature.
    const local = taken.body.deliveries[0];
    const statement = JSON.stringify({ deliveryId: local.id, envelopeDigest: taken.body.envelopeDigest, receivedAt: new Date().toISOString() });
    const byPeer = await fromBgGateway.post('/v1/peer/receipts', { receipt: createJwsSigner(bgSeal, [bgCa]).sign(statement) });
    expect(byPeer.body.code).toBe('GW_PEER_NOT_AUTHORISED');
    const byParticipant = await fromBgGateway.post('/v1/peer/receipts', { receipt: createJwsSigner(bg.certificate('BG-NCCTHB'), [bgCa]).sign(statement) });
    expect(byParticipant.body.code).toBe('GW_SIGNER_MISMATCH');
  });
});
