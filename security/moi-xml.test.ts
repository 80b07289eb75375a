/**
 * Finding 9, the MoI intake: hostile XML (a DTD, external or expanding entities, deep
 * nesting, element names that would pollute prototypes) is refused with a `<Rejection>` and
 * a permanent code — never a bare 500, which tells the ministry's system to resend forever.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MappingError, type Intake } from '../adapters/index.ts';
import { mapping, MOI_NAMESPACE } from '../adapters/moi/mapping.ts';
import { answerXml } from '../adapters/moi/transport.ts';
import { takeIn } from '../adapters/shared/intake.ts';
import { sharedContract } from '../schemas/index.ts';
import { fuzzMoiXml, moiIntakeUnderTest } from './fuzz.ts';

const ns = MOI_NAMESPACE;
const HOSTILE: Record<string, string> = {
  'an internal entity': `<?xml version="1.0"?><!DOCTYPE Signal [<!ENTITY x "aaaa">]><Signal xmlns="${ns}"><A>&x;</A></Signal>`,
  'an external entity': `<?xml version="1.0"?><!DOCTYPE Signal [<!ENTITY x SYSTEM "file:///etc/passwd">]><Signal xmlns="${ns}"><A>&x;</A></Signal>`,
  'expanding entities': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><Signal xmlns="${ns}"><A>&lol3;</A></Signal>`,
  'deep nesting': `<Signal xmlns="${ns}">${'<a>'.repeat(20_000)}x${'</a>'.repeat(20_000)}</Signal>`,
  'a __proto__ element': `<Signal xmlns="${ns}"><__proto__><polluted>1</polluted></__proto__></Signal>`,
  'a constructor element': `<Signal xmlns="${ns}"><constructor><prototype>1</prototype></constructor></Signal>`,
};

describe('hostile XML at the MoI intake', () => {
  const submitted: unknown[] = [];
  const intake: Intake = {
    submit: async (message) => void submitted.push(message) as never,
    acknowledge: async () => ({ ok: true }) as never,
  };

  it.each(Object.entries(HOSTILE))('refuses %s as the sender\'s fault, for good, and hands nothing on', async (_name, body) => {
    expect(() => mapping.fromNative({ contentType: 'application/xml', body }, 'BG-MOI')).toThrow(MappingError);
    const outcome = await takeIn({ contentType: 'application/xml', body }, { mapping, participantId: 'BG-MOI', intake, logger: pino({ level: 'silent' }) });
    const answer = answerXml(outcome);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/<Rejection[^>]*>[\s\S]*<Code>NATIVE_MALFORMED<\/Code>/);
    expect(submitted).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('mutated MoI documents', () => {
  it('are each refused with a final code, or taken as a valid message (2,000 mutations)', async () => {
    const moi = moiIntakeUnderTest(sharedContract().validators);
    const report = await fuzzMoiXml({ documents: moi.documents, count: 2_000, seed: 20261202, takeIn: moi.takeIn });
    expect(report.failures).toEqual([]);
    expect(moi.invalid, 'nothing invalid handed to the gateway').toEqual([]);
    expect(report.tried).toBe(2_000);
    expect(Object.keys(report.refused).length).toBeGreaterThan(1);
  });
});
