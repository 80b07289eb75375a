/**
 * Operators manage the registry at run time: add a participant, change its definition,
 * suspend and reinstate it. Every change is audited in its own statement and holds in this
 * process at once and in every other within a second (the registry reads the store again).
 */
import type { DeliverySettings, Participant, ParticipantRecord, Validators } from '../../schemas/index.ts';
import { deliveryProblems, type AdapterCatalogue } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import { callerLabel, requireRole, type Caller } from '../access/caller.ts';
import type { ParticipantRow, ParticipantStore } from '../store/index.ts';
import type { LiveParticipantRegistry } from './participant-registry.ts';

export interface ParticipantAdmin {
  list(caller: Caller): ParticipantRecord[];
  get(caller: Caller, id: string): ParticipantRecord;
  add(caller: Caller, definition: Participant): Promise<ParticipantRecord>;
  change(caller: Caller, id: string, definition: Participant): Promise<ParticipantRecord>;
  suspend(caller: Caller, id: string, reason: string): Promise<ParticipantRecord>;
  reinstate(caller: Caller, id: string, reason: string): Promise<ParticipantRecord>;
  setDelivery(caller: Caller, id: string, delivery: DeliverySettings): Promise<ParticipantRecord>;
}

/** What the admin side needs. */
export interface ParticipantAdminDeps {
  store: ParticipantStore;
  registry: LiveParticipantRegistry;
  validators: Validators;
  adapters: AdapterCatalogue;
}

const record = (row: ParticipantRow): ParticipantRecord => ({
  participant: { ...row.definition, ...(row.suspendedAt ? { suspended: true } : {}) },
  ...(row.delivery ? { delivery: row.delivery } : {}),
  origin: row.origin,
  version: row.version.toString(),
  changedAt: row.changedAt.toISOString(),
  changedBy: row.changedBy,
  ...(row.suspendedAt ? { suspension: { at: row.suspendedAt.toISOString(), by: row.suspendedBy!, reason: row.suspensionReason! } } : {}),
});

/** The participant administration. */
export function createParticipantAdmin(deps: ParticipantAdminDeps): ParticipantAdmin {
  const { store, registry } = deps;
  const check = deps.validators.schema('Participant');
  const valid = (definition: Participant) => {
    const violations = check(definition);
    if ('suspended' in (definition as object)) violations.push({ pointer: '/suspended', message: 'is set by suspending or reinstating, not in a definition', keyword: 'readOnly' });
    if (violations.length > 0) throw new GatewayError('GW_VALIDATION_FAILED', { violations });
    return definition;
  };
  const current = (id: string) => {
    const row = registry.rows().find((r) => r.definition.id === id);
    if (!row) throw new GatewayError('GW_PARTICIPANT_NOT_FOUND');
    return row;
  };
  /** The changed participant (none: there was no such participant); the change holds here at once, as the registry reads the store again before the answer. */
  const done = async (row: ParticipantRow | undefined) => {
    if (!row) throw new GatewayError('GW_PARTICIPANT_NOT_FOUND');
    await registry.refresh();
    return record(row);
  };
  const suspension = async (caller: Caller, id: string, change: { suspend: boolean; reason: string }) => {
    requireRole(caller, 'operator');
    return done(await store.setSuspended(id, change, callerLabel(caller)));
  };

  return {
    list(caller) {
      requireRole(caller, 'operator', 'auditor');
      return registry.rows().map(record);
    },
    get(caller, id) {
      requireRole(caller, 'operator', 'auditor');
      return record(current(id));
    },
    async add(caller, definition) {
      requireRole(caller, 'operator');
      const row = await store.add(valid(definition), callerLabel(caller));
      if (!row) throw new GatewayError('GW_PARTICIPANT_EXISTS', { detail: `${definition.id} is registered already; change it with PUT /v1/admin/participants/${definition.id}.` });
      return done(row);
    },
    async change(caller, id, definition) {
      requireRole(caller, 'operator');
      valid(definition);
      if (definition.id !== id) {
        throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '/id', message: `must be ${id}, the participant changed (an id is never changed)`, keyword: 'participant' }] });
      }
      return done(await store.change(definition, callerLabel(caller)));
    },
    suspend: (caller, id, reason) => suspension(caller, id, { suspend: true, reason }),
    reinstate: (caller, id, reason) => suspension(caller, id, { suspend: false, reason }),
    async setDelivery(caller, id, delivery) {
      requireRole(caller, 'operator');
      // The start-up check, with the adapter's defaults filled in; `/adapter …`, `/settings/… …`.
      const problems = delivery.mode === 'push' ? deliveryProblems(delivery, deps.adapters) : [];
      if (problems.length > 0) {
        throw new GatewayError('GW_VALIDATION_FAILED', {
          detail: problems.join('; '),
          violations: problems.map((p) => {
            const [pointer, ...message] = p.split(' ');
            return { pointer: pointer!, message: message.join(' '), keyword: 'adapter' };
          }),
        });
      }
      return done(await store.setDelivery(id, delivery.mode === 'pull' ? undefined : delivery, callerLabel(caller)));
    },
  };
}
