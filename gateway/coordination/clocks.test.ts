/** Which messages start which deadline clocks, and which later messages stop them. */
import { describe, expect, it } from 'vitest';
import { clocksStartedBy, DEFAULT_CLOCK_POLICY, FOLLOW_UP_WINDOW_DAYS, stops, type StartingMessage } from './clocks.ts';

const DAY = 86_400_000;
const at = new Date('2026-12-04T10:00:00Z');
const message = (type: string, payload: Record<string, unknown>, extra: Partial<StartingMessage> = {}): StartingMessage => ({
  exchangeId: 'x-1', correlationId: 'case-0001', type, sender: 'BG-NCCTHB', acceptedAt: at, deliveries: [{ id: 'd-1', recipient: 'BG-NGO-ANIMUS' }], payload, ...extra,
});
const started = (m: StartingMessage) => clocksStartedBy(m, DEFAULT_CLOCK_POLICY, 'BG-SACP');

describe('deadline clocks', () => {
  it('gives a referral a response clock per recipient: its respondBy, else a default by urgency', () => {
    expect(started(message('referral', { respondBy: '2026-12-05T18:00:00Z' }))).toEqual([
      { key: 'response-due:d-1', kind: 'response-due', dueAt: new Date('2026-12-05T18:00:00Z'), responsible: 'BG-NGO-ANIMUS' },
    ]);
    expect(started(message('referral', { urgency: 'emergency' }))[0]!.dueAt).toEqual(new Date(at.getTime() + 4 * 3_600_000));
    expect(started(message('referral', { urgency: 'urgent' }))[0]!.dueAt).toEqual(new Date(at.getTime() + 24 * 3_600_000));
    expect(started(message('referral', {}))[0]!.dueAt).toEqual(new Date(at.getTime() + 120 * 3_600_000));
    expect(started(message('alert', { urgency: 'urgent' }))).toEqual([]);
  });

  it('reminds a week before a reflection period ends (at once when less is left), and not after it ended', () => {
    expect(started(message('case-transfer', { reflectionPeriod: { startsOn: '2026-12-01', endsOn: '2026-12-31' } }))).toEqual([
      { key: 'reflection:case-0001:2026-12-31', kind: 'reflection-period-ending', dueAt: new Date('2026-12-24T00:00:00Z'), responsible: 'BG-NCCTHB' },
    ]);
    expect(started(message('case-transfer', { reflectionPeriod: { startsOn: '2026-11-01', endsOn: '2026-12-06' } }))[0]!.dueAt).toEqual(at);
    expect(started(message('case-transfer', { reflectionPeriod: { startsOn: '2026-11-01', endsOn: '2026-12-01' } }))).toEqual([]);
  });

  it('tells child protection when a child has no appointed guardian, once per case thread', () => {
    const clocks = started(message('alert', { subject: { child: { age: 15, unaccompanied: true, guardian: { status: 'not-yet-appointed' } } } }));
    expect(clocks).toEqual([{ key: 'guardian:case-0001', kind: 'guardian-missing', dueAt: new Date(at.getTime() + 3 * DAY), responsible: 'BG-SACP' }]);
    expect(started(message('alert', { subject: { child: { age: 15, unaccompanied: false, guardian: { status: 'parent' } } } }))).toEqual([]);
  });

  it('sets follow-ups 3, 6 and 12 months after a shelter exit, and a safe return check after its planned date', () => {
    expect(started(message('case-update', { update: 'shelter-exit' })).map((c) => [c.kind, c.dueAt.toISOString().slice(0, 10)])).toEqual([
      ['follow-up-due', '2027-03-04'], ['follow-up-due', '2027-06-04'], ['follow-up-due', '2027-12-04'],
    ]);
    expect(started(message('case-update', { update: 'follow-up' }))).toEqual([]);
    expect(started(message('case-transfer', { safeReturn: { country: 'RO', status: 'planned', plannedOn: '2026-12-10' } }))).toMatchObject([
      { kind: 'safe-return-overdue', dueAt: new Date('2026-12-12T00:00:00Z') },
    ]);
    expect(started(message('case-transfer', { safeReturn: { country: 'RO', status: 'completed', plannedOn: '2026-12-10' } }))).toEqual([]);
  });

  it('is stopped by the message that satisfies it, and by a case closure', () => {
    const later = (type: string, payload: Record<string, unknown>, days = 1) => ({ type, acceptedAt: new Date(at.getTime() + days * DAY), payload });
    const guardian = { key: 'guardian:case-0001', kind: 'guardian-missing' as const, dueAt: new Date(at.getTime() + 3 * DAY) };
    expect(stops(guardian, later('case-update', { update: 'proceedings-update', subject: { child: { guardian: { status: 'appointed' } } } }))).toBe(true);
    expect(stops(guardian, later('case-update', { update: 'proceedings-update', subject: { child: { guardian: { status: 'not-yet-appointed' } } } }))).toBe(false);
    expect(stops(guardian, later('case-update', { update: 'case-closure', closure: { closedOn: '2026-12-05', reason: 'other' } }))).toBe(true);

    const reflection = { key: 'reflection:case-0001:2026-12-31', kind: 'reflection-period-ending' as const, dueAt: new Date('2026-12-24T00:00:00Z') };
    expect(stops(reflection, later('case-update', { reflectionPeriod: { startsOn: '2026-12-01', endsOn: '2027-01-31' } }))).toBe(true);
    expect(stops(reflection, later('case-update', { reflectionPeriod: { startsOn: '2026-12-01', endsOn: '2026-12-31' } }))).toBe(false);

    const followUp = { key: 'follow-up:x-1:3', kind: 'follow-up-due' as const, dueAt: new Date(at.getTime() + 90 * DAY) };
    expect(stops(followUp, later('case-update', { update: 'follow-up' }, 90 - FOLLOW_UP_WINDOW_DAYS))).toBe(true);
    expect(stops(followUp, later('case-update', { update: 'follow-up' }, 90 - FOLLOW_UP_WINDOW_DAYS - 1))).toBe(false);
    expect(stops(followUp, later('case-update', { update: 'measure-progress' }, 90))).toBe(false);

    const safeReturn = { key: 'safe-return:case-0001:2026-12-10', kind: 'safe-return-overdue' as const, dueAt: new Date('2026-12-12T00:00:00Z') };
    expect(stops(safeReturn, later('case-update', { update: 'safe-return-update' }))).toBe(true);
    expect(stops(safeReturn, later('case-transfer', { safeReturn: { country: 'RO', status: 'completed' } }))).toBe(true);
    expect(stops(safeReturn, later('case-update', { update: 'follow-up' }))).toBe(false);
  });
});
