import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { resumeStaffSession } from './staff-sessions.js';
import { staffCookies, staffPaths, type Audience, type RequireRole, type StaffDependencies, type StaffEnv } from './staff-context.js';

export type { Audience, RequireRole };
import { formExpired, notAllowed, notSignedIn } from './staff-pages.js';
import type { StaffRole } from '../storage/staff-user-store.js';
import { csrfTokenMatches, fromAnotherSite, sentCsrfToken } from '../http/csrf-protection.js';

export const allStaff: readonly StaffRole[] = ['admin', 'analyst', 'researcher'];

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
    href: staffPaths.dashboards,
  },
  {
    title: 'Research downloads',
    description: 'Part two of a wave after disclosure control, with its codebook, and the published tables.',
    roles: ['admin', 'researcher'],
    href: staffPaths.research,
  },
  {
    title: 'Waves, rosters and invitations',
    description: 'Create waves, open and close them to answers, load rosters and issue invitation links.',
    roles: ['admin'],
    href: staffPaths.waves,
  },
  {
    title: 'Messages to councils',
    description: 'The wording of the invitation and reminder emails, with a preview.',
    roles: ['admin'],
    href: staffPaths.messages,
  },
  {
    title: 'Survey definitions',
    description: 'Each version of the questionnaire, to preview as respondents will see it.',
    roles: ['admin', 'analyst'],
    href: staffPaths.definitions,
  },
  {
    title: 'Privacy notice',
    description: 'The notice respondents read about how their information is used and kept, and their rights.',
    roles: ['admin'],
    href: staffPaths.privacyNotice,
  },
  {
    title: "A person's information",
    description: 'Everything held about a Chief Social Work Officer, to give it to them or erase it.',
    roles: ['admin'],
    href: staffPaths.people,
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
            if (!csrfTokenMatches(key, token, sent)) return formExpired(c, key);
          }
          return next();
        };
    return Object.defineProperty(middleware, 'name', { value: requireRoleName(roles) });
  };
  return { requireRole };
};
