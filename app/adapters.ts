/** Builds, once, the adapter that pushes to each push participant, and the intake each uses to hand what its agency system sends to the gateway. */
import { ADAPTERS, checkAdapterSettings, createGatewayIntake, DEFAULT_ADAPTER, type Adapter, type ClientCertificateCheck, type ClientTls } from '../adapters/index.ts';
import type { Gateway } from '../gateway/gateway.ts';
import { deliveryPolicy, type Channel, type Config, type Logger, type Peers } from '../gateway/index.ts';

/** A push participant the configuration does not describe, with its adapter (the demo's simulated agencies). */
export interface AdapterOverride {
  adapter: string;
  endpoint: string;
  settings: Record<string, unknown>;
}

/** Options for {@link buildAdapters}. */
export interface BuildAdaptersOptions {
  logger: Logger;
  /** The gateway's client certificate, presented to agency endpoints. */
  clientTls: ClientTls;
  /** The gateway's server certificate, for adapters that listen for their agency system. */
  serverTls: ClientTls;
  peers: Peers;
  overrides: ReadonlyMap<string, AdapterOverride>;
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

/** The built adapters; `close()` releases the intakes' connections (the queue registry closes the adapters). */
export interface BuiltAdapters {
  readonly adapters: ReadonlyMap<string, Adapter>;
  close(): Promise<void>;
}

/** How each participant receives: pushed by an adapter (configured, or a demo override), or pulled from the inbox. */
export function channelsOf(config: Config, overrides: ReadonlyMap<string, AdapterOverride>): Record<string, Channel> {
  return Object.fromEntries(config.participants.map((p) => [p.id, overrides.has(p.id) || config.delivery.participants[p.id]?.mode === 'push' ? 'push' : 'pull']));
}

/** One adapter per push participant with an endpoint. Settings of overrides are checked here as configured ones were at load. */
export function buildAdapters(config: Config, options: BuildAdaptersOptions): BuiltAdapters {
  const adapters = new Map<string, Adapter>();
  const intakes: Array<{ close(): Promise<void> }> = [];
  const channels = channelsOf(config, options.overrides);
  const checkClient = intakeCheck(options.checkCertificate);
  for (const participant of config.participants) {
    const override = options.overrides.get(participant.id);
    const configured = override ?? config.delivery.participants[participant.id];
    if (channels[participant.id] !== 'push' || !configured?.endpoint) continue;
    const name = configured.adapter ?? DEFAULT_ADAPTER;
    const settings = { ...configured.settings };
    const problems = override ? checkAdapterSettings(name, settings) : [];
    if (problems.length > 0) throw new RangeError(`${participant.id}: adapter ${name} settings: ${problems.join('; ')}`);
    const factory = ADAPTERS[name]!;
    const intakeTls = options.intake.tlsFor(participant.id);
    const intake = intakeTls ? createGatewayIntake({ gatewayUrl: options.intake.gatewayUrl, tls: intakeTls, logger: options.logger }) : undefined;
    if (intake) intakes.push(intake);
    adapters.set(participant.id, factory.create({
      participantId: participant.id, endpoint: configured.endpoint, settings, timeoutMs: deliveryPolicy(config, participant.id).timeoutMs,
      // A participant abroad is reached through its peer gateway, whose certificate chains to the peer's CA.
      tls: { ...options.clientTls, caPem: options.peers.reaching(participant.id)?.caPem ?? options.clientTls.caPem },
      serverTls: options.serverTls,
      checkClient,
      logger: options.logger.child({ adapter: factory.meta.name, participant: participant.id }),
      ...(intake ? { intake } : {}),
    }));
  }
  return { adapters, close: async () => void (await Promise.all(intakes.map((i) => i.close()))) };
}
