import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import SignInPage from '../../web/staff/SignInPage.svelte';
import { addressRateLimit, clientAddress, retryAfterMs } from '../http/address-rate-limit.js';
import { signedDoubleSubmit } from '../http/double-submit-csrf.js';
import { allStaff } from '../http/staff-access.js';
import { sendPage } from '../pages/send-page.js';
import { clientTag, signIn, signOut, tooManyAttemptsMessage } from '../security/staff-sessions.js';
import { sessionCookieOptions, sessionEndedMessage, staffCookies, staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { sendStaffNotice } from '../staff/staff-pages.js';

/** How long a sign-in page's form stays usable. */
export const signInFormMaxAgeMs = 60 * 60_000;

/**
 * Sign-in POSTs per client address, in front of the per-email and per-address failure limits: every
 * refused attempt writes an audit row and costs an argon2 hash, so a flood from one address is stopped
 * before that. Above the failure limit (20 failures in 15 minutes), so that one is the one people meet.
 */
export const signInRequestLimit = { limit: 30, windowMs: 15 * 60_000 } as const;

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
 * other (requireRole checks its token). The security module (server/security/staff-sessions.ts) checks
 * passwords, keeps the database-backed limit and writes the audit log; passwords go nowhere else.
 */
export const staffSessionRoutes = ({ stores, key, now, policy, requireRole }: StaffRouteDependencies) => {
  const db = stores.identifiable;
  const signInForm = signedDoubleSubmit({ key, cookie: staffCookies.signIn, path: staffPaths.signIn, maxAgeMs: signInFormMaxAgeMs, now });

  /** The form, always with a fresh double-submit cookie and token. The password is never put back. */
  const renderSignIn = (c: Context, status: ContentfulStatusCode, state: FormState = {}) =>
    sendPage(c, SignInPage, { action: staffPaths.signIn, csrf: signInForm.issue(c), email: state.email ?? '', errors: state.errors ?? {}, summary: state.summary ?? [], notice: state.notice }, status);

  const tooMany = (c: Context, waitMs: number, email?: string) => {
    c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
    return renderSignIn(c, 429, { email, ...problems([{ field: 'email', message: tooManyAttemptsMessage(waitMs) }]) });
  };

  return new Hono<StaffEnv>()
    .get('/sign-in', requireRole('public'), (c) => {
      const ended = c.req.query('ended');
      return renderSignIn(c, 200, { notice: ended === 'idle' || ended === 'absolute' ? sessionEndedMessage(ended, policy) : undefined });
    })
    .post(
      '/sign-in',
      requireRole('public'),
      addressRateLimit((c) => tooMany(c, retryAfterMs(c, now())), { name: 'staff-sign-in', ...signInRequestLimit, db: stores.identifiable, key, now }),
      signInForm.protect((c) =>
        renderSignIn(c, 403, problems([{ field: 'email', message: 'The sign-in page had expired. Enter your email address and password again.' }])),
      ),
      async (c) => {
        const body = await c.req.parseBody();
        const email = typeof body.email === 'string' ? body.email.trim() : '';
        const password = typeof body.password === 'string' ? body.password : '';
        const found: { field: string; message: string }[] = [];
        if (!email) found.push({ field: 'email', message: 'Enter your email address' });
        else if (email.length > 320 || !emailShape.test(email)) found.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' });
        if (!password) found.push({ field: 'password', message: 'Enter your password' });
        if (found.length > 0) return renderSignIn(c, 400, { email, ...problems(found) });

        const address = clientAddress(c);
        const result = await signIn(db, {
          email,
          password,
          client: address === undefined ? undefined : clientTag(key, address),
          // Whatever session token the browser holds ends here: the new session gets a new token.
          previousToken: getCookie(c, staffCookies.session),
          now: now(),
          policy,
        });
        if (!result.ok) {
          if (result.reason === 'rate-limited') return tooMany(c, result.retryAfterMs, email);
          // One message whatever was wrong (unknown email, wrong password, disabled account).
          return renderSignIn(c, 400, { email, ...problems([{ field: 'email', message: result.message }]) });
        }
        signInForm.clear(c);
        setCookie(c, staffCookies.session, result.token, sessionCookieOptions());
        return c.redirect(staffPaths.home, 303);
      },
    )
    .post('/sign-out', requireRole(...allStaff), async (c) => {
      await signOut(db, c.get('staffToken'), now());
      deleteCookie(c, staffCookies.session, { path: staffPaths.home, secure: true, httpOnly: true, sameSite: 'Strict' });
      return sendStaffNotice(c, 200, {
        title: 'You have signed out',
        paragraphs: ['Your session has ended on this device. If you use a shared computer, close the browser too.'],
        link: { href: staffPaths.signIn, text: 'Sign in again' },
      });
    });
};
