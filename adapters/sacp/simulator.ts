/** A simulated SACP case system: takes notifications, confirms registration by calling the adapter back, and sends its own notifications. */
import { Agent, request } from 'undici';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import { sendAnswer, chainOnly, serveHttps, type SendAnswer } from '../shared/https.ts';
import type { ClientTls, NativeDocument } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';

export interface SacpSimulator extends SimulatedSystem {
  readonly endpoint: string;
  /** Notifications registered, by notificationId. */
  readonly notifications: Map<string, Record<string, unknown>>;
  /** Where the adapter listens (its `intakeUrl`, known once started). */
  intakeAt(url: () => string | undefined): void;
  /** Hold registration callbacks back (the case worker has not registered yet); `true` again sends those held. */
  callBack(enabled: boolean): void;
  send(document: NativeDocument): Promise<SendAnswer>;
}

export async function createSacpSimulator(options: { server: ClientTls; client: ClientTls }): Promise<SacpSimulator> {
  const notifications = new Map<string, Record<string, unknown>>();
  const taken: string[] = [];
  let failure: 'busy' | 'refuse' | undefined;
  let adapterUrl: () => string | undefined = () => undefined;
  let callbacks = true;
  const held: object[] = [];
  const agent = new Agent({ connect: { ca: options.client.caPem, cert: options.client.certPem, key: options.client.keyPem } });

  const post = async (path: string, body: string) => {
    const base = adapterUrl();
    if (!base) throw new RangeError('sacp simulator: the adapter is not listening yet');
    const response = await request(`${base}${path}`, { method: 'POST', dispatcher: agent, headers: { 'content-type': JSON_TYPE }, body });
    return { status: response.statusCode, text: await response.body.text() };
  };
  /** Calls back until the adapter takes the confirmation (it answers 503 while the gateway cannot). */
  const callBack = async (confirmation: object) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = await post('/receipts', JSON.stringify(confirmation)).catch(() => ({ status: 0, text: '' }));
      if (answer.status > 0 && answer.status < 500) return;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  };

  const host = await serveHttps({
    tls: options.server, clients: chainOnly,
    async handle(req) {
      if (req.method !== 'POST' || req.path !== '/api/v2/notifications') return { status: 404 };
      if (failure) {
        const kind = failure;
        failure = undefined;
        return kind === 'busy' ? { status: 503, headers: { 'retry-after': '1' } } : { status: 422, contentType: JSON_TYPE, body: '{"errorCode":"VALIDATION"}' };
      }
      let notification: Record<string, unknown>;
      try {
        notification = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return { status: 400, contentType: JSON_TYPE, body: '{"errorCode":"MALFORMED"}' };
      }
      const id = notification.notificationId;
      const callback = notification.callback as { deliveryRef?: string; envelopeDigest?: string } | undefined;
      if (typeof id !== 'string' || !callback?.deliveryRef) return { status: 400, contentType: JSON_TYPE, body: '{"errorCode":"VALIDATION"}' };
      if (!notifications.has(id)) {
        notifications.set(id, notification);
        taken.push(id);
      }
      // Registration is confirmed later, by a call back to the adapter.
      const confirmation = { deliveryRef: callback.deliveryRef, envelopeDigest: callback.envelopeDigest, status: 'REGISTERED', registeredAt: new Date().toISOString() };
      if (callbacks) setTimeout(() => void callBack(confirmation), 10);
      else held.push(confirmation);
      return { status: 202, contentType: JSON_TYPE, body: JSON.stringify({ trackingId: `DAZD-${taken.indexOf(id) + 1}` }) };
    },
  });

  return {
    get endpoint() {
      return `${host.url}/api/v2/notifications`;
    },
    notifications,
    taken: () => taken,
    failNext(kind) {
      failure = kind;
    },
    intakeAt(url) {
      adapterUrl = url;
    },
    callBack(enabled) {
      callbacks = enabled;
      if (enabled) for (const confirmation of held.splice(0)) void callBack(confirmation);
    },
    async send(document) {
      const answer = await post('/notifications', document.body);
      return sendAnswer(answer.status, answer.text);
    },
    start: () => host.start(),
    stop: () => host.stop(),
    async close() {
      await host.stop();
      await agent.close();
    },
  };
}
