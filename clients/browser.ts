/**
 * The typed client in a browser, for the web console: every route of `openapi.yaml` with its
 * types (openapi-fetch over the browser's fetch), on the page's own origin, where the browser
 * presents the user's client certificate itself. Imports nothing that needs Node.
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../schemas/generated/openapi.ts';

type StatusEvent = components['schemas']['StatusEvent'];

export { GatewayProblem, unwrap } from './problem.ts';

/** The browser client. */
export interface BrowserClient {
  readonly api: Client<paths>;
  /**
   * Follows an exchange's status events (history first, then as they happen); the browser
   * reconnects on its own from the last event seen. Returns the function that stops it.
   */
  follow(exchangeId: string, handlers: { onEvent(event: StatusEvent): void; onConnectionChange?(open: boolean): void }): () => void;
}

/** Builds the client for the gateway at `baseUrl` (default: the page's own origin). */
export function createBrowserClient(baseUrl = ''): BrowserClient {
  const api = createFetchClient<paths>({ baseUrl, credentials: 'same-origin', headers: { accept: 'application/json' } });
  return {
    api,
    follow(exchangeId, handlers) {
      const source = new EventSource(`${baseUrl}/v1/exchanges/${encodeURIComponent(exchangeId)}/events`);
      source.addEventListener('status', (event) => handlers.onEvent(JSON.parse((event as MessageEvent<string>).data) as StatusEvent));
      source.addEventListener('open', () => handlers.onConnectionChange?.(true));
      source.addEventListener('error', () => handlers.onConnectionChange?.(false));
      return () => source.close();
    },
  };
}
