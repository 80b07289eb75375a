/**
 * The conformance kit: one call checks any adapter against the contract the core relies on.
 *
 * ```ts
 * runAdapterConformance({ create: async (kit) => ({ adapter, system }), skip: [{ test: 'acknowledges', reason: '…' }] });
 * ```
 *
 * `create` gets test certificates, a logger whose output the kit reads, and an intake that
 * stands in for the gateway; it returns the adapter and its simulated agency system, really
 * speaking the adapter's protocol. The kit then checks, for every message type the adapter
 * declares: the round trip through its mapping, unreadable native input, delivery over the
 * transport, transient and permanent failures, intake and its deduplication, receipts, and
 * that nothing personal reached the logs. A skip needs a written reason.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority, createJwsSigner, issueKeyedCertificate, normalizeSerial, participantUri, type KeyedCertificate } from '../../certs/index.ts';
import { chainOnly } from '../shared/https.ts';
import { canonicalDigest, canonicalize, sharedContract, type Check, type Envelope, type MessageType, type NewExchange, type Problem } from '../../schemas/index.ts';
import type { SimulatedSystem } from './simulated-system.ts';
import {
  MappingError,
  PermanentDeliveryError,
  TransientDeliveryError,
  type Adapter,
  type ClientCertificateCheck,
  type Intake,
  type IntakeAnswer,
  type NativeDocument,
  type OutboundDelivery,
  type Transmission,
} from '../types.ts';

/** The checks, by name, for `skip`. */
export const CONFORMANCE_TESTS = [
  'declares',
  'round-trip',
  'unmappable input',
  'delivers',
  'transient failure',
  'permanent failure',
  'intake',
  'intake deduplicates',
  'intake refuses unreadable input',
  'intake while the gateway is down',
  'intake refuses a revoked certificate',
  'acknowledges',
  'logs no payload',
] as const;
export type { SimulatedSystem } from './simulated-system.ts';
export type ConformanceTest = (typeof CONFORMANCE_TESTS)[number];

/** What `create` is given. */
export interface ConformanceContext {
  /** The participant the adapter under test serves. */
  readonly participantId: string;
  /** Certificates from a test CA: `server` for `localhost` (the agency system), `gateway` (the gateway's client certificate), `agency` (the agency system's client certificate). */
  readonly tls: { readonly caPem: string; readonly server: KeyedCertificate; readonly gateway: KeyedCertificate; readonly agency: KeyedCertificate };
  /** Give this to the adapter: the kit reads what it writes. */
  readonly logger: Logger;
  /** Give this to the adapter: it stands in for the gateway and records what it is handed. */
  readonly intake: Intake;
  /** Give this to the adapter (`checkClient`): the gateway's check of a caller's certificate, with a revocation list the kit controls. */
  readonly checkClient: ClientCertificateCheck;
}

/** What `create` returns. */
export interface AdapterUnderTest {
  readonly adapter: Adapter;
  readonly system: SimulatedSystem;
}

/** Options for {@link runAdapterConformance}. */
export interface ConformanceOptions {
  create(context: ConformanceContext): Promise<AdapterUnderTest>;
  /** The participant the adapter serves. Default `BG-TEST`. */
  participantId?: string;
  skip?: ReadonlyArray<{ readonly test: ConformanceTest; readonly reason: string }>;
}

const EXAMPLES: Record<MessageType, string> = {
  alert: 'Alert',
  referral: 'Referral',
  'referral-response': 'ReferralResponse',
  'case-transfer': 'CaseTransfer',
  'case-update': 'CaseUpdate',
};
const PSEUDONYM = 'psn_WkqOWV83jt4HQiQMJjR_A9WASEXlgbNCLq1ocWsK9bw';

/** Registers the conformance tests for one adapter (call it at the top level of a test file). */
export function runAdapterConformance(options: ConformanceOptions): void {
  const participantId = options.participantId ?? 'BG-TEST';
  const skips = new Map<string, string>();
  for (const skip of options.skip ?? []) {
    if (!CONFORMANCE_TESTS.includes(skip.test)) throw new RangeError(`runAdapterConformance: no test named ${skip.test}`);
    if (skip.reason.trim().length < 10) throw new RangeError(`runAdapterConformance: skipping ${skip.test} needs a reason`);
    skips.set(skip.test, skip.reason);
  }
  const check = (test: ConformanceTest, body: () => Promise<void> | void, title: string = test) => {
    const reason = skips.get(test);
    if (reason) it.skip(`${title} — skipped: ${reason}`, () => {});
    else it(title, body, 30_000);
  };

  const { contract, validators } = sharedContract();
  const examples = contract.document.components.examples as Record<string, { value: NewExchange }>;
  const logLines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } }));
  const intake = createRecordingIntake(validators.newExchange);
  // The gateway's check as far as an adapter can tell: the chain, then revocation on every request.
  const revoked = new Set<string>();
  const checkClient: ClientCertificateCheck = (socket) => {
    const verdict = chainOnly(socket);
    if (!verdict.ok) return verdict;
    const serial = normalizeSerial(socket.getPeerX509Certificate()!.serialNumber);
    return revoked.has(serial) ? { ok: false, code: 'GW_CLIENT_CERT_REVOKED', detail: `Certificate ${serial} is revoked.` } : verdict;
  };
  let agencySerial = '';
  let under: AdapterUnderTest;
  let sealer: ReturnType<typeof createJwsSigner>;

  /** An example as the gateway hands it over: with its id and the subject's pseudonym, from the adapter's participant or to it. */
  const envelopeOf = (type: MessageType, from?: string): Envelope => {
    const message = structuredClone(examples[EXAMPLES[type]]!.value) as Envelope & { payload: { subject?: { pseudonym?: string } } };
    message.id = randomUUID();
    if (from) message.sender = from;
    message.messageId = `kit-${type}-${randomUUID().slice(0, 8)}`;
    if (message.payload.subject && !message.payload.subject.pseudonym) message.payload.subject.pseudonym = PSEUDONYM;
    return message;
  };
  const deliveryOf = (envelope: Envelope, attempt = 1): OutboundDelivery => {
    const canonical = canonicalize(envelope);
    return {
      deliveryId: randomUUID(), attempt, recipient: participantId, envelope, canonical,
      envelopeDigest: canonicalDigest(envelope), seal: sealer.signDetached(canonical), signal: AbortSignal.timeout(10_000),
    };
  };
  const transmission: Transmission = { deliveryId: '00000000-0000-4000-8000-000000000001', envelopeDigest: `sha256:${'ab'.repeat(32)}` };

  describe(`adapter conformance`, () => {
    beforeAll(async () => {
      const valid = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
      const ca = createCertificateAuthority({ subject: { commonName: 'Conformance Kit CA' }, ...valid });
      sealer = createJwsSigner(issueKeyedCertificate({ ca, purpose: 'seal', subject: { commonName: 'kit seal' }, uris: ['urn:nrm:gateway:conformance-kit'], ...valid }), [ca.certPem]);
      const client = (uri: string) => issueKeyedCertificate({ ca, purpose: 'client', subject: { commonName: uri }, uris: [uri], ...valid });
      const agency = client(participantUri(participantId));
      agencySerial = normalizeSerial(new X509Certificate(agency.certPem).serialNumber);
      under = await options.create({
        participantId,
        tls: {
          caPem: ca.certPem,
          server: issueKeyedCertificate({ ca, purpose: 'server', subject: { commonName: 'localhost' }, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], ...valid }),
          gateway: client('urn:nrm:gateway:conformance-kit'),
          agency,
        },
        logger,
        intake,
        checkClient,
      });
      await under.adapter.start?.();
    });
    afterAll(async () => {
      await under?.adapter.close();
      await under?.system.close();
    });
    const types = () => under.adapter.meta.messageTypes;

    check('declares', () => {
      const { meta } = under.adapter;
      expect(meta.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(meta.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(meta.messageTypes.length).toBeGreaterThan(0);
      for (const type of meta.messageTypes) expect(Object.keys(EXAMPLES)).toContain(type);
      expect(meta.schemaVersions).toContain('1.0');
      if (meta.fields !== 'all') {
        for (const [type, paths] of Object.entries(meta.fields)) {
          expect(meta.messageTypes, `fields declared for ${type}, which the adapter does not handle`).toContain(type);
          for (const path of paths ?? []) expect(path).toMatch(/^[A-Za-z]+(\.([A-Za-z]+|\*))*$/);
        }
      }
    });

    check('round-trip', () => {
      for (const type of types()) {
        const envelope = envelopeOf(type);
        const native = under.adapter.mapping.toNative(envelope, transmission);
        expect(typeof native.body, type).toBe('string');
        const back = under.adapter.mapping.fromNative(native, envelope.sender);
        expect(validators.newExchange(back), `${type}: what the mapping reads back must be a valid message`).toEqual([]);
        const { id: _id, ...standard } = envelope;
        const declared = under.adapter.meta.fields;
        if (declared === 'all') {
          expect(back, `${type}: every field must survive the round trip`).toEqual(standard);
          continue;
        }
        for (const path of declared[type] ?? []) {
          expect(pick(back, path), `${type}: ${path} must survive the round trip`).toEqual(pick(standard, path));
        }
      }
      // And the same document maps the same way every time: that is what intake deduplicates on.
      const envelope = envelopeOf(types()[0]!);
      const native = under.adapter.mapping.toNative(envelope, transmission);
      expect(under.adapter.mapping.fromNative(native, envelope.sender)).toEqual(under.adapter.mapping.fromNative(native, envelope.sender));
    }, 'round-trip: every message type, every declared field');

    check('unmappable input', () => {
      const envelope = envelopeOf(types()[0]!);
      const native = under.adapter.mapping.toNative(envelope, transmission);
      const bad: NativeDocument[] = [
        { contentType: native.contentType, body: '' },
        { contentType: native.contentType, body: '\u0000\u0001 not a document <<<' },
        { contentType: native.contentType, body: native.body.slice(0, Math.floor(native.body.length / 2)) },
        { contentType: native.contentType, body: '{"unrelated": true}' },
        { contentType: native.contentType, body: '<?xml version="1.0"?><unrelated/>' },
      ];
      for (const document of bad) {
        let thrown: unknown;
        try {
          under.adapter.mapping.fromNative(document, envelope.sender);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `input ${JSON.stringify(document.body.slice(0, 40))} must be refused with a MappingError`).toBeInstanceOf(MappingError);
        const error = thrown as MappingError;
        expect(error.code).toMatch(/^[A-Z][A-Z_]+$/);
        for (const secret of personalStrings(envelope)) expect(error.message).not.toContain(secret);
      }
    }, 'unmappable input: a MappingError with a code, never a crash or the value itself');

    check('delivers', async () => {
      for (const type of types()) {
        const envelope = envelopeOf(type);
        await under.adapter.deliver(deliveryOf(envelope));
        await eventually(() => expect(under.system.taken()).toContain(envelope.messageId));
      }
    }, 'delivers every message type over its transport');

    check('transient failure', async () => {
      const envelope = envelopeOf(types()[0]!);
      under.system.failNext('busy');
      await expect(under.adapter.deliver(deliveryOf(envelope))).rejects.toBeInstanceOf(TransientDeliveryError);
      await under.system.stop();
      try {
        const error = await under.adapter.deliver(deliveryOf(envelope, 2)).catch((e: unknown) => e);
        expect(error, 'the system being down is transient').toBeInstanceOf(TransientDeliveryError);
        expect((error as TransientDeliveryError).code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      } finally {
        await under.system.start();
      }
      await under.adapter.deliver(deliveryOf(envelope, 3));
      await eventually(() => expect(under.system.taken()).toContain(envelope.messageId));
    }, 'transient failure: busy or down is retryable, and the next attempt delivers');

    check('permanent failure', async () => {
      under.system.failNext('refuse');
      const error = await under.adapter.deliver(deliveryOf(envelopeOf(types()[0]!))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as PermanentDeliveryError).code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }, 'permanent failure: a refused document is not retried');

    const send = async (document: NativeDocument) => {
      if (!under.system.send) throw new Error('the simulated system has no `send`: implement it, or skip the intake tests with a reason');
      return under.system.send(document);
    };

    check('intake', async () => {
      for (const type of types()) {
        const envelope = envelopeOf(type, participantId);
        const answer = await send(under.adapter.mapping.toNative(envelope, transmission));
        expect(answer.accepted, `${type}: ${answer.detail}`).toBe(true);
        await eventually(() => expect(intake.submitted.map((m) => m.messageId)).toContain(envelope.messageId));
        const submitted = intake.submitted.find((m) => m.messageId === envelope.messageId)!;
        expect(submitted.sender, 'the sender is the participant the adapter serves').toBe(participantId);
        expect(submitted.type).toBe(type);
      }
    }, 'intake: native documents reach the gateway as valid standard messages');

    check('intake deduplicates', async () => {
      const envelope = envelopeOf(types()[0]!, participantId);
      const document = under.adapter.mapping.toNative(envelope, transmission);
      expect((await send(document)).accepted).toBe(true);
      expect((await send(document)).accepted, 'a repeated document is answered as taken').toBe(true);
      await eventually(() => expect(intake.submitted.some((m) => m.messageId === envelope.messageId)).toBe(true));
      expect(intake.accepted.filter((m) => m === envelope.messageId), 'the gateway accepts it once').toHaveLength(1);
    }, 'intake deduplicates by messageId');

    check('intake refuses unreadable input', async () => {
      const before = intake.submitted.length;
      const envelope = envelopeOf(types()[0]!, participantId);
      const native = under.adapter.mapping.toNative(envelope, transmission);
      const answer = await send({ contentType: native.contentType, body: native.body.slice(0, Math.floor(native.body.length / 2)) });
      expect(answer.accepted).toBe(false);
      expect(answer.detail.length, 'the agency system is told what was wrong').toBeGreaterThan(10);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(intake.submitted.length, 'nothing reaches the gateway').toBe(before);
    }, 'intake refuses unreadable input with a clear answer, and hands nothing on');

    check('intake while the gateway is down', async () => {
      const envelope = envelopeOf(types()[0]!, participantId);
      const document = under.adapter.mapping.toNative(envelope, transmission);
      intake.unreachableFor(1);
      // The agency system is told to send again (or the adapter keeps the document and tries again itself).
      let answer = await send(document);
      if (!answer.accepted) {
        expect(answer.again, `the agency system must be told to send again, not that the document was refused: ${answer.detail}`).toBe(true);
        answer = await send(document);
      }
      expect(answer.accepted, answer.detail).toBe(true);
      expect(intake.accepted.filter((m) => m === envelope.messageId), 'accepted once, not lost').toHaveLength(1);
    }, 'intake while the gateway is down: nothing lost, nothing accepted twice');

    check('intake refuses a revoked certificate', async () => {
      const envelope = envelopeOf(types()[0]!, participantId);
      const document = under.adapter.mapping.toNative(envelope, transmission);
      expect((await send(under.adapter.mapping.toNative(envelopeOf(types()[0]!, participantId), transmission))).accepted, 'taken before the revocation').toBe(true);
      const before = intake.submitted.length;
      // Revoked while the agency system's connection may still be open: every request is checked.
      revoked.add(agencySerial);
      try {
        const answer = await send(document);
        expect(answer.accepted, 'a revoked certificate sends nothing').toBe(false);
        expect(answer.again, 'nor is it told to send again: it never will be taken').toBe(false);
        expect(intake.submitted.length, 'nothing reaches the gateway').toBe(before);
      } finally {
        revoked.clear();
      }
      expect((await send(document)).accepted, 'a valid certificate is taken again').toBe(true);
    }, 'intake refuses a revoked certificate, on every request, through the gateway\'s check');

    check('acknowledges', async () => {
      const envelope = envelopeOf(types()[0]!);
      const delivery = deliveryOf(envelope);
      await under.adapter.deliver(delivery);
      await eventually(() =>
        expect(intake.acknowledged).toContainEqual({ deliveryId: delivery.deliveryId, envelopeDigest: delivery.envelopeDigest }),
      );
    }, 'acknowledges: the agency system\'s confirmation becomes a receipt for that delivery');

    check('logs no payload', () => {
      const text = logLines.join('');
      for (const type of types()) {
        for (const secret of personalStrings(envelopeOf(type))) expect(text, `the logs carry "${secret}"`).not.toContain(secret);
      }
    }, 'logs no payload (names, dates, free text) at any level');
  });
}

/** An intake that behaves like the gateway as far as an adapter can tell: validates, accepts once per messageId, replays. */
function createRecordingIntake(check: Check) {
  const submitted: NewExchange[] = [];
  const accepted: string[] = [];
  const acknowledged: Transmission[] = [];
  const bodies = new Map<string, string>();
  let unreachable = 0;
  return {
    submitted,
    accepted,
    acknowledged,
    /** The next `times` submissions fail as a gateway that cannot be reached does. */
    unreachableFor(times: number) {
      unreachable = times;
    },
    async submit(exchange: NewExchange): Promise<IntakeAnswer> {
      if (unreachable > 0) {
        unreachable--;
        throw new Error('ECONNREFUSED (the conformance kit\'s gateway is down)');
      }
      submitted.push(exchange);
      const violations = check(exchange);
      if (violations.length > 0) {
        return { ok: false, status: 400, problem: fakeProblem('GW_VALIDATION_FAILED', violations) };
      }
      const key = `${exchange.sender}/${exchange.messageId}`;
      const body = canonicalize(exchange);
      const seen = bodies.get(key);
      if (seen === undefined) {
        bodies.set(key, body);
        accepted.push(exchange.messageId);
        return { ok: true, status: 202, replayed: false, exchangeId: randomUUID() };
      }
      if (seen !== body) return { ok: false, status: 409, problem: fakeProblem('GW_IDEMPOTENCY_CONFLICT') };
      return { ok: true, status: 200, replayed: true };
    },
    async acknowledge(transmission: Transmission): Promise<IntakeAnswer> {
      acknowledged.push({ deliveryId: transmission.deliveryId, envelopeDigest: transmission.envelopeDigest });
      return { ok: true, status: 200, replayed: false };
    },
  };
}

/** Values at a declared path (`*` for every array item), for comparison. */
function pick(value: unknown, path: string): unknown {
  let current: unknown[] = [value];
  for (const segment of path.split('.')) {
    current = current.flatMap((node) => {
      if (segment === '*') return Array.isArray(node) ? node : [];
      return node !== null && typeof node === 'object' && segment in node ? [(node as Record<string, unknown>)[segment]] : [undefined];
    });
  }
  return current;
}

/** Strings of a payload that identify or describe the person: never to be logged. Codes (`labour`, `2.1`) are not among them. */
function personalStrings(envelope: Envelope): string[] {
  const out = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === 'string') {
      if (node.length >= 5 && !/^[a-z]+(-[a-z]+)*$/.test(node) && !/^[A-Z]{2}(-[A-Z0-9-]+)?$/.test(node)) out.add(node);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(envelope.payload);
  return [...out];
}

async function eventually(assertion: () => void, withinMs = 10_000): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** The problem the gateway answers with `code`, as the stand-in intake gives it: the code's own status, title and retryability from the registry's contract. */
function fakeProblem(code: 'GW_VALIDATION_FAILED' | 'GW_IDEMPOTENCY_CONFLICT', violations?: Problem['violations']): Problem {
  const known = { GW_VALIDATION_FAILED: { status: 400, title: 'The request does not match the contract' }, GW_IDEMPOTENCY_CONFLICT: { status: 409, title: 'This messageId was already used for a different message' } }[code];
  return { type: `https://referral-gateway.example/problems/${code}`, instance: `urn:request:${randomUUID()}`, code, retryable: false, ...known, ...(violations ? { violations } : {}) };
}
