import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { resumeStaffSession } from './staff-sessions.js';
import { sameText } from '../security/tokens.js';
import { dashboardPaths } from './dashboard-paths.js';
import { staffCookies, staffPaths, type Audience, type RequireRole, type StaffDependencies, type StaffEnv } from './staff-context.js';

export type { Audience, RequireRole };
import { formExpired, notAllowed, notSignedIn } from './staff-pages.js';
import type { StaffRole } from '../storage/staff-user-store.js';
import { csrfToken, fromAnotherSite, sentCsrfToken } from '../http/csrf-protection.js';

/**
 * Access control, declared once per route. A staff route says who may use it where it is mounted, with
 * `requireRole(...roles)`; the routes outside /staff (the questionnaire, invitation links, the
 * respondent's parts) are listed below with the credential that opens them. `routeAccessOf(app)` is the
 * whole table, read from the app itself. The route-access test (test/server/route-access.test.ts)
 * enumerates the app's routes and fails on a route that declares nobody, and on any request whose outcome
 * (allowed, 401, 403) differs from the table for any role.
 */

export const allStaff: readonly StaffRole[] = ['admin', 'analyst', 'researcher'];

export interface RouteAccess {
  /** As Hono lists it in `app.routes`: `GET`, `POST`, or `ALL` for middleware mounted with `use`. */
  readonly method: 'GET' | 'POST' | 'ALL';
  /** Hono's pattern, as in `app.routes`. */
  readonly path: string;
  /** Who may use it with a staff session or none: roles, or `['public']`. Empty: no staff session opens it. */
  readonly roles: readonly Audience[];
  /** A respondent route: the credential that opens it instead (its own routes check it). */
  readonly opensWith?: 'respondent-session' | 'part-two-pass';
}

const route = (method: RouteAccess['method'], path: string, ...roles: Audience[]): RouteAccess => ({ method, path, roles });
/** `/survey`: opened by the session an invitation link starts; no staff role opens it. */
const respondent = (method: RouteAccess['method'], path: string): RouteAccess => ({ method, path, roles: [], opensWith: 'respondent-session' });
/** `/part-two`: opened by the part-two pass only; no staff role opens it. */
const partTwo = (method: RouteAccess['method'], path: string): RouteAccess => ({ method, path, roles: [], opensWith: 'part-two-pass' });

/**
 * Who may use each route outside /staff (whose routes declare their roles with `requireRole`). Adding
 * such a route without a line here fails the route-access test: each route is a decision.
 */
export const openRouteAccess: readonly RouteAccess[] = [
  // Every response: security headers and the body limit. No access rule of its own.
  route('ALL', '/*', 'public'),
  route('GET', '/', 'public'),
  // Published definitions and the pages' own styles and script: public, like the questionnaire.
  route('GET', '/api/definitions', 'public'),
  route('GET', '/api/definitions/:id/:version', 'public'),
  route('GET', '/assets/:name', 'public'),
  // Invitation links: the secret in the path is the credential (rate-limited per address).
  route('GET', '/i/problem/:problem', 'public'),
  route('GET', '/i/:secret', 'public'),

  // Part one: an invitation session, never a staff one. Submitting it issues the part-two pass.
  respondent('ALL', '/survey/*'),
  respondent('GET', '/survey'),
  respondent('GET', '/survey/part-one'),
  respondent('GET', '/survey/part-one/check'),
  respondent('POST', '/survey/part-one/submit'),
  respondent('GET', '/survey/part-one/done'),
  respondent('GET', '/survey/part-one/:section'),
  respondent('POST', '/survey/part-one/:section'),
  respondent('POST', '/survey/sign-out'),

  // Part two: the part-two pass only, never a staff session (staff must not be able to see a draft).
  // Its private code, typed or as a link, gives the pass back: the code is the credential.
  route('GET', '/part-two/resume', 'public'),
  route('POST', '/part-two/resume', 'public'),
  route('GET', '/part-two/resume/:code', 'public'),
  // Leaving removes the survey's cookies: with the pass or without (a resume page), each form signed.
  route('POST', '/part-two/leave', 'public'),
  partTwo('ALL', '/part-two/*'),
  partTwo('GET', '/part-two'),
  partTwo('GET', '/part-two/check'),
  partTwo('POST', '/part-two/submit'),
  partTwo('GET', '/part-two/done'),
  partTwo('GET', '/part-two/:section'),
  partTwo('POST', '/part-two/:section'),
];

/**
 * What each role can do, for the staff home page; a test checks each area's page is mounted for the
 * same roles.
 */
export const staffAreas: readonly { title: string; description: string; roles: readonly StaffRole[]; href: string }[] = [
  {
    title: 'Response rates',
    description: 'Progress of each wave: which councils have been invited and have answered part one; part two as a total only.',
    roles: ['admin'],
    href: staffPaths.waves,
  },
  {
    title: 'Tables, charts and wave comparisons',
    description: 'Every table of the report for a wave with its chart, changes between waves, downloads and a draft report.',
    roles: ['admin', 'analyst'],
    href: dashboardPaths.list,
  },
  {
    title: 'Research downloads',
    description: 'Part two of a wave after disclosure control, with its codebook, and the published tables.',
    roles: ['admin', 'researcher'],
    href: dashboardPaths.research,
  },
  {
    title: 'Waves, rosters and invitations',
    description: 'Create waves, open and close them to answers, load rosters and issue invitation links.',
    roles: ['admin'],
    href: staffPaths.waves,
  },
  { title: 'Staff accounts', description: 'Add accounts, change their roles, disable and re-enable them.', roles: ['admin'], href: staffPaths.users },
  {
    title: 'Audit log',
    description: 'Sign-ins, changes to waves, rosters, invitations and accounts, downloads and views of identifiable data: who and when.',
    roles: ['admin'],
    href: staffPaths.audit,
  },
];

/** The name `requireRole` gives its middleware, as hono/dev's inspectRoutes lists it. */
export const requireRoleName = (roles: readonly Audience[]): string => `requireRole(${[...roles].sort().join(',')})`;

/** Each middleware `requireRole` made, with the roles it lets in: how the table is read from the app. */
const guards = new WeakMap<object, readonly Audience[]>();

/**
 * Every route of `app` and who may use it: the staff routes as their `requireRole` declares them, the
 * others from `openRouteAccess`. A staff route mounted without `requireRole` appears with no roles, so
 * nobody is expected to get in (and the route-access test says it declares nobody).
 */
export const routeAccessOf = (app: { readonly routes: readonly { method: string; path: string; handler: unknown }[] }): RouteAccess[] => {
  const declared = new Map<string, RouteAccess>();
  for (const entry of openRouteAccess) declared.set(`${entry.method} ${entry.path}`, entry);
  for (const { method, path, handler } of app.routes) {
    const key = `${method} ${path}`;
    const roles = typeof handler === 'object' || typeof handler === 'function' ? guards.get(handler as object) : undefined;
    if (roles) declared.set(key, { method: method as RouteAccess['method'], path, roles });
    else if (!declared.has(key) && (path === staffPaths.home || path.startsWith(`${staffPaths.home}/`)))
      declared.set(key, { method: method as RouteAccess['method'], path, roles: [] });
  }
  return [...declared.values()];
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * THE middleware factory of staff access: `requireRole('admin', 'analyst')` lets through a request
 * with a live staff session of one of those roles, `requireRole('public')` anyone. Otherwise:
 * - no session (or an unknown one, or a disabled account): a 401 page with a link to sign in;
 * - a session that timed out: 303 to the sign-in page, which says why (`?ended=idle|absolute`);
 * - the wrong role: a 403 page;
 * - a form (any method but GET/HEAD/OPTIONS) without the token derived from the session, or sent
 *   from another site: a 403 page. So no signed-in form can forget its CSRF check.
 * A request that gets through counts as activity (the idle timeout starts again).
 */
export const staffGuard = ({ stores, key, now, policy }: StaffDependencies): { requireRole: RequireRole } => {
  const db = stores.identifiable;
  const requireRole: RequireRole = (...roles) => {
    if (roles.length === 0) throw new Error('requireRole needs at least one role (or "public")');
    if (roles.includes('public') && roles.length > 1) throw new Error('requireRole("public") lets anyone in: give it alone');
    const allowed = new Set<Audience>(roles);
    const middleware: MiddlewareHandler<StaffEnv> = allowed.has('public')
      ? async (_c, next) => next()
      : async (c, next) => {
          const token = getCookie(c, staffCookies.session);
          if (!token) return notSignedIn(c);
          const check = await resumeStaffSession(db, token, { now: now(), policy });
          if (!check.ok) {
            deleteCookie(c, staffCookies.session, { path: staffPaths.home, secure: true, httpOnly: true, sameSite: 'Strict' });
            if (check.reason === 'idle' || check.reason === 'absolute') return c.redirect(`${staffPaths.signIn}?ended=${check.reason}`, 303);
            return notSignedIn(c, { sessionEnded: true });
          }
          c.set('staff', check.session);
          c.set('staffToken', token);
          if (!allowed.has(check.session.user.role)) return notAllowed(c, key);
          if (!safeMethods.has(c.req.method)) {
            if (fromAnotherSite(c)) return formExpired(c, key);
            const sent = await sentCsrfToken(c);
            if (!sameText(sent, csrfToken(key, token))) return formExpired(c, key);
          }
          return next();
        };
    guards.set(middleware, [...roles]);
    return Object.defineProperty(middleware, 'name', { value: requireRoleName(roles) });
  };
  return { requireRole };
};
