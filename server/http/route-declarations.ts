import type { StaffRole } from '../storage/staff-user-store.js';

/**
 * Every route says who may use it where it is mounted, in its feature: a staff route in its feature's route
 * table (server/staff/staff-route-table.ts), a respondent route or a public one by wrapping its handler in
 * `declareRoute`. `routeAccessOf(app)` reads the whole table back from the app. The route-access test
 * (test/server/route-access.test.ts) enumerates the app's routes and fails on a route that declares nobody,
 * on any request whose outcome (allowed, 401, 403) differs from the table for any principal, and on a request
 * that writes an audit action its route does not declare.
 */

/** A staff role, or `public`: anyone, signed in or not. */
export type Audience = StaffRole | 'public';

/** The respondent's credentials: the session an invitation link starts, and the part-two pass. */
export type RespondentCredential = 'respondent-session' | 'part-two-pass';

export interface RouteDeclaration {
  /** Who may use it with a staff session or none: roles, or `['public']`. Empty: no staff session opens it. */
  readonly roles: readonly Audience[];
  /** A respondent route: the credential that opens it instead (its feature's middleware checks it). */
  readonly opensWith?: RespondentCredential;
  /**
   * The audit actions a request may write: the views of identifiable data and the downloads the handler
   * writes, and the changes its use-case writes (shared with the command line).
   */
  readonly audit?: readonly string[];
}

export interface RouteAccess extends RouteDeclaration {
  /** As Hono lists it in `app.routes`: `GET`, `POST`, or `ALL` for middleware mounted with `use`. */
  readonly method: 'GET' | 'POST' | 'ALL';
  /** Hono's pattern, as in `app.routes`. */
  readonly path: string;
}

const declarations = new WeakMap<object, RouteDeclaration>();

/** Marks a handler (or a middleware mounted with `use`) with who may use its route; returns it unchanged. */
export const declareRoute = <H extends object>(declaration: RouteDeclaration, handler: H): H => {
  declarations.set(handler, declaration);
  return handler;
};

/** Anyone may use it: the pages before any credential, and what every response goes through. */
export const publicRoute = <H extends object>(handler: H): H => declareRoute({ roles: ['public'] }, handler);

/** A route of the respondent's: no staff role opens it, only the credential (which its feature checks). */
export const respondentRoute = <H extends object>(opensWith: RespondentCredential, handler: H): H => declareRoute({ roles: [], opensWith }, handler);

export const declarationOf = (handler: unknown): RouteDeclaration | undefined =>
  typeof handler === 'function' || (typeof handler === 'object' && handler !== null) ? declarations.get(handler) : undefined;

/**
 * Every route of `app` and who may use it, from the declarations of its handlers. A route none of whose
 * handlers declares anything appears with no roles, so nobody is expected to get in (and the route-access
 * test says it declares nobody).
 */
export const routeAccessOf = (app: { readonly routes: readonly { method: string; path: string; handler: unknown }[] }): RouteAccess[] => {
  const table = new Map<string, RouteAccess>();
  for (const { method, path, handler } of app.routes) {
    const key = `${method} ${path}`;
    const declaration = declarationOf(handler);
    if (declaration) table.set(key, { method: method as RouteAccess['method'], path, ...declaration });
    else if (!table.has(key)) table.set(key, { method: method as RouteAccess['method'], path, roles: [] });
  }
  return [...table.values()];
};
