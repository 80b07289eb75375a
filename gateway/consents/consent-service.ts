/** The consent registry on behalf of callers: pseudonyms, recording, reading and withdrawing consents. */
import { randomUUID } from 'node:crypto';
import type { JwsSigner } from '../../certs/index.ts';
import { canonicalize, isUuid, type Consent, type ConsentWithdrawnByCode, type ConsentReceiptDocument, type ConsentRequest, type Identity, type PseudonymLink } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';
import { checkPastDates, latestDateAt } from '../exchanges/plausibility.ts';
import { callerLabel, hasRole, type Caller } from '../access/caller.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';
import type { Pseudonymizer } from './pseudonym.ts';
import { hashWithdrawalCode, newWithdrawalCode, normalizeWithdrawalCode } from './withdrawal-code.ts';
import type { ConsentRow, ConsentStore } from '../store/index.ts';

/** How long after a consent was given (its `validFrom`) it may still be recorded: a paper form entered late. */
export const CONSENT_BACKDATE_GRACE_DAYS = 30;

/** What the consent service needs. */
export interface ConsentServiceDeps {
  store: ConsentStore;
  registry: ParticipantRegistry;
  pseudonyms: Pseudonymizer;
  /** Signs consent receipts (the gateway's seal key). */
  sealer: JwsSigner;
  now?: () => Date;
}

/** Consent operations. */
export interface ConsentService {
  /** The subject's pseudonym, computed for `caller`: audited (who, never whose), and rate-limited at the route. */
  pseudonym(caller: Caller, identity: Identity): Promise<string>;
  /** Records a consent; the answer carries the receipt's withdrawal code, which is not stored and never shown again. */
  record(caller: Caller, request: ConsentRequest): Promise<Consent & { withdrawalCode: string }>;
  get(caller: Caller, id: string): Promise<Consent>;
  bySubject(caller: Caller, subject: string, limit: number): Promise<Consent[]>;
  withdraw(caller: Caller, id: string, reason: string): Promise<Consent>;
  /**
   * Withdraws the consent whose receipt carries `code`: for any consent officer or NGO
   * participant, whoever recorded it. The answer names the consent only by id: the code
   * holder learns nothing about the person. Audited with `via: withdrawal-code`.
   */
  withdrawByCode(caller: Caller, code: string, reason: string): Promise<ConsentWithdrawnByCode>;
  /** A new withdrawal code for a receipt printed again; the old code stops working. For whoever may withdraw the consent. */
  newWithdrawalCode(caller: Caller, id: string): Promise<{ consentId: string; withdrawalCode: string }>;
  /**
   * Links a pseudonym the gateway issued (a person without documents) to the one computed
   * from `identity`, now established: consent-officer role, audited, once per issued pseudonym.
   */
  link(caller: Caller, issued: string, identity: Identity): Promise<PseudonymLink>;
  /** Records a consent with a fixed id unless it exists (the demo consent); no caller. */
  seed(id: string, request: ConsentRequest, recordedBy: string): Promise<void>;
}

const WITHDRAW_HOW = 'You may withdraw this consent at any time, without giving reasons: with the withdrawal code printed on this receipt, through any consent officer or any NGO taking part in the referral mechanism, or through the agency that recorded it. Withdrawal stops every transfer not yet made.';

/** The consent service. */
export function createConsentService(deps: ConsentServiceDeps): ConsentService {
  const now = deps.now ?? (() => new Date());
  const { store, registry } = deps;

  /** Recorded by this participant's system or by an adapter acting for it (`adapter:<name>@<participant>`). */
  const recordedBy = (row: ConsentRow, participantId: string) => row.recordedBy === `participant:${participantId}` || row.recordedBy.endsWith(`@${participantId}`);
  /** Who may read a consent: officers and auditors, the participant that recorded it, and participants its scope names (they rely on it). */
  const mayRead = (caller: Caller, row: ConsentRow) => {
    if (caller.kind === 'administrator') return hasRole(caller, 'consent-officer', 'auditor');
    const kind = registry.get(caller.participantId)?.kind;
    return recordedBy(row, caller.participantId)
      || row.scope.some((s) => s.recipients?.includes(caller.participantId) || (kind !== undefined && s.participantKinds?.includes(kind)));
  };
  const mayWithdraw = (caller: Caller, row: ConsentRow) =>
    caller.kind === 'administrator' ? hasRole(caller, 'consent-officer') : recordedBy(row, caller.participantId);

  const view = (row: ConsentRow): Consent => {
    const at = now().getTime();
    const status = row.withdrawnAt ? 'withdrawn' : row.validUntil && row.validUntil.getTime() <= at ? 'expired' : row.validFrom.getTime() > at ? 'not-yet-valid' : 'active';
    return {
      id: row.id, subject: row.subject, givenBy: row.givenBy, recordedBy: row.recordedBy, recordedAt: row.recordedAt.toISOString(),
      scope: row.scope, validFrom: row.validFrom.toISOString(), ...(row.validUntil ? { validUntil: row.validUntil.toISOString() } : {}),
      evidence: row.evidence, status,
      ...(row.withdrawnAt ? { withdrawnAt: row.withdrawnAt.toISOString(), withdrawalReason: row.withdrawalReason! } : {}),
      receipt: receiptOf(row), receiptSignature: row.receiptSignature,
    };
  };

  return {
    async pseudonym(caller, identity) {
      if (caller.kind === 'administrator' && !hasRole(caller, 'consent-officer')) {
        throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Computing pseudonyms needs the consent-officer role (or a participant system).' });
      }
      const pseudonym = deps.pseudonyms.pseudonym(identity);
      await store.pseudonymComputed(callerLabel(caller));
      return pseudonym;
    },

    async link(caller, issued, identity) {
      if (!hasRole(caller, 'consent-officer')) {
        throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Linking pseudonyms needs an administrator certificate with the consent-officer role.' });
      }
      const computed = deps.pseudonyms.pseudonym(identity, '/identity');
      const linked = await store.link({ issued, computed, actor: callerLabel(caller) });
      if (linked.outcome !== 'linked') {
        throw linked.outcome === 'not-issued'
          ? new GatewayError('GW_PSEUDONYM_NOT_ISSUED')
          : new GatewayError('GW_PSEUDONYM_LINKED_ELSEWHERE', { detail: 'This issued pseudonym is linked to another identity already; a link is made once and not changed.' });
      }
      return { issued, pseudonym: computed, linkedAt: linked.linkedAt.toISOString(), linkedBy: linked.linkedBy };
    },

    async record(caller, request) {
      if (caller.kind === 'administrator' && !hasRole(caller, 'consent-officer')) {
        throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Recording consents needs the consent-officer role (or a participant system).' });
      }
      // A consent is recorded when it is given; a paper form signed earlier may be entered within the grace period, not years back.
      if (new Date(request.validFrom).getTime() < now().getTime() - CONSENT_BACKDATE_GRACE_DAYS * 86_400_000) {
        throw new GatewayError('GW_VALIDATION_FAILED', {
          detail: `validFrom may be at most ${CONSENT_BACKDATE_GRACE_DAYS} days before the consent is recorded (a paper form entered late); an older consent must be given again.`,
          violations: [{ pointer: '/validFrom', message: `is more than ${CONSENT_BACKDATE_GRACE_DAYS} days before now`, keyword: 'consent' }],
        });
      }
      const withdrawalCode = newWithdrawalCode();
      return { ...view(await recordAs(randomUUID(), request, callerLabel(caller), withdrawalCode)), withdrawalCode };
    },

    async seed(id, request, recordedBy) {
      if (!(await store.get(id))) await recordAs(id, request, recordedBy, newWithdrawalCode());
    },

    async get(caller, id) {
      const row = isUuid(id) ? await store.get(id) : undefined;
      if (!row || !mayRead(caller, row)) throw new GatewayError('GW_CONSENT_NOT_FOUND');
      return view(row);
    },

    async bySubject(caller, subject, limit) {
      return (await store.bySubject(subject, limit)).filter((row) => mayRead(caller, row)).map(view);
    },

    async withdraw(caller, id, reason) {
      const existing = isUuid(id) ? await store.get(id) : undefined;
      if (!existing || !mayWithdraw(caller, existing)) throw new GatewayError('GW_CONSENT_NOT_FOUND');
      return view((await store.withdraw({ id, reason, actor: callerLabel(caller) }))!);
    },

    async withdrawByCode(caller, code, reason) {
      const allowed = caller.kind === 'administrator' ? hasRole(caller, 'consent-officer') : registry.get(caller.participantId)?.kind === 'ngo';
      if (!allowed) {
        throw new GatewayError('GW_ROLE_REQUIRED', { detail: 'Withdrawing with a receipt\'s code needs the consent-officer role or an NGO participant\'s certificate.' });
      }
      const canonical = normalizeWithdrawalCode(code);
      if (!canonical) {
        throw new GatewayError('GW_VALIDATION_FAILED', {
          detail: 'A withdrawal code is 16 letters and digits, in four groups of four, as printed on the consent receipt.',
          violations: [{ pointer: '/code', message: 'is not a withdrawal code', keyword: 'withdrawal-code' }],
        });
      }
      const id = await store.byWithdrawalCode(hashWithdrawalCode(canonical));
      if (!id) throw new GatewayError('GW_WITHDRAWAL_CODE_UNKNOWN');
      const before = await store.get(id);
      const row = (await store.withdraw({ id, reason, actor: callerLabel(caller), via: 'withdrawal-code' }))!;
      return { consentId: row.id, status: 'withdrawn', withdrawnAt: row.withdrawnAt!.toISOString(), alreadyWithdrawn: before?.withdrawnAt !== undefined };
    },

    async newWithdrawalCode(caller, id) {
      const existing = isUuid(id) ? await store.get(id) : undefined;
      if (!existing || !mayWithdraw(caller, existing)) throw new GatewayError('GW_CONSENT_NOT_FOUND');
      const withdrawalCode = newWithdrawalCode();
      if (!(await store.replaceWithdrawalCode({ id, codeHash: hashWithdrawalCode(withdrawalCode), actor: callerLabel(caller) }))) {
        throw new GatewayError('GW_CONSENT_WITHDRAWN', { detail: 'This consent is withdrawn already; its receipt needs no new code.' });
      }
      return { consentId: id, withdrawalCode };
    },
  };

  async function recordAs(id: string, request: ConsentRequest, recordedBy: string, withdrawalCode: string): Promise<ConsentRow> {
    const validFrom = new Date(request.validFrom);
    const validUntil = request.validUntil ? new Date(request.validUntil) : undefined;
    if (validUntil && validUntil <= validFrom) {
      throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '/validUntil', message: 'must be after validFrom', keyword: 'consent' }] });
    }
    // The form's own date: not ahead of today, nor of the day the consent takes effect (anywhere on Earth).
    checkPastDates(request.evidence, now(), 0, '/evidence');
    if (request.evidence.signedOn > latestDateAt(validFrom)) {
      throw new GatewayError('GW_VALIDATION_FAILED', {
        detail: `The form was signed on ${request.evidence.signedOn}, after validFrom: consent cannot take effect before it is given.`,
        violations: [{ pointer: '/evidence/signedOn', message: 'is after validFrom', keyword: 'consent' }],
      });
    }
    const unaddressed = request.scope.flatMap((s, i) => (s.recipients || s.participantKinds ? [] : [i]));
    if (unaddressed.length > 0) {
      throw new GatewayError('GW_VALIDATION_FAILED', {
        violations: unaddressed.map((i) => ({ pointer: `/scope/${i}`, message: 'must name recipients or participantKinds', keyword: 'consent' })),
      });
    }
    const unknown = request.scope.flatMap((s, i) => (s.recipients ?? []).map((r, j) => ({ r, pointer: `/scope/${i}/recipients/${j}` }))).filter(({ r }) => !registry.get(r));
    if (unknown.length > 0) {
      throw new GatewayError('GW_UNKNOWN_RECIPIENT', { violations: unknown.map(({ pointer }) => ({ pointer, message: 'is not a registered participant', keyword: 'registry' })) });
    }
    const subject = 'pseudonym' in request.subject && request.subject.pseudonym
      ? request.subject.pseudonym
      : deps.pseudonyms.pseudonym((request.subject as { identity: Identity }).identity, '/subject/identity');
    const row: ConsentRow = {
      id, subject, givenBy: request.givenBy, recordedBy, recordedAt: now(), scope: request.scope,
      validFrom, ...(validUntil ? { validUntil } : {}), evidence: request.evidence, receiptSignature: '',
      withdrawalCodeHash: hashWithdrawalCode(withdrawalCode),
    };
    row.receiptSignature = deps.sealer.sign(canonicalize(receiptOf(row)), { signedAt: row.recordedAt });
    await store.record(row);
    return row;
  }
}

/** The receipt the person is given: what was recorded, and how to withdraw. */
function receiptOf(row: ConsentRow): ConsentReceiptDocument {
  return {
    receiptType: 'consent', consentId: row.id, subject: row.subject, givenBy: row.givenBy, recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(), scope: row.scope, validFrom: row.validFrom.toISOString(),
    ...(row.validUntil ? { validUntil: row.validUntil.toISOString() } : {}), evidence: row.evidence, withdrawHow: WITHDRAW_HOW,
  };
}
