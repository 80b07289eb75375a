/**
 * The demo's agency systems, simulated: on embedded defaults each demo participant's system
 * runs in-process and speaks its agency's own protocol through its adapter — MoI XML over
 * HTTPS, SACP's REST with callbacks, SAA's SFTP batches, the NGO shelter's signed webhooks —
 * or, for tests of the core, all of them the reference `https-json` protocol.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRecipientSimulator, type ClientTls, type NativeDocument } from '../adapters/index.ts';
import type { SendAnswer } from '../adapters/shared/https.ts';
import type { SimulatedSystem } from '../adapters/conformance/simulated-system.ts';
import { createMoiSimulator } from '../adapters/moi/simulator.ts';
import { createNgoSimulator } from '../adapters/ngo/simulator.ts';
import { createSaaSimulator } from '../adapters/saa/simulator.ts';
import { createSacpSimulator } from '../adapters/sacp/simulator.ts';
import type { Participant } from '../schemas/index.ts';

/** One simulated agency system and how the gateway reaches it. */
export interface DemoAgency {
  readonly participantId: string;
  /** The adapter the gateway uses for it. */
  readonly adapter: string;
  readonly endpoint: string;
  readonly settings: Record<string, unknown>;
  readonly system: SimulatedSystem & {
    /** Sends a native document to the adapter's intake, as the agency's system would (not for `https-json`). */
    send?(document: NativeDocument): Promise<SendAnswer>;
    /** Tells the system where its adapter's intake is, once the adapter has started. */
    intakeAt?(url: () => string | undefined): void;
  };
  /** For SAA: the exchange directory on disk, where the agency drops its files. */
  readonly directory?: string;
  /** For the NGO: the file holding the secret its intake messages are signed with. */
  readonly secretFile?: string;
}

/** Which demo participant speaks which protocol. Participants not listed get an `https-json` system. */
const NATIVE: Record<string, 'moi' | 'sacp' | 'saa' | 'ngo'> = { 'BG-MOI': 'moi', 'BG-SACP': 'sacp', 'BG-SAA': 'saa', 'BG-NGO-ANIMUS': 'ngo' };

export interface DemoAgencyOptions {
  participants: readonly Participant[];
  /** `native`: each agency's own protocol; `https-json`: the reference protocol for all. */
  protocols: 'native' | 'https-json';
  /** The gateway's server certificate (the simulated systems use it too: they run on localhost) and CA. */
  serverTls: ClientTls;
  /** Where the development PKI's client certificates are. */
  certsDir: string;
  dataDir: string;
  gatewayUrl: string;
}

/** Starts a simulated system for each participant. */
export async function startDemoAgencies(options: DemoAgencyOptions): Promise<Map<string, DemoAgency>> {
  const agencies = new Map<string, DemoAgency>();
  const clientOf = (id: string): ClientTls => ({
    caPem: options.serverTls.caPem,
    certPem: readFileSync(join(options.certsDir, 'clients', `${id}.pem`), 'utf8'),
    keyPem: readFileSync(join(options.certsDir, 'clients', `${id}-key.pem`), 'utf8'),
  });
  try {
    for (const { id } of options.participants) {
      const kind = options.protocols === 'native' ? NATIVE[id] : undefined;
      if (kind === 'moi') {
        const system = await createMoiSimulator({ server: options.serverTls, client: clientOf(id) });
        agencies.set(id, { participantId: id, adapter: 'moi', endpoint: system.endpoint, settings: { intakePort: 0 }, system });
      } else if (kind === 'sacp') {
        const system = await createSacpSimulator({ server: options.serverTls, client: clientOf(id) });
        agencies.set(id, { participantId: id, adapter: 'sacp', endpoint: system.endpoint, settings: { listenPort: 0 }, system });
      } else if (kind === 'saa') {
        const system = await createSaaSimulator({ parentDir: join(options.dataDir, 'demo-saa') });
        agencies.set(id, { participantId: id, adapter: 'saa', endpoint: system.endpoint, settings: { ...system.settings, pollIntervalMs: 250 }, system, directory: system.directory });
      } else if (kind === 'ngo') {
        const secretDir = join(options.dataDir, 'demo-secrets');
        mkdirSync(secretDir, { recursive: true, mode: 0o700 });
        const secretFile = join(secretDir, `${id}.secret`);
        const secret = randomBytes(32);
        writeFileSync(secretFile, secret, { mode: 0o600 });
        const system = await createNgoSimulator({ server: options.serverTls, secret });
        agencies.set(id, { participantId: id, adapter: 'ngo', endpoint: system.endpoint, settings: { secretFile, intakePort: 0 }, system, secretFile });
      } else {
        const system = await createRecipientSimulator({ participantId: id, server: options.serverTls, receipts: { gatewayUrl: options.gatewayUrl, tls: clientOf(id) } });
        agencies.set(id, { participantId: id, adapter: 'https-json', endpoint: system.endpoint, settings: {}, system });
      }
    }
  } catch (error) {
    await Promise.allSettled([...agencies.values()].map((a) => a.system.close()));
    throw error;
  }
  return agencies;
}
