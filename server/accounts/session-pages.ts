import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import SignInPage from '../../web/staff/SignInPage.svelte';
import { clientAddress, countAddressRequest } from '../http/address-rate-limit.js';
import { signedDoubleSubmit } from '../http/double-submit-csrf.js';
import { sendPage } from '../pages/send-page.js';
import { clientTag, deviceCookieValue, recognisedDevice, signIn, signInWaitFor, signOut, tooManyAttemptsMessage } from '../staff/staff-sessions.js';
import { sessionCookieOptions, sessionEndedMessage, staffCookies, staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { sendStaffNotice } from '../staff/staff-pages.js';

/** How long a sign-in page's form stays usable. */
export const signInFormMaxAgeMs = 60 * 60_000;

/**
 * Password checks per client address, whatever their outcome: each costs an argon2 hash and a write, so
 * many from one address are stopped before that. Above the failure limit (20 failures in 15 minutes),
 * so that one is the one people meet. Only attempts that go on to a password check are counted: a form
 * refused before (expired, malformed, or made to wait) writes nothing.
 */
export const signInRequestLimit = { limit: 30, windowMs: 15 * 60_000 } as const;

/** How long a browser keeps its device cookie. */
export const deviceCookieMaxAgeMs = 365 * 24 * 60 * 60_000;

/**
 * The device cookie goes only to the sign-in form, never to a script or another site, and outlives
 * sign-out: it says this browser has signed in to the account before, which is all it is for.
 */
const deviceCookieOptions = () =>
  ({ path: staffPaths.signIn, httpOnly: true, secure: true, sameSite: 'Strict', maxAge: Math.floor(deviceCookieMaxAgeMs / 1000) }) as const;

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface FormState {
  readonly email?: string;
  readonly errors?: Readonly<Record<string, string>>;
  readonly summary?: readonly { field: string; message: string }[];
  readonly notice?: string;
}

const problems = (list: readonly { field: string; message: string }[]): FormState => ({
  errors: Object.fromEntries(list.map((p) => [p.field, p.message])),
  summary: list,
});

/**
 * `/staff/sign-in` and `/staff/sign-out`: the staff session. The sign-in form has no session to derive
 * a CSRF token from, so it carries a signed double-submit token; sign-out is a signed-in form like any
 * other (requireRole checks its token). The security module (server/staff/staff-sessions.ts) checks
 * passwords, keeps the database-backed limits and writes the audit log; passwords go nowhere else.
 * A successful sign-in also sets the device cookie, which exempts that browser's later attempts at the
 * same account from the delays other clients' failures cause.
 */
export const sessionPages = ({ stores, key, now, policy }: StaffRouteDependencies) => {
  const db = stores.identifiable;
  const signInForm = signedDoubleSubmit({ key, cookie: staffCookies.signIn, path: staffPaths.signIn, maxAgeMs: signInFormMaxAgeMs, now });

  /** The form, always with a fresh double-submit cookie and token. The password is never put back. */
  const renderSignIn = (c: Context, status: ContentfulStatusCode, state: FormState = {}) =>
    sendPage(
      c,
      SignInPage,
      {
        action: staffPaths.signIn,
        csrf: signInForm.issue(c),
        email: state.email ?? '',
        errors: state.errors ?? {},
        summary: state.summary ?? [],
        notice: state.notice,
      },
      status,
    );

  const tooMany = (c: Context, waitMs: number, email?: string) => {
    c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
    return renderSignIn(c, 429, { email, ...problems([{ field: 'email', message: tooManyAttemptsMessage(waitMs) }]) });
  };

  return {
    form: (c: Context<StaffEnv>) => {
      const ended = c.req.query('ended');
      const notice =
        ended === 'idle' || ended === 'absolute'
          ? sessionEndedMessage(ended, policy)
          : c.req.query('setup') === 'done'
            ? 'The first administrator account is made: sign in with it.'
            : undefined;
      return renderSignIn(c, 200, { notice });
    },
    /** The sign-in form's signed double submit, checked before the form is read. */
    protectSignIn: signInForm.protect((c) =>
      renderSignIn(c, 403, problems([{ field: 'email', message: 'The sign-in page had expired. Enter your email address and password again.' }])),
    ),
    signIn: async (c: Context<StaffEnv>) => {
      const body = await c.req.parseBody();
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const found: { field: string; message: string }[] = [];
      if (!email) found.push({ field: 'email', message: 'Enter your email address' });
      else if (email.length > 320 || !emailShape.test(email))
        found.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' });
      if (!password) found.push({ field: 'password', message: 'Enter your password' });
      if (found.length > 0) return renderSignIn(c, 400, { email, ...problems(found) });

      const address = clientAddress(c);
      const attempt = {
        email,
        client: address === undefined ? undefined : clientTag(key, address),
        device: recognisedDevice(key, getCookie(c, staffCookies.device), email),
        now: now(),
        policy,
      };
      // Refusals come first and cost reads only: an attempt that must wait is not even counted.
      const waitMs = await signInWaitFor(db, attempt);
      if (waitMs !== undefined) return tooMany(c, waitMs, email);
      const addressWaitMs = await countAddressRequest(c, { name: 'staff-sign-in', ...signInRequestLimit, db, key, now });
      if (addressWaitMs !== undefined) return tooMany(c, addressWaitMs, email);

      // Whatever session token the browser holds ends here: the new session gets a new token.
      const result = await signIn(db, { ...attempt, password, previousToken: getCookie(c, staffCookies.session) });
      if (!result.ok) {
        if (result.reason === 'rate-limited') return tooMany(c, result.retryAfterMs, email);
        // One message whatever was wrong (unknown email, wrong password, disabled account).
        return renderSignIn(c, 400, { email, ...problems([{ field: 'email', message: result.message }]) });
      }
      signInForm.clear(c);
      setCookie(c, staffCookies.session, result.token, sessionCookieOptions());
      // A new device cookie at every sign-in, bound to the account just signed in to.
      setCookie(c, staffCookies.device, deviceCookieValue(key, result.user.email), deviceCookieOptions());
      return c.redirect(staffPaths.home, 303);
    },
    signOut: async (c: Context<StaffEnv>) => {
      await signOut(db, c.get('staffToken'), now());
      deleteCookie(c, staffCookies.session, { path: staffPaths.home, secure: true, httpOnly: true, sameSite: 'Strict' });
      return sendStaffNotice(c, 200, {
        title: 'You have signed out',
        paragraphs: ['Your session has ended on this device. If you use a shared computer, close the browser too.'],
        link: { href: staffPaths.signIn, text: 'Sign in again' },
      });
    },
  };
};
