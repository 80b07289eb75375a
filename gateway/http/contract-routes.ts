/** Answers for what the contract does not serve: 405 with `Allow` on a known path, 404 elsewhere. */
import type { NextFunction, Request, Response, Router } from 'express';
import { listOperations, type OpenApiDocument } from '../../schemas/index.ts';
import { GatewayError } from '../errors.ts';

/** `/v1/exchanges/{id}` → `/v1/exchanges/:id` (Express path syntax). */
export const toExpressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** Registers the 405 answers for every contract path, then a 404 for everything else. */
export function mountContractFallbacks(router: Router, document: OpenApiDocument): void {
  const allowed = new Map<string, string[]>();
  for (const { method, path } of listOperations(document)) {
    allowed.set(path, [...(allowed.get(path) ?? []), method.toUpperCase()]);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    router.all(toExpressPath(path), (_req: Request, _res: Response, next: NextFunction) => {
      next(new GatewayError('GW_METHOD_NOT_ALLOWED', { detail: `Allowed: ${allow}.`, headers: { Allow: allow } }));
    });
  }
  router.use((_req: Request, _res: Response, next: NextFunction) => {
    next(new GatewayError('GW_ROUTE_NOT_FOUND', { detail: 'See /openapi.yaml for the routes this gateway serves.' }));
  });
}

/**
 * Maps a request path to the contract's template (`/v1/exchanges/{id}`), or `undefined` when
 * no route has that shape. Logs carry the template: a path segment typed by a careless
 * client can be an ID number.
 */
export function createRouteTemplates(document: OpenApiDocument): (path: string) => string | undefined {
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
  }));
  return (path) => templates.find((t) => t.pattern.test(path))?.template;
}
