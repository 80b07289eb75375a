/**
 * A fuzzer for the gateway's API: mutated bodies, headers, paths and query strings against
 * every route of `openapi.yaml`, from a seed (a failure is reproduced by its seed and index).
 * What it asserts of every answer: no 5xx; every refusal is problem+json with a registered
 * code and that code's retryability; and whatever was accepted is a valid envelope. Bodies
 * carry a canary name, which must never reach a log line.
 */
import fc from 'fast-check';
import pino from 'pino';
import type { Intake } from '../adapters/index.ts';
import { mapping } from '../adapters/moi/mapping.ts';
import { answerXml } from '../adapters/moi/transport.ts';
import { takeIn } from '../adapters/shared/intake.ts';
import { DEMO_CONSENT } from '../demo/participants.ts';
import { ERRORS } from '../gateway/index.ts';
import { listOperations, type OpenApiDocument, type Validators } from '../schemas/index.ts';
import { example, type TestClient, type TestGateway, type TestResponse } from '../testing/test-gateway.ts';

/** An invented name put into bodies: it must appear in no log line. */
export const FUZZ_CANARY = 'Zzyzxcanary';

/** What a run found. */
export interface FuzzReport {
  sent: number;
  byStatus: Record<number, number>;
  /** Each broken expectation, with the seed and index that reproduce it. */
  failures: string[];
  /** Exchanges a fuzzed request got accepted (checked by the caller against the contract). */
  accepted: string[];
}

export interface FuzzOptions {
  document: OpenApiDocument;
  /** Clients with different certificates (participants, administrators, none): one is picked per request; `participant` names whom a participant's certificate speaks for. */
  clients: ReadonlyArray<{ client: TestClient; participant?: string }>;
  /** Valid bodies to mutate, by the name of the schema a route takes (`NewExchange`, …). */
  seeds: readonly unknown[];
  requests: number;
  seed: number;
  /** Called every 1,000 requests (a long run shows progress). */
  onProgress?(report: FuzzReport): void;
}

/** A small, seeded PRNG (mulberry32): the same seed gives the same run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '', ' ', '\u0000', '\ud800', '\uffff', '💥', 'A'.repeat(5000), '../../etc/passwd', '%00', '%2e%2e%2f', '<script>', "' OR 1=1 --",
  '1e999', '-1', 'NaN', 'null', '__proto__', 'constructor', '${7*7}', '\r\nX-Injected: 1', FUZZ_CANARY,
];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/merge-patch+json', '', 'application/json, text/plain',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Percent-encodes any string, a lone surrogate too (as the invalid UTF-8 bytes a careless client sends). */
const encode = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
};

/** Runs the fuzzer; resolves with what it found. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const rnd = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: options.seed, numRuns: 400 });
  const strings = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: options.seed + 1, numRuns: 200 });
  const operations = listOperations(options.document);
  const report: FuzzReport = { sent: 0, byStatus: {}, failures: [], accepted: [] };

  const nasty = (): string => (rnd() < 0.5 ? pick(NASTY_STRINGS) : pick(strings));
  /** A copy of `value` with one place changed: a member removed, replaced or added, at any depth. */
  const mutate = (value: unknown, depth = 0): unknown => {
    if (value === null || typeof value !== 'object' || depth > 6 || rnd() < 0.15) {
      return pick([() => pick(values), () => nasty(), () => undefined, () => [value, value], () => ({ [nasty()]: value })])();
    }
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || rnd() < 0.1) {
      (copy as Record<string, unknown>)[rnd() < 0.5 ? nasty() : `x${Math.floor(rnd() * 9)}`] = pick(values);
      return copy;
    }
    const key = pick(keys);
    const mutated = mutate((copy as Record<string, unknown>)[key], depth + 1);
    if (mutated === undefined) delete (copy as Record<string, unknown>)[key];
    else (copy as Record<string, unknown>)[key] = mutated;
    return copy;
  };
  /** `value` with every `givenName` the canary (a copy; the input may be any mutated shape). */
  const withCanary = (value: unknown, depth = 0): unknown => {
    if (depth > 40 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return Array.from(value, (item) => withCanary(item, depth + 1)); // not .map: a mutated array may have an own `constructor`
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'givenName' && typeof v === 'string' ? FUZZ_CANARY : withCanary(v, depth + 1)]));
  };
  const body = (sender: string | undefined, submission: boolean): string | undefined => {
    // A third of submissions unmutated, from their own sender and with a fresh messageId: taken, and what is taken is checked.
    if (submission && sender && rnd() < 0.3) {
      const seed = pick(options.seeds.filter((s) => typeof s === 'object' && s !== null && 'sender' in s)) as object;
      return JSON.stringify(withCanary({ ...seed, sender, messageId: `fuzz-${Math.floor(rnd() * 1e12)}` }));
    }
    const r = rnd();
    if (r < 0.1) return undefined;
    if (r < 0.2) return pick(['{', '[', '{"a":', 'not json', '\u0000', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '{"a":1}{"b":2}', '{"a":1e999}', '"\\ud800"']);
    if (r < 0.3) return JSON.stringify(pick(values));
    if (r < 0.35) return '['.repeat(5000) + ']'.repeat(5000);
    return JSON.stringify(withCanary(mutate(structuredClone(pick(options.seeds)))));
  };
  const pathOf = (template: string): string => {
    let path = template.replace(/\{[^}]+\}/g, () => encode(pick([
      crypto.randomUUID(), nasty(), '0', 'BG-MOI', 'ab'.repeat(8), crypto.randomUUID().toUpperCase(),
    ])));
    if (rnd() < 0.1) path = pick([path.toUpperCase(), `${path}/`, `${path}//`, `${path}/..`, path.replace('/v1', '/v2')]);
    if (rnd() < 0.4) {
      const params = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `${encode(pick(['limit', 'cursor', 'status', 'correlationId', 'participant', 'expiringWithinDays', 'format', 'subject', 'recipient', nasty()]))}=${encode(nasty())}`);
      path += `?${params.join('&')}`;
    }
    // A long poll or an event stream would hold the run: never ask to wait.
    return path.startsWith('/v1/inbox') ? path.replace(/([?&])wait=[^&]*/g, '$1') : path;
  };

  for (let i = 0; report.sent < options.requests && i < options.requests * 2; i++) {
    const { method: operationMethod, path: template } = pick(operations);
    // An event stream would hold the run (it never ends by itself).
    if (template.endsWith('/events')) continue;
    const method = rnd() < 0.85 ? operationMethod.toUpperCase() : pick(METHODS);
    const path = pathOf(template);
    const headers: Record<string, string> = {};
    const type = rnd() < 0.8 ? 'application/json' : pick(CONTENT_TYPES);
    if (type) headers['content-type'] = type;
    if (rnd() < 0.05) headers['content-encoding'] = pick(['gzip', 'br', 'deflate', 'x-unknown']);
    if (rnd() < 0.05) headers['referral-signature'] = nasty().replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '');
    if (rnd() < 0.05) headers['last-event-id'] = nasty().replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '');
    const { client, participant } = pick(options.clients);
    const sentBody = method === 'GET' || method === 'HEAD' ? undefined : body(participant, method === 'POST' && path === '/v1/exchanges');
    let response: TestResponse;
    try {
      response = await client.send(method, path, { ...(sentBody !== undefined ? { body: sentBody } : {}), headers });
    } catch (error) {
      // The client refusing to send (an invalid header or path) is not the gateway's answer.
      if ((error as { code?: string }).code?.startsWith('UND_ERR_INVALID') || error instanceof TypeError) continue;
      report.failures.push(`#${i} (seed ${options.seed}) ${method} ${path}: no answer (${(error as Error).message})`);
      continue;
    }
    report.sent++;
    report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
    const where = `#${i} (seed ${options.seed}) ${method} ${path.slice(0, 120)} → ${response.status}`;
    if (response.status >= 500) report.failures.push(`${where}: ${response.text.slice(0, 200)}`);
    else if (response.status >= 400 && method !== 'HEAD') {
      const code = response.body?.code as keyof typeof ERRORS | undefined;
      if (!/^application\/problem\+json/.test(response.contentType)) report.failures.push(`${where}: not problem+json (${response.contentType})`);
      else if (!code || !ERRORS[code]) report.failures.push(`${where}: unregistered code ${String(code)}`);
      else if (response.body.retryable !== ERRORS[code].retryable || response.status !== ERRORS[code].status) report.failures.push(`${where}: ${code} answered as ${response.status}, retryable ${response.body.retryable}`);
    } else if (response.status === 202 && template === '/v1/exchanges' && response.body?.id) {
      report.accepted.push(response.body.id as string);
    }
    if (report.sent % 1000 === 0) options.onProgress?.(report);
  }
  return report;
}

/** What the MoI XML fuzz found. */
export interface XmlFuzzReport {
  tried: number;
  accepted: number;
  refused: Record<string, number>;
  failures: string[];
}

/**
 * Mutated MoI XML documents through the intake's own path (map, then submit): each must be
 * refused with a code the ministry's system reads as final, or be a valid message.
 * `submit` stands in for the gateway and returns the contract violations of what it got.
 */
export async function fuzzMoiXml(options: {
  documents: readonly string[]; count: number; seed: number;
  takeIn(body: string): Promise<{ outcome: string; code?: string; status?: number }>;
}): Promise<XmlFuzzReport> {
  const rnd = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const report: XmlFuzzReport = { tried: 0, accepted: 0, refused: {}, failures: [] };
  const pieces = ['<', '>', '&', '&amp;', '&lt;', ']]>', '<![CDATA[x]]>', '<!DOCTYPE x [<!ENTITY e "e">]>', '&e;', '<__proto__/>', '\u0000', '\ud800', '"', "'", '=', '<a>', '</a>', 'xmlns:x="urn:other"', FUZZ_CANARY];
  for (let i = 0; i < options.count; i++) {
    let body = pick(options.documents);
    for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
      const at = Math.floor(rnd() * body.length);
      const r = rnd();
      body = r < 0.4 ? body.slice(0, at) + pick(pieces) + body.slice(at)
        : r < 0.7 ? body.slice(0, at) + body.slice(at + 1 + Math.floor(rnd() * 20))
        : r < 0.85 ? body.slice(0, at)
        : `<a>${body.replace(/^<\?xml[^>]*>/, '')}</a>`;
    }
    report.tried++;
    try {
      const answer = await options.takeIn(body);
      if (answer.outcome === 'accepted' || answer.outcome === 'replayed') report.accepted++;
      else if (answer.outcome === 'refused') {
        report.refused[answer.code ?? 'none'] = (report.refused[answer.code ?? 'none'] ?? 0) + 1;
        if ((answer.status ?? 400) >= 500) report.failures.push(`#${i} (seed ${options.seed}): refused as if retryable (${answer.status})`);
      } else report.failures.push(`#${i} (seed ${options.seed}): ${answer.outcome}`);
    } catch (error) {
      report.failures.push(`#${i} (seed ${options.seed}): threw ${(error as Error).name}`);
    }
  }
  return report;
}

/** The callers a run speaks as: four participants, administrators of each role, and no, an expired and a foreign certificate. */
export function fuzzClients(gw: TestGateway): FuzzOptions['clients'] {
  const { pki } = gw;
  return [
    ...['BG-MOI', 'BG-NCCTHB', 'BG-SAA', 'BG-NGO-ANIMUS'].map((participant) => ({ client: gw.as(pki.participant(participant)), participant })),
    ...[pki.admin, pki.certificateOfficer, pki.consentOfficer, undefined, pki.expired, pki.foreign].map((cert) => ({ client: gw.as(cert) })),
  ];
}

/** Valid bodies to mutate: every message example, a consent, a webhook, a revocation, an identity. */
export function fuzzSeeds(): unknown[] {
  return [
    ...(['Alert', 'Referral', 'ReferralResponse', 'CaseTransfer', 'CaseUpdate'] as const).map((name) => ({ ...example(name), messageId: `fuzz-${name}` })),
    DEMO_CONSENT, { url: 'https://93.184.215.14/hook' }, { reason: 'keyCompromise' }, { reason: 'the shelter closed' },
    { identity: { givenName: 'Ana', familyName: 'Fuzz', dateOfBirth: '1990-01-01' } },
  ];
}

/**
 * The MoI intake's own path (map, submit, answer) with a stand-in gateway that records the
 * contract violations of what it is handed: `documents` to mutate, `takeIn` for {@link fuzzMoiXml}.
 */
export function moiIntakeUnderTest(validators: Validators) {
  const invalid: unknown[] = [];
  const intake: Intake = {
    submit: async (message) => {
      const violations = validators.newExchange(message);
      if (violations.length > 0) invalid.push({ messageId: message.messageId, violations });
      return { ok: true, status: 202, acceptance: { id: '0b0c0d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5', messageId: message.messageId } } as never;
    },
    acknowledge: async () => ({ ok: true }) as never,
  };
  const logger = pino({ level: 'silent' });
  return {
    invalid,
    documents: (['Alert', 'Referral'] as const).map((name) => mapping.toNative({ ...example(name), sender: 'BG-MOI', id: 'x' }, { deliveryId: 'none', envelopeDigest: 'none' }).body),
    async takeIn(body: string) {
      const outcome = await takeIn({ contentType: 'application/xml', body }, { mapping, participantId: 'BG-MOI', intake, logger });
      return { outcome: outcome.outcome, status: answerXml(outcome).status, ...('code' in outcome ? { code: outcome.code } : {}) };
    },
  };
}

/** The exchanges among `ids` whose stored envelope the contract refuses: a fuzz run must find none. */
export async function invalidlyAccepted(gw: TestGateway, validators: Validators, ids: readonly string[]): Promise<string[]> {
  const checkEnvelope = validators.schema('Envelope');
  const { rows } = await gw.db.query<{ id: string; envelope: unknown }>('SELECT id, envelope FROM exchanges WHERE id = ANY($1::uuid[])', [ids]);
  return rows.filter((r) => checkEnvelope(r.envelope).length > 0).map((r) => r.id);
}
