/**
 * Routers that match paths exactly: case-sensitive and without a trailing slash, so
 * `/METRICS` or `/v1/participants/` is not served — a reverse proxy's rules on the exact
 * path cannot be walked around by spelling it differently.
 */
import express, { type Router } from 'express';

export const strictRouter = (): Router => express.Router({ caseSensitive: true, strict: true });
