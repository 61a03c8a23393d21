import { csrfToken } from '../../server/http/csrf-protection.js';
import { doubleSubmitCookieValue, doubleSubmitToken } from '../../server/http/double-submit-csrf.js';
import { routeAccessOf, type RouteAccess } from '../../server/http/route-declarations.js';
import { credentialCookie, newPendingNonce, partTwoCodeOf, resumePath } from '../../server/respondent/part-two-credential.js';
import { cookies as respondentCookies, sessionLifetimeMs } from '../../server/respondent/respondent-context.js';
import { findStaffSession } from '../../server/staff/staff-sessions.js';
import { staffCookies, staffPaths } from '../../server/staff/staff-context.js';
import { createSession, findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { WAVE_2 } from '../server/helpers.js';
import { CookieJar, titleOf } from '../server/respondent-helpers.js';
import { addStaff } from '../server/staff-helpers.js';
import { staffApp } from '../server/staff-web-helpers.js';

/**
 * The whole app over real stores for fuzzing: a roster and an open wave with an invitation, an account of
 * every role, and for each kind of user the cookies and CSRF token a legitimate client would send, so
 * hostile requests get past the guards to the handlers behind them.
 */

export const staffRoles = ['admin', 'analyst', 'researcher'] as const;
export type Principal = (typeof staffRoles)[number] | 'nobody' | 'respondent' | 'part-two';
export const principals: readonly Principal[] = [...staffRoles, 'nobody', 'respondent', 'part-two'];

/** Who the table lets through this route (a staff route's roles, or the respondent credential). */
export const openersOf = (entry: RouteAccess): Principal[] =>
  entry.roles.includes('public')
    ? ['nobody']
    : entry.opensWith === 'respondent-session'
      ? ['respondent']
      : entry.opensWith === 'part-two-pass'
        ? ['part-two']
        : staffRoles.filter((r) => entry.roles.includes(r));

/** The app's endpoints (not the catch-all middleware lines), each with a method a client can send. */
export const endpointsOf = (app: Parameters<typeof routeAccessOf>[0]) =>
  routeAccessOf(app)
    .filter((e) => !e.path.endsWith('*'))
    .flatMap((e) =>
      e.method === 'ALL'
        ? [
            { ...e, method: 'GET' as const },
            { ...e, method: 'POST' as const },
          ]
        : [e],
    );

export type Endpoint = ReturnType<typeof endpointsOf>[number];

/** Tables whose rows a refused request may add: records of the refusal itself, and sessions. */
const bookkeeping = new Set([
  'audit_event',
  'sign_in_attempt',
  'rate_limit',
  'staff_session',
  'respondent_session',
  'kysely_migration',
  'kysely_migration_lock',
]);

export const fuzzHarness = async (stores: Stores) => {
  const t = staffApp(stores);
  await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
  await setWaveStatus(stores.identifiable, WAVE_2, 'open');
  const secret = await issueInvitation(stores.identifiable, WAVE_2, 'fife');
  const invitation = (await findInvitationBySecret(stores.identifiable, secret))!;
  // A code as submitting part one issues it (the route that does so is exercised by the respondent tests).
  const credential = partTwoCodeOf(t.key, WAVE_2, newPendingNonce());
  for (const role of staffRoles) await addStaff(stores, `${role}@example.org`, role);
  const tokens = new Map<Principal, string>();
  let signIns = 0;

  /** A live session of this role, signed in through the real form (again, if a fuzzed request ended it). */
  const staffToken = async (role: (typeof staffRoles)[number]) => {
    // A fuzzed admin form may have changed this account's role or disabled it: put it back as it was.
    const email = `${role}@example.org`;
    await stores.identifiable.updateTable('staff_user').set({ disabled: 0, role }).where('email', '=', email).execute();
    await stores.identifiable.deleteFrom('sign_in_attempt').where('email', '=', email).execute();
    const known = tokens.get(role);
    if (known && (await findStaffSession(stores.identifiable, known, { now: t.clock.now }))) return known;
    const jar = new CookieJar();
    // From an address of its own: fuzzed sign-ins may have used up the per-address limit of another.
    const sent = await t.signIn(jar, email, undefined, { address: `10.0.${tokens.size}.${++signIns % 250}` });
    if (sent.status !== 303) throw new Error(`could not sign in as ${role}: ${sent.status} ${titleOf(sent.html)}`);
    tokens.set(role, jar.value(staffCookies.session)!);
    return tokens.get(role)!;
  };

  /** The cookies and form token a legitimate client of `who` would send to `path`. */
  const credentialsOf = async (who: Principal, path: string): Promise<{ cookies: string[]; csrf: string }> => {
    const cookies: string[] = [];
    let csrf = '';
    if (who === 'respondent') {
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
    ] as const) {
      if (path.split('?')[0] !== form) continue;
      const value = doubleSubmitCookieValue(t.clock.now);
      cookies.push(`${cookie}=${value}`);
      csrf = doubleSubmitToken(t.key, value);
    }
    return { cookies, csrf };
  };

  /** Rows in every table of both stores but the bookkeeping ones: a refusal must leave these alone. */
  const dataCounts = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const [name, db] of [
      ['identifiable', stores.identifiable],
      ['anonymous', stores.anonymous],
    ] as const) {
      for (const table of await db.introspection.getTables()) {
        if (bookkeeping.has(table.name)) continue;
        const row = await (db as unknown as import('kysely').Kysely<Record<string, object>>)
          .selectFrom(table.name)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        counts[`${name}.${table.name}`] = Number(row.n);
      }
    }
    return counts;
  };

  return { ...t, credentialsOf, dataCounts, endpoints: endpointsOf(t.app) };
};
