import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import FirstAdminPage from '../../web/staff/FirstAdminPage.svelte';
import { pathTo } from '../http/route-paths.js';
import type { FieldProblem } from '../pages/field-problems.js';
import { formErrors } from '../pages/field-problems.js';
import { sendPage } from '../pages/send-page.js';
import { londonTime } from '../staff/london-time.js';
import { staffCookies, staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { signedDoubleSubmit } from '../http/double-submit-csrf.js';
import { firstRunLifetimeMs } from '../staff/first-run-setup.js';
import { sendStaffNotice } from '../staff/staff-pages.js';
import { countStaffUsers } from '../storage/staff-user-store.js';
import { addAccount } from './account-changes.js';

/**
 * `/staff/setup/:token`: the first-run setup page (public: nobody can sign in yet). It opens only with the
 * link the server printed at start (staff/first-run-setup.ts), and only while no staff account exists; the
 * account it makes is an administrator, audited as `staff.user.add` via "first-run setup". The secret is
 * in the address, so the page is sent uncompressed and never linked from anywhere.
 */
export const setupPages = ({ stores, key, now, firstRun }: StaffRouteDependencies) => {
  const db = stores.identifiable;
  // Like the sign-in form's: nobody is signed in, so the token is a signed cookie and the form's copy.
  const setupForm = signedDoubleSubmit({ key, cookie: staffCookies.setup, path: '/staff/setup', maxAgeMs: firstRunLifetimeMs, now });
  const tokenOf = (c: Context) => c.req.param('token') ?? '';

  const unusable = (c: Context) =>
    sendStaffNotice(
      c,
      404,
      {
        title: 'This setup link does not work',
        paragraphs: [
          'A setup link works once, for an hour after the server printed it, and only until the first staff account exists. A restart of the server prints a new one while there is no account.',
          'You can also create an administrator on the command line: npm run cli -- user add --role admin --email you@example.org',
        ],
        link: { href: staffPaths.signIn, text: 'Go to staff sign-in' },
      },
      { reflectsRequest: true },
    );

  const exists = (c: Context, status: ContentfulStatusCode) =>
    sendStaffNotice(c, status, {
      title: 'An administrator exists already',
      paragraphs: ['This platform has a staff account, so the setup page is closed. Sign in, or ask an administrator to add your account.'],
      link: { href: staffPaths.signIn, text: 'Go to staff sign-in' },
    });

  const render = (c: Context, status: ContentfulStatusCode, values: Readonly<Record<string, string>> = {}, problems: readonly FieldProblem[] = []) =>
    sendPage(
      c,
      FirstAdminPage,
      {
        action: pathTo(staffPaths.setup, { token: tokenOf(c) }),
        csrf: setupForm.issue(c),
        expires: londonTime(firstRun!.expiresAt).text,
        values,
        ...formErrors(problems),
      },
      status,
      // The address holds the link's secret; the page repeats it in the form's action.
      { reflectsRequest: true },
    );

  return {
    protect: setupForm.protect((c) =>
      sendStaffNotice(c, 403, {
        title: 'This form has expired',
        paragraphs: ['The page was out of date or came from another site. Nothing was changed. Open the setup link again.'],
      }),
    ),
    form: async (c: Context) => {
      if (!firstRun?.opens(tokenOf(c), now())) return unusable(c);
      if ((await countStaffUsers(db)) > 0) return exists(c, 409);
      return render(c, 200);
    },
    create: async (c: Context) => {
      if (!firstRun?.opens(tokenOf(c), now())) return unusable(c);
      if ((await countStaffUsers(db)) > 0) return exists(c, 409);
      const body = await c.req.parseBody();
      const typed = { email: typeof body.email === 'string' ? body.email : '', password: body.password, confirm: body.confirm };
      // Used up before the account is made, in one step: two forms sent together cannot both make one.
      if (!firstRun.take(tokenOf(c), now())) return unusable(c);
      let added;
      try {
        added = await addAccount(db, { ...typed, role: 'admin' }, { actor: null, via: 'first-run setup', now: now() });
      } catch (error) {
        // No account was made (the store failed): the link still works, for a second try.
        firstRun.giveBack();
        throw error;
      }
      if (!added.ok) {
        firstRun.giveBack();
        return render(c, 400, { email: typed.email }, added.problems);
      }
      return c.redirect(`${staffPaths.signIn}?setup=done`, 303);
    },
  };
};
