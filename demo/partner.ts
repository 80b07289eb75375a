/**
 * The demo's partner gateway abroad: on embedded defaults `npm start` runs a second
 * Referral Gateway in the same process — its own CA, store (`dataDir/partner`) and Redis
 * database — standing for Hungary's, and the two trust each other's CA as peers. Demo
 * participants abroad are then reached the TRM way, through the `peer` adapter.
 */
import { join } from 'node:path';
import { ensureDevelopmentPki } from '../certs/index.ts';
import { freePort } from '../queues/index.ts';
import type { Config } from '../gateway/index.ts';
import { DEMO_PARTNER_NAME, DEMO_PARTNER_PARTICIPANTS } from './participants.ts';

/** What the main gateway needs to know before it starts, and the partner after. */
export interface DemoPartnerPlan {
  /** Configuration overrides for the main gateway (its port fixed, the partner as a peer). */
  mainOverrides: Record<string, unknown>;
  partnerDir: string;
  partnerPort: number;
  mainPort: number;
}

/** Whether the demo wants a partner gateway, and the ports and files for it. */
export async function planDemoPartner(config: Config): Promise<DemoPartnerPlan | undefined> {
  const abroad = config.participants.filter((p) => p.kind === 'foreign-partner' && DEMO_PARTNER_PARTICIPANTS.some((q) => q.id === p.id)).map((p) => p.id);
  if (!config.demoPartner || config.tls || config.peers.length > 0 || abroad.length === 0 || !config.roles.includes('api')) return undefined;
  const mainPort = config.port || (await freePort());
  const partnerPort = config.port ? config.port + 1 : await freePort();
  const partnerDir = join(config.dataDir, 'partner');
  // The partner's CA exists before either gateway starts: the main one trusts it as a peer's.
  ensureDevelopmentPki({ dir: join(partnerDir, 'certs'), participants: [], administrators: [], hostnames: ['localhost', '127.0.0.1', '::1'], gatewayName: DEMO_PARTNER_NAME });
  return {
    mainPort, partnerPort, partnerDir,
    mainOverrides: {
      port: mainPort,
      peers: [{ name: DEMO_PARTNER_NAME, caFile: join(partnerDir, 'certs', 'ca.pem'), endpoint: `https://localhost:${partnerPort}`, participants: abroad }],
    },
  };
}

/** The partner gateway's configuration: the main gateway as its peer, a Redis database of its own. */
export function partnerOverrides(plan: DemoPartnerPlan, main: { config: Config; caFile: string; redisUrl: string | undefined }): Record<string, unknown> {
  const redis = main.redisUrl ? new URL(main.redisUrl) : undefined;
  if (redis) redis.pathname = `/${(Number(redis.pathname.slice(1)) || 0) + 1}`;
  return {
    host: main.config.host, port: plan.partnerPort, dataDir: plan.partnerDir, logLevel: main.config.logLevel,
    gatewayName: DEMO_PARTNER_NAME, participants: DEMO_PARTNER_PARTICIPANTS, childProtectionParticipant: 'HU-NBI',
    demoProtocols: 'https-json', demoPartner: false,
    ...(redis ? { redisUrl: redis.toString() } : {}),
    peers: [{
      name: main.config.gatewayName, caFile: main.caFile, endpoint: `https://localhost:${plan.mainPort}`,
      participants: DEMO_PARTNER_PARTICIPANTS.filter((p) => p.kind === 'foreign-partner').map((p) => p.id),
    }],
  };
}
