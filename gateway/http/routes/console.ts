/**
 * `/console`: the administrators' web console, static files built from `console/`. Behind the
 * same certificate check as `/v1` (a peer gateway, a revoked or unknown certificate gets no
 * page), with headers that keep it from being framed, from loading anything but its own files,
 * and from submitting forms anywhere: its only way out is `fetch` to this gateway's `/v1`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { GatewayError } from '../../errors.ts';
import { authenticate, type CertificateCheck } from '../authenticate.ts';

const HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The console's routes: the page at `/console`, its files under `/console/assets/`; `root` is the built console (`console/dist`). */
export function consoleRoutes(check: CertificateCheck, root: string): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  const guard = [
    authenticate(check),
    (_req: Request, res: Response, next: NextFunction) => {
      res.set(HEADERS);
      if (!existsSync(join(root, 'index.html'))) {
        throw new GatewayError('GW_ROUTE_NOT_FOUND', { detail: 'The console is not built on this server: run `npm run build:console` (npm start does it).' });
      }
      next();
    },
  ];
  router.get('/console', ...guard, (_req, res) => {
    res.set('Cache-Control', 'no-store').sendFile(join(root, 'index.html'));
  });
  // File names under assets/ carry their content hash: they never change.
  router.use('/console/assets', ...guard, express.static(join(root, 'assets'), { index: false, redirect: false, immutable: true, maxAge: '365d' }));
  return router;
}
