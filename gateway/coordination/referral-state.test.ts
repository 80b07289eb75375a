/** Every transition of a referral's business state, and that only case metadata feeds it. */
import { describe, expect, it } from 'vitest';
import { buildCategoryMaps } from '../../schemas/index.ts';
import { contract } from '../../testing/test-gateway.ts';
import { caseFactsOf, FHIR_TASK_STATUS, REFERRAL_STATES, referralTimeline, type ThreadMessage } from './referral-state.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute));
const REFERRAL = { messageId: 'ref-1', owner: 'BG-NGO-ANIMUS', requestedAt: t(0) };
const message = (minute: number, type: string, facts: ThreadMessage['facts'], extra: Partial<ThreadMessage> = {}): ThreadMessage => ({
  exchangeId: `x-${minute}`, type, sender: 'BG-NGO-ANIMUS', messageId: `m-${minute}`, acceptedAt: t(minute), facts, ...extra,
});
const delivered = [{ status: 'queued', at: t(0) }, { status: 'delivering', at: t(1) }, { status: 'delivered', at: t(1) }, { status: 'acknowledged', at: t(2) }];
const states = (deliveryEvents: Array<{ status: string; at: Date }>, thread: ThreadMessage[]) =>
  referralTimeline({ ...REFERRAL, deliveryEvents, thread }).map((s) => s.state);

describe('a referral\'s business state', () => {
  it('goes requested → received → accepted → in-progress → completed with the owner\'s messages', () => {
    const thread = [
      message(3, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1' }),
      message(4, 'case-update', { update: 'measure-progress' }),
      message(5, 'case-update', { update: 'follow-up' }),
      message(6, 'case-update', { update: 'case-closure', closure: { closedOn: '2026-12-04', reason: 'reintegrated' } }),
    ];
    const timeline = referralTimeline({ ...REFERRAL, deliveryEvents: delivered, thread });
    expect(timeline).toEqual([
      { state: 'requested', at: t(0) },
      { state: 'received', at: t(1) },
      { state: 'accepted', at: t(3), exchangeId: 'x-3' },
      { state: 'in-progress', at: t(4), exchangeId: 'x-4' },
      { state: 'completed', at: t(6), exchangeId: 'x-6' },
    ]);
  });

  it('is declined by a declining response, and may be accepted after all until work starts', () => {
    expect(states(delivered, [message(3, 'referral-response', { decision: 'declined', declineReason: 'no-capacity' }, { inReplyTo: 'ref-1' })]))
      .toEqual(['requested', 'received', 'declined']);
    expect(states(delivered, [
      message(3, 'referral-response', { decision: 'declined' }, { inReplyTo: 'ref-1' }),
      message(4, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1' }),
      message(5, 'case-update', { update: 'measure-progress' }),
      message(6, 'referral-response', { decision: 'declined' }, { inReplyTo: 'ref-1' }),
    ])).toEqual(['requested', 'received', 'declined', 'accepted', 'in-progress']);
  });

  it('is cancelled or expired with its delivery, and stays requested while it is dead-lettered or withheld', () => {
    expect(states([{ status: 'queued', at: t(0) }, { status: 'cancelled', at: t(1) }], [])).toEqual(['requested', 'cancelled']);
    expect(states([{ status: 'queued', at: t(0) }, { status: 'expired', at: t(9) }], [])).toEqual(['requested', 'expired']);
    expect(states([{ status: 'delivering', at: t(0) }, { status: 'failed', at: t(1) }], [])).toEqual(['requested']);
    expect(states([{ status: 'withheld', at: t(1) }], [])).toEqual(['requested']);
    // Nothing moves it on afterwards.
    expect(states([{ status: 'expired', at: t(1) }], [message(3, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1' })])).toEqual(['requested', 'expired']);
  });

  it('counts only the owner\'s answers to this referral', () => {
    const thread = [
      message(3, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1', sender: 'BG-SACP' }), // someone else
      message(4, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-other' }), // another referral
      message(5, 'case-update', { update: 'measure-progress' }), // before accepting: not work on this referral
    ];
    expect(states(delivered, thread)).toEqual(['requested', 'received']);
    const accepted = [message(6, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1' })];
    expect(states(delivered, [...accepted, message(7, 'case-update', { update: 'measure-progress' }, { inReplyTo: 'ref-other' })])).toEqual(['requested', 'received', 'accepted']);
    expect(states(delivered, [...accepted, message(7, 'case-update', { update: 'measure-progress' }, { inReplyTo: 'm-6' })])).toEqual(['requested', 'received', 'accepted', 'in-progress']);
  });

  it('takes a response as receipt when the delivery\'s own event is not in yet', () => {
    expect(states([{ status: 'delivering', at: t(0) }], [message(1, 'referral-response', { decision: 'accepted' }, { inReplyTo: 'ref-1' })])).toEqual(['requested', 'accepted']);
  });

  it('names a FHIR Task status for every state', () => {
    expect(Object.keys(FHIR_TASK_STATUS).sort()).toEqual([...REFERRAL_STATES].sort());
    expect(FHIR_TASK_STATUS.declined).toBe('rejected');
  });

  it('reads only fields the contract marks as case metadata', () => {
    const maps = buildCategoryMaps(contract.document);
    const examples = contract.document.components.examples as Record<string, { value: { type: string; payload: Record<string, unknown> } }>;
    for (const name of ['Referral', 'ReferralResponse', 'CaseUpdate', 'CaseTransfer']) {
      const { type, payload } = examples[name]!.value;
      const facts = caseFactsOf(payload);
      expect(Object.keys(facts).length, name).toBeGreaterThan(0);
      for (const key of Object.keys(facts)) expect(maps[type as keyof typeof maps]!.caseMetadata, `${name}: ${key}`).toContain(`/payload/${key}`);
    }
    expect(caseFactsOf({ decision: 'accepted', notes: 'free text about the person', subject: { identity: {} } })).toEqual({ decision: 'accepted' });
  });
});
