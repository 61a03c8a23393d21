import { Hono, type Context, type Handler, type MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { declareRoute } from '../http/route-declarations.js';
import type { Audience, StaffEnv, StaffRouteDependencies } from './staff-context.js';
import { withWave, type WaveList } from './staff-pages.js';

/**
 * One staff route, declared once in its feature's route table: the method and the path (a pattern of
 * `staffPaths`, which links are built from), who may use it, what it writes to the audit log, and the
 * handler. The access table (`routeAccessOf`, server/http/route-declarations.ts) and the route-access test read these.
 */
export interface StaffRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly roles: readonly Audience[];
  /**
   * The audit actions a request may write: the views of identifiable data and the downloads the handler
   * writes, and the changes its use-case writes (shared with the command line). The audit test fails on a
   * request that writes an action its route does not declare, and on a GET declaring one that succeeds
   * without writing it.
   */
  readonly audit?: readonly string[];
  /** A check of the request's own, after the role's (the sign-in form's signed double submit). */
  readonly before?: MiddlewareHandler<StaffEnv>;
  readonly handler: Handler<StaffEnv>;
}

const pass: MiddlewareHandler<StaffEnv> = (_c, next) => next();
/** A handler is the last of its chain: nothing comes after it. */
const endOfChain = async () => {};

/**
 * A feature's routes as one Hono app, mounted at the root (the paths are whole): each behind
 * `requireRole` with its roles, and a route with `:wave` behind `withWave`, which resolves the wave once
 * (after the role check, so nobody learns which waves exist without the right to see them) and answers 404
 * with the way back to `waveList`.
 */
export const mountStaffRoutes = (
  { stores, key, requireRole }: StaffRouteDependencies,
  routes: readonly StaffRoute[],
  { waveList }: { waveList?: WaveList } = {},
): Hono<StaffEnv> => {
  const app = new Hono<StaffEnv>();
  const knownWave = withWave(stores, key, waveList);
  for (const route of routes) {
    // Each route its own function object, so two routes sharing a handler are still told apart; of one
    // parameter, so Hono (and hono/dev's inspectRoutes) take it for the handler, not a middleware.
    const handler = (c: Context<StaffEnv>) => route.handler(c, endOfChain);
    declareRoute({ roles: route.roles, ...(route.audit ? { audit: route.audit } : {}) }, handler);
    const checks: MiddlewareHandler<StaffEnv>[] = [...(/\/:wave(\/|$)/.test(route.path) ? [knownWave] : []), ...(route.before ? [route.before] : [])];
    app.on(route.method, route.path, requireRole(...route.roles), checks.length === 0 ? pass : every(...checks), handler);
  }
  return app;
};
