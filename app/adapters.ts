/** How each participant receives, and the adapters that push to those pushed to, each with the intake it uses to hand what its agency system sends to the gateway. */
import { ADAPTERS, checkAdapterSettings, createGatewayIntake, DEFAULT_ADAPTER, type Adapter, type ClientCertificateCheck, type ClientTls } from '../adapters/index.ts';
import type { DeliveryPlan, PushSpec } from '../queues/index.ts';
import type { DeliverySettings } from '../schemas/index.ts';
import type { Gateway } from '../gateway/gateway.ts';
import { policyWith, type Config, type LiveParticipantRegistry, type Logger, type Peers } from '../gateway/index.ts';

/** A push participant the configuration does not describe, with its adapter (the demo's simulated agencies). */
export interface AdapterOverride {
  adapter: string;
  endpoint: string;
  settings: Record<string, unknown>;
}

/** Options for {@link createAdapterBuilder}. */
export interface BuildAdaptersOptions {
  logger: Logger;
  /** The gateway's client certificate, presented to agency endpoints. */
  clientTls: ClientTls;
  /** The gateway's server certificate, for adapters that listen for their agency system. */
  serverTls: ClientTls;
  peers: Peers;
  /** Where adapters hand what their agency systems send (the gateway's own API), and each participant's intake certificate. */
  intake: { gatewayUrl: string; tlsFor(participantId: string): ClientTls | undefined };
  /** The gateway's certificate check, which every adapter listener applies to its callers. */
  checkCertificate: Gateway['checkCertificate'];
}

/**
 * The gateway's certificate check as an adapter's listener needs it: a participant's own
 * certificate passes; a peer gateway's, an administrator's or an adapter's does not.
 */
export function intakeCheck(check: Gateway['checkCertificate']): ClientCertificateCheck {
  return (socket) => {
    const verdict = check(socket);
    if (!verdict.ok) return verdict;
    if (verdict.peer) return { ok: false, code: 'GW_PEER_ROUTES_ONLY', detail: `Peer gateway ${verdict.peer.name} may call the /v1/peer routes only.` };
    if (verdict.caller.kind !== 'participant' || verdict.caller.adapter) {
      return { ok: false, code: 'GW_CLIENT_CERT_UNKNOWN_PARTICIPANT', detail: 'Only an agency system\'s own participant certificate sends through an intake.' };
    }
    return { ok: true, participantId: verdict.caller.participantId };
  };
}

/** Builds the adapter for a push participant as its settings say; `close()` releases the intakes' connections (the workers close the adapters). */
export interface AdapterBuilder {
  build(participantId: string, spec: PushSpec): Adapter;
  close(): Promise<void>;
}

/**
 * How each participant receives, from the participant registry (which the store keeps and
 * operators change at run time), with the demo's simulated agencies over it. An override's
 * settings are checked here, as configured ones are at load.
 */
export function deliveryPlan(config: Config, registry: LiveParticipantRegistry, overrides: ReadonlyMap<string, AdapterOverride>): DeliveryPlan {
  for (const [id, override] of overrides) {
    const problems = checkAdapterSettings(override.adapter, override.settings);
    if (problems.length > 0) throw new RangeError(`${id}: adapter ${override.adapter} settings: ${problems.join('; ')}`);
  }
  const own = (id: string): DeliverySettings | undefined => {
    const override = overrides.get(id);
    return override ? { mode: 'push', ...override } : registry.delivery(id);
  };
  let pushed: Map<string, PushSpec> | undefined;
  registry.onChange(() => (pushed = undefined));
  return {
    pushed() {
      pushed ??= new Map(registry.list().flatMap((p) => {
        const delivery = own(p.id);
        if (delivery?.mode !== 'push' || !delivery.endpoint) return [];
        return [[p.id, {
          adapter: delivery.adapter ?? DEFAULT_ADAPTER, endpoint: delivery.endpoint, settings: { ...delivery.settings },
          policy: policyWith(config.delivery, delivery),
        }] as const];
      }));
      return pushed;
    },
    isSuspended: (id) => registry.isSuspended(id),
    policyOf: (id) => policyWith(config.delivery, own(id)),
    onChange: (listener) => registry.onChange(listener),
  };
}

/** Builds adapters for the workers: each with the gateway's TLS, the certificate check for its listener, and its participant's intake. */
export function createAdapterBuilder(options: BuildAdaptersOptions): AdapterBuilder {
  const intakes: Array<{ close(): Promise<void> }> = [];
  const checkClient = intakeCheck(options.checkCertificate);
  return {
    build(participantId, spec) {
      const factory = ADAPTERS[spec.adapter];
      if (!factory) throw new RangeError(`${participantId}: no registered adapter ${spec.adapter}`);
      const intakeTls = options.intake.tlsFor(participantId);
      const intake = intakeTls ? createGatewayIntake({ gatewayUrl: options.intake.gatewayUrl, tls: intakeTls, logger: options.logger }) : undefined;
      if (intake) intakes.push(intake);
      return factory.create({
        participantId, endpoint: spec.endpoint, settings: { ...spec.settings }, timeoutMs: spec.policy.timeoutMs,
        // A participant abroad is reached through its peer gateway, whose certificate chains to the peer's CA.
        tls: { ...options.clientTls, caPem: options.peers.reaching(participantId)?.caPem ?? options.clientTls.caPem },
        serverTls: options.serverTls,
        checkClient,
        logger: options.logger.child({ adapter: factory.meta.name, participant: participantId }),
        ...(intake ? { intake } : {}),
      });
    },
    close: async () => void (await Promise.all(intakes.map((i) => i.close()))),
  };
}
