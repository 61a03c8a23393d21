import type { Context, Hono } from 'hono';
import { inspectRoutes } from 'hono/dev';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { doubleSubmitCookieValue, doubleSubmitToken } from '../../server/http/double-submit-csrf.js';
import { routeAccessOf, type RouteAccess } from '../../server/http/route-declarations.js';
import { requireRoleName, staffAreas } from '../../server/staff/staff-access.js';
import { mountStaffRoutes } from '../../server/staff/staff-route-table.js';
import { credentialCookie, newPendingNonce, partTwoCodeOf, resumePath } from '../../server/respondent/part-two-credential.js';
import { cookies as respondentCookies, sessionLifetimeMs } from '../../server/respondent/respondent-context.js';
import { findStaffSession } from '../../server/staff/staff-sessions.js';
import { appendAuditEvent, countAuditEvents, listAuditEvents } from '../../server/storage/audit-log-store.js';
import { randomToken } from '../../server/security/tokens.js';
import { staffCookies, staffPaths } from '../../server/staff/staff-context.js';
import { createSession, findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { CookieJar, formBody, stackTrace, titleOf } from './respondent-helpers.js';
import { addStaff } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Access control, checked against the table the routes declare (`routeAccessOf`): every route of the real
 * app (Hono's `app.routes`), for every role, with a real session signed in through POST /staff/sign-in, and
 * with no session. Fails on a route that declares nobody, on a staff route mounted without `requireRole` or
 * with other roles than it declares, on any unexpected allow or deny, and on a request that writes an audit
 * action its route does not declare (or a page declaring one that is shown without writing it).
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const staffRoles = ['admin', 'analyst', 'researcher'] as const;
/**
 * Who knocks: a staff role (signed in), nobody, a respondent with an invitation session (and the
 * invitation cookie), or a respondent with a part-two pass.
 */
type Principal = (typeof staffRoles)[number] | 'nobody' | 'respondent' | 'part-two';
const principals: readonly Principal[] = [...staffRoles, 'nobody', 'respondent', 'part-two'];

/** A value for each path parameter, so every pattern becomes an address. */
const examples: Record<string, string> = {
  id: 'cswo-annual',
  version: '2',
  name: 'survey.css',
  problem: 'not-valid',
  secret: randomToken(),
  section: 'about_you',
  definition: 'cswo-annual@2',
  draft: randomToken(),
  part: 'anonymous',
  reminder: 'part-one',
  message: 'invitation',
  token: randomToken(),
  wave: '2020-06',
  user: 'no-such-account',
  table: 'pressure',
  format: 'csv',
  // A code of the right shape that this server did not issue: the route is public, and says so either way.
  code: 'K7Q2M9XW4TAB3CDEF6GHJK8MN',
};

const concretePath = (pattern: string): string =>
  pattern
    .replace(/:([A-Za-z_]+)(\{[^}]*\})?\??/g, (_, name: string) => {
      if (!(name in examples)) throw new Error(`route-access.test.ts: add an example value for the path parameter :${name} (in ${pattern})`);
      return examples[name]!;
    })
    .replace(/\*$/, 'no-such-page');

const key = (method: string, path: string) => `${method} ${path}`;

type Outcome = 'allowed' | 401 | 403;

/** What the table says should happen. */
const expected = (entry: RouteAccess, who: Principal): Outcome => {
  if (entry.roles.includes('public')) return 'allowed';
  if (who === 'respondent') return entry.opensWith === 'respondent-session' ? 'allowed' : 401;
  if (who === 'part-two') return entry.opensWith === 'part-two-pass' ? 'allowed' : 401;
  if (who === 'nobody') return 401;
  if (entry.roles.includes(who)) return 'allowed';
  // A staff session is not the credential of a respondent route: its own guard says "no session".
  return entry.opensWith ? 401 : 403;
};

const isStaffPath = (path: string) => path === '/staff' || path.startsWith('/staff/');

/** The app over real stores: staff of every role, a roster with an open wave, and the requests each principal sends. */
const harness = async (stores: Stores, extend?: NonNullable<Parameters<typeof staffApp>[1]>['extend']) => {
  const t = staffApp(stores, { extend });
  await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
  await setWaveStatus(stores.identifiable, WAVE_2, 'open');
  const secret = await issueInvitation(stores.identifiable, WAVE_2, 'fife');
  const invitation = (await findInvitationBySecret(stores.identifiable, secret))!;
  // A code as submitting part one issues it (the route that does so is exercised by the respondent tests).
  const credential = partTwoCodeOf(t.key, WAVE_2, newPendingNonce());

  const emails = Object.fromEntries(staffRoles.map((r) => [r, `${r}@example.org`])) as Record<(typeof staffRoles)[number], string>;
  for (const role of staffRoles) await addStaff(stores, emails[role], role);
  const tokens = new Map<Principal, string>();

  /** A live session of this role, signed in through the real form (again, after a sign-out route ended it). */
  const staffToken = async (role: (typeof staffRoles)[number]) => {
    const known = tokens.get(role);
    if (known && (await findStaffSession(stores.identifiable, known, { now: t.clock.now }))) return known;
    const jar = new CookieJar();
    const sent = await t.signIn(jar, emails[role]);
    if (sent.status !== 303) throw new Error(`could not sign in as ${role}: ${sent.status} ${titleOf(sent.html)}`);
    const token = jar.value(staffCookies.session)!;
    tokens.set(role, token);
    return token;
  };

  /**
   * The request a legitimate client of this principal would send: its cookie (the staff cookie goes with
   * every request, whatever its path, as a forger could send it) and, for a form, the CSRF token the form
   * it came from would carry.
   */
  const request = async (app: Hono, who: Principal, method: 'GET' | 'POST', path: string, { withCsrf = true } = {}) => {
    const cookies: string[] = [];
    let csrf = '';
    if (who === 'respondent') {
      // A fresh session each time: one of the routes signs the respondent out.
      const session = await createSession(stores.identifiable, invitation.id, sessionLifetimeMs);
      cookies.push(`${respondentCookies.session}=${session}`);
      csrf = csrfToken(t.key, session);
    } else if (who === 'part-two') {
      cookies.push(`${respondentCookies.partTwo}=${credentialCookie(t.key, WAVE_2, credential)}`);
      csrf = csrfToken(t.key, credential);
    } else if (who !== 'nobody') {
      const token = await staffToken(who);
      cookies.push(`${staffCookies.session}=${token}`);
      csrf = csrfToken(t.key, token);
    }
    for (const [form, cookie] of [
      [staffPaths.signIn, staffCookies.signIn],
      [resumePath, respondentCookies.resumeForm],
      ['/part-two/leave', respondentCookies.leaveForm],
      [concretePath(staffPaths.setup), staffCookies.setup],
    ] as const) {
      if (method !== 'POST' || path !== form) continue;
      // The sign-in, part-two code, leave and first-run setup forms' signed double submit: its cookie and the HMAC of its value.
      const value = doubleSubmitCookieValue(t.clock.now);
      cookies.push(`${cookie}=${value}`);
      csrf = doubleSubmitToken(t.key, value);
    }
    const before = await countAuditEvents(stores.identifiable);
    const response = await app.request(path, {
      method,
      headers: {
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST' ? { body: formBody(withCsrf ? { _csrf: csrf } : {}) } : {}),
    });
    const html = await response.text();
    const audited = (await listAuditEvents(stores.identifiable)).slice(before).map((e) => e.action);
    return { status: response.status, html, audited };
  };

  /** Every problem with the app's access control against the table, as sentences; empty when all is well. */
  const audit = async (app: Hono, table: readonly RouteAccess[]): Promise<string[]> => {
    const found: string[] = [];
    const routes = inspectRoutes(app);
    const inApp = new Set(routes.map((r) => key(r.method, r.path)));
    const inTable = new Map(table.map((e) => [key(e.method, e.path), e]));
    for (const route of inApp) if (!inTable.has(route)) found.push(`${route} is not in the table: decide who may use it`);
    for (const entry of inTable.keys()) if (!inApp.has(entry)) found.push(`${entry} is in the table but not in the app`);
    // A staff route declares its roles where it is mounted; one that declares none lets nobody decide.
    for (const entry of table)
      if (entry.roles.length === 0 && !entry.opensWith)
        found.push(`${key(entry.method, entry.path)} declares nobody: declare it in its feature's route table (or with declareRoute)`);

    // Every staff endpoint is mounted through requireRole, once, with the table's roles.
    for (const entry of table.filter((e) => isStaffPath(e.path) && inApp.has(key(e.method, e.path)))) {
      const mounted = routes.filter((r) => r.method === entry.method && r.path === entry.path);
      if (mounted.every((r) => r.isMiddleware)) continue;
      const guards = mounted.filter((r) => r.name.startsWith('requireRole('));
      if (guards.length !== 1) found.push(`${key(entry.method, entry.path)} is mounted with ${guards.length} requireRole middlewares, not 1`);
      else if (guards[0]!.name !== requireRoleName(entry.roles))
        found.push(`${key(entry.method, entry.path)} is mounted with ${guards[0]!.name}, the table says ${requireRoleName(entry.roles)}`);
    }

    // What each principal actually gets.
    for (const entry of table.filter((e) => inApp.has(key(e.method, e.path)))) {
      const path = concretePath(entry.path);
      for (const method of entry.method === 'ALL' ? (['GET', 'POST'] as const) : [entry.method]) {
        for (const who of principals) {
          const want = expected(entry, who);
          const { status, html, audited } = await request(app, who, method, path);
          const label = `${method} ${path} (${key(entry.method, entry.path)}) as ${who}`;
          const declared = entry.audit ?? [];
          for (const action of audited)
            if (!declared.includes(action)) found.push(`${label}: wrote the audit action ${action}, which its route does not declare`);
          if (method === 'GET' && status === 200 && declared.length > 0 && !audited.some((a) => declared.includes(a)))
            found.push(`${label}: answered 200 without writing its audit action (${declared.join(' or ')})`);
          if (stackTrace.test(html)) found.push(`${label}: the response shows a stack trace`);
          const got: Outcome = status === 401 || status === 403 ? status : 'allowed';
          if (got !== want) {
            found.push(`${label}: expected ${want === 'allowed' ? 'to be allowed' : `a ${want}`}, got ${status} (${titleOf(html) || html.slice(0, 60)})`);
            continue;
          }
          // A staff refusal is the staff page: a way to sign in, or the no-access page.
          if (isStaffPath(entry.path) && got === 401 && !html.includes(`href="${staffPaths.signIn}"`)) found.push(`${label}: the 401 page has no sign-in link`);
          if (isStaffPath(entry.path) && got === 403 && !titleOf(html).startsWith('You do not have access'))
            found.push(`${label}: the 403 is not the no-access page`);
        }
      }
    }
    return found;
  };

  return { ...t, request, audit };
};

describe('access control of every route', () => {
  it('every route of the app is in the table, staff routes are mounted with its roles, and each role gets exactly what it says', async () => {
    const h = await harness(await opener.openIn(tempDir()));
    const table = routeAccessOf(h.app);
    const problems = await h.audit(h.app, table);
    expect(problems).toEqual([]);
    expect(h.logged).toEqual([]);
    // The table covers what the test could see: nothing was skipped.
    expect(new Set(h.app.routes.map((r) => key(r.method, r.path))).size).toBe(table.length);
  });

  it('the staff home offers each area to exactly the roles its page is mounted for', async () => {
    const h = await harness(await opener.openIn(tempDir()));
    const table = routeAccessOf(h.app);
    for (const area of staffAreas) {
      const page = table.find((e) => e.method === 'GET' && e.path === area.href);
      expect([...(page?.roles ?? [])].sort(), area.title).toEqual([...area.roles].sort());
    }
  });

  it('every form route refuses a POST without its CSRF token, for everyone it lets in', async () => {
    const h = await harness(await opener.openIn(tempDir()));
    const forms = routeAccessOf(h.app).filter((e) => e.method === 'POST');
    expect(forms.length).toBeGreaterThan(0);
    for (const entry of forms) {
      for (const who of principals.filter((p) => expected(entry, p) === 'allowed')) {
        const { status } = await h.request(h.app, who, 'POST', concretePath(entry.path), { withCsrf: false });
        expect(status, `POST ${entry.path} without a CSRF token as ${who}`).toBe(403);
      }
    }
  });

  it('the check itself catches an unlisted route, a route missing requireRole, roles that differ from the table, a stale entry and undeclared audit', async () => {
    const stores = await opener.openIn(tempDir());
    const h = await harness(stores, (app, deps) => {
      const ok = (c: Context) => c.text('ok');
      app.route(
        '/',
        mountStaffRoutes(deps, [
          { method: 'GET', path: '/staff/admin-only', roles: ['admin'], handler: ok },
          { method: 'GET', path: '/staff/right', roles: ['admin', 'researcher'], handler: ok },
          // Audit: one route writes an action it does not declare, one declares an action it never writes.
          {
            method: 'GET',
            path: '/staff/writes-undeclared',
            roles: ['admin'],
            handler: async (c) => {
              await appendAuditEvent(stores.identifiable, { actor: null, action: 'secret.view', detail: {} });
              return c.text('ok');
            },
          },
          { method: 'GET', path: '/staff/forgets-audit', roles: ['admin'], audit: ['identifiable.view'], handler: ok },
        ]),
      );
      app.get('/staff/unguarded', ok);
    });
    const read = routeAccessOf(h.app);
    // The table as the app declares it reads the new routes' roles from their declarations ...
    expect(read.find((e) => e.path === '/staff/right')?.roles).toEqual(['admin', 'researcher']);
    expect(read.find((e) => e.path === '/staff/unguarded')?.roles).toEqual([]);
    // ... and the check finds what a table that differs from the app would hide.
    const table: RouteAccess[] = [
      ...read
        .filter((e) => !(e.method === 'GET' && e.path === '/'))
        .map((e) => (e.path === '/staff/admin-only' ? { ...e, roles: ['admin', 'analyst'] as const } : e)),
      { method: 'GET', path: '/staff/gone', roles: ['admin'] },
    ];
    const problems = await h.audit(h.app, table);
    expect(problems.sort()).toEqual(
      [
        'GET / is not in the table: decide who may use it',
        'GET /staff/gone is in the table but not in the app',
        'GET /staff/admin-only is mounted with requireRole(admin), the table says requireRole(admin,analyst)',
        'GET /staff/admin-only (GET /staff/admin-only) as analyst: expected to be allowed, got 403 (You do not have access to this page – CSWO survey – Social Work Scotland)',
        "GET /staff/unguarded declares nobody: declare it in its feature's route table (or with declareRoute)",
        'GET /staff/writes-undeclared (GET /staff/writes-undeclared) as admin: wrote the audit action secret.view, which its route does not declare',
        'GET /staff/forgets-audit (GET /staff/forgets-audit) as admin: answered 200 without writing its audit action (identifiable.view)',
        'GET /staff/unguarded is mounted with 0 requireRole middlewares, not 1',
        'GET /staff/unguarded (GET /staff/unguarded) as admin: expected a 403, got 200 (ok)',
        'GET /staff/unguarded (GET /staff/unguarded) as analyst: expected a 403, got 200 (ok)',
        'GET /staff/unguarded (GET /staff/unguarded) as researcher: expected a 403, got 200 (ok)',
        'GET /staff/unguarded (GET /staff/unguarded) as nobody: expected a 401, got 200 (ok)',
        'GET /staff/unguarded (GET /staff/unguarded) as respondent: expected a 401, got 200 (ok)',
        'GET /staff/unguarded (GET /staff/unguarded) as part-two: expected a 401, got 200 (ok)',
      ].sort(),
    );
  });
});
