/** Test helpers: a throwaway PKI, private databases, a gateway on a random port and an mTLS client. Not used in production. */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent, request } from 'undici';
import {
  administratorUri,
  createCertificateAuthority,
  createJwsSigner,
  gatewayUri,
  issueKeyedCertificate,
  participantUri,
  roleUri,
  type KeyedCertificate,
} from '../certs/index.ts';
import { createValidators, loadContract } from '../schemas/index.ts';
import { policyWith, type Config } from '../gateway/index.ts';
import { configuredTimestamper } from '../gateway/audit/timestamping.ts';
import type { DeliveryPlan } from '../queues/index.ts';
import { ADAPTER_CATALOGUE, loadAppConfig } from '../app/config.ts';
import { createGateway, type Gateway } from '../gateway/gateway.ts';
import { createLogger } from '../gateway/logger.ts';
import { migrate, openDatabase, type Database } from '../gateway/store/index.ts';
import { DEVELOPMENT_PSEUDONYM_KEY } from '../gateway/consents/pseudonym.ts';
import { DEMO_CONSENT, DEMO_CONSENT_ID } from '../demo/participants.ts';

const DAY = 86_400_000;
const now = Date.now();
const valid = { notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) };

/** PostgreSQL server the integration tests create their databases on. */
export const TEST_POSTGRES_URL = process.env.RG_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The pseudonym key of test gateways: the development key, so the examples' pseudonyms are the ones computed. */
export const TEST_PSEUDONYM_KEY = DEVELOPMENT_PSEUDONYM_KEY;

/** The contract, parsed and compiled once per test file. */
export const contract = loadContract();
export const validators = createValidators(contract.document);

/** A CA with client certificates for the demo participants, an administrator, and every kind of bad certificate. */
export interface TestPki {
  ca: KeyedCertificate;
  server: KeyedCertificate;
  participant(id: string): KeyedCertificate;
  admin: KeyedCertificate;
  /** An administrator holding only the certificate-officer role. */
  certificateOfficer: KeyedCertificate;
  /** An administrator holding only the consent-officer role. */
  consentOfficer: KeyedCertificate;
  /** The gateway's seal certificate. */
  seal: KeyedCertificate;
  foreignCa: KeyedCertificate;
  /** Issued by another CA, naming BG-MOI. */
  foreign: KeyedCertificate;
  selfSigned: KeyedCertificate;
  expired: KeyedCertificate;
  notYetValid: KeyedCertificate;
  /** Issued by the gateway CA for a participant the registry does not know. */
  unregistered: KeyedCertificate;
  /** Issued by the gateway CA without any participant or administrator URI. */
  anonymous: KeyedCertificate;
  /** Issued by the gateway CA for BG-MOI, but as a TLS server certificate (wrong key usage for a client or signer). */
  wrongUsage: KeyedCertificate;
}

/** Builds the test PKI; participants' certificates are issued on first use. */
export function createTestPki(): TestPki {
  const ca = createCertificateAuthority({ subject: { commonName: 'Test Gateway CA' }, ...valid });
  const foreignCa = createCertificateAuthority({ subject: { commonName: 'Somebody Else CA' }, ...valid });
  const client = (authority: KeyedCertificate, uris: string[], validity = valid) =>
    issueKeyedCertificate({ ca: authority, purpose: 'client', subject: { commonName: uris[0] ?? 'nobody' }, uris, ...validity });
  const issued = new Map<string, KeyedCertificate>();
  const selfCa = createCertificateAuthority({ subject: { commonName: 'BG-MOI' }, ...valid });
  return {
    ca,
    server: issueKeyedCertificate({ ca, purpose: 'server', subject: { commonName: 'localhost' }, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], ...valid }),
    participant(id) {
      let cert = issued.get(id);
      if (!cert) issued.set(id, (cert = client(ca, [participantUri(id)])));
      return cert;
    },
    admin: client(ca, [administratorUri('test-admin'), roleUri('operator'), roleUri('auditor')]),
    certificateOfficer: client(ca, [administratorUri('test-officer'), roleUri('certificate-officer')]),
    consentOfficer: client(ca, [administratorUri('test-consent-officer'), roleUri('consent-officer')]),
    seal: issueKeyedCertificate({ ca, purpose: 'seal', subject: { commonName: 'test seal' }, uris: [gatewayUri('test')], ...valid }),
    foreignCa,
    foreign: client(foreignCa, [participantUri('BG-MOI')]),
    selfSigned: selfCa,
    expired: client(ca, [participantUri('BG-MOI')], { notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - DAY) }),
    notYetValid: client(ca, [participantUri('BG-MOI')], { notBefore: new Date(now + DAY), notAfter: new Date(now + 60 * DAY) }),
    unregistered: client(ca, [participantUri('BG-NOBODY')]),
    anonymous: client(ca, []),
    wrongUsage: issueKeyedCertificate({ ca, purpose: 'server', subject: { commonName: 'BG-MOI' }, uris: [participantUri('BG-MOI')], ...valid }),
  };
}

/** A fresh PostgreSQL database on `serverUrl` (the test server by default), dropped by `drop()`. */
export async function createPostgresDatabase(serverUrl = TEST_POSTGRES_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The two engines every store test runs on. */
export const STORE_KINDS = ['pglite', 'postgresql'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A migrated database of the given kind; `close()` also drops a PostgreSQL one. */
export async function openTestDatabase(kind: StoreKind): Promise<Database & { dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
    return Object.assign(db, { dispose: () => db.close() });
  }
  const created = await createPostgresDatabase();
  const db = await openDatabase({ url: created.url, maxConnections: 5 });
  await migrate(db);
  return Object.assign(db, {
    async dispose() {
      await db.close();
      await created.drop();
    },
  });
}

/** Collects log lines in memory. */
export function captureLogs(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

/** A gateway listening on a random loopback port. */
export interface TestGateway {
  url: string;
  gateway: Gateway;
  db: Database;
  config: Config;
  pki: TestPki;
  /** An HTTP client presenting `cert` (or none). */
  as(cert?: KeyedCertificate): TestClient;
  close(): Promise<void>;
}

/** Options for {@link startTestGateway}. */
export interface TestGatewayOptions {
  store: StoreKind;
  pki?: TestPki;
  overrides?: Record<string, unknown>;
  logs?: Writable;
  /** `false`: the app has not said everything it runs has started (readiness stays 503). */
  markStarted?: boolean;
  /** Another gateway's database: this one is a second process of the same gateway (and leaves the database to it). */
  sharing?: TestGateway;
}

/** The console as `npm run build:console` leaves it: served at `/console` as `npm start` does. */
const CONSOLE_ROOT = fileURLToPath(new URL('../console/dist/', import.meta.url));

/** Starts a gateway for a test file. */
export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const pki = options.pki ?? createTestPki();
  const db = options.sharing ? options.sharing.db : await openTestDatabase(options.store);
  const config = loadAppConfig({ validators, overrides: { host: '127.0.0.1', port: 0, dataDir: '/nonexistent', logLevel: 'info', ...options.overrides } });
  const logger = createLogger({ level: options.logs ? 'info' : 'silent', ...(options.logs ? { destination: options.logs } : {}) });
  const gateway = createGateway(config, {
    logger,
    db,
    tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem },
    authority: { ca: pki.ca, seal: pki.seal },
    pseudonymKey: TEST_PSEUDONYM_KEY,
    contract,
    validators,
    adapters: ADAPTER_CATALOGUE,
    consoleRoot: CONSOLE_ROOT,
    ...configuredTimestamper(config.audit.timestamping),
  });
  await gateway.consents.seed(DEMO_CONSENT_ID, DEMO_CONSENT, 'development-seed');
  const url = await gateway.listen();
  if (options.markStarted !== false) gateway.markStarted();
  const agents: Agent[] = [];
  return {
    url, gateway, db, config, pki,
    as(cert) {
      const agent = new Agent({ connect: { ca: pki.ca.certPem, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) } });
      agents.push(agent);
      return createClient(url, agent);
    },
    async close() {
      await Promise.all(agents.map((a) => a.close()));
      await gateway.close();
      if (!options.sharing) await (db as Awaited<ReturnType<typeof openTestDatabase>>).dispose();
    },
  };
}

/** A `POST /v1/receipts` (or inbox ack) body: the statement signed with `cert` (compact JWS, x5c, sigT). */
export function signedReceipt(cert: KeyedCertificate, statement: { deliveryId: string; envelopeDigest: string; receivedAt?: string }): { receipt: string } {
  return { receipt: createJwsSigner(cert).sign(JSON.stringify(statement)) };
}

/** A response as tests look at it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
  body: any;
}

/** Sends requests to the gateway. */
export interface TestClient {
  get(path: string): Promise<TestResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  put(path: string, body: unknown): Promise<TestResponse>;
  send(method: string, path: string, options?: { body?: string | Buffer; headers?: Record<string, string> }): Promise<TestResponse>;
}

/** A client of the gateway at `base` presenting `cert`; close the returned agent when done. */
export function clientFor(base: string, caPem: string, cert?: KeyedCertificate): { client: TestClient; agent: Agent } {
  const agent = new Agent({ connect: { ca: caPem, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) } });
  return { client: createClient(base, agent), agent };
}

function createClient(base: string, agent: Agent): TestClient {
  const send: TestClient['send'] = async (method, path, options = {}) => {
    const response = await request(`${base}${path}`, { method: method as 'GET', dispatcher: agent, body: options.body ?? null, headers: options.headers ?? {} });
    const text = await response.body.text();
    const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)]));
    const contentType = headers['content-type'] ?? '';
    return { status: response.statusCode, headers, contentType, text, body: /json/.test(contentType) && text ? JSON.parse(text) : undefined };
  };
  return {
    send,
    get: (path) => send('GET', path),
    post: (path, body, headers = {}) =>
      send('POST', path, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
    put: (path, body) => send('PUT', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  };
}

/** A deep copy of one of the contract's examples. */
export function example(name: 'Alert' | 'Referral' | 'ReferralResponse' | 'CaseTransfer' | 'CaseUpdate'): any {
  const examples = contract.document.components.examples as Record<string, { value: unknown }>;
  return structuredClone(examples[name]!.value);
}

/** A fresh copy of an example with its own messageId and case thread, answering nothing. */
export function freshExample(name: Parameters<typeof example>[0]): any {
  const message = example(name);
  message.messageId = uniqueId('msg');
  message.correlationId = uniqueId('case');
  delete message.inReplyTo;
  return message;
}

/** A unique id in the contract's messageId/correlationId form. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** The adapters this build has, for gateways tests build themselves. */
export { ADAPTER_CATALOGUE } from '../app/config.ts';

/** A delivery plan in which every participant pulls and nobody is suspended: for tests of the queue machinery alone. */
export function pullOnly(config: Config): DeliveryPlan {
  return { pushed: () => new Map(), isSuspended: () => false, policyOf: () => policyWith(config.delivery, undefined), onChange: () => () => {} };
}
