import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import ConfirmActionPage from '../../web/staff/ConfirmActionPage.svelte';
import EnableUserPage from '../../web/staff/EnableUserPage.svelte';
import NewUserPage from '../../web/staff/NewUserPage.svelte';
import UserPage from '../../web/staff/UserPage.svelte';
import UsersPage from '../../web/staff/UsersPage.svelte';
import { addAccount, changeAccountRole, disableAccount, enableAccount } from './account-changes.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage } from '../pages/send-page.js';
import { pathTo } from '../http/route-paths.js';
import { roleLabels, staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { londonDate } from '../staff/london-time.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';
import { findStaffUserById, listStaffUsers, staffRoles, type StaffRole, type StaffUser } from '../storage/staff-user-store.js';

const roleHints: Readonly<Record<StaffRole, string>> = {
  admin: 'Runs waves, rosters, invitations and accounts; sees who has answered part one, and the audit log.',
  analyst: 'Reads the tables and charts of every wave, with small numbers shown, and drafts the report.',
  researcher: 'Downloads part two after disclosure control, and the published tables.',
};

const withArticle: Readonly<Record<StaffRole, string>> = { admin: 'an administrator', analyst: 'an analyst', researcher: 'a researcher' };

const roleChoices = staffRoles.map((r) => ({ value: r, label: roleLabels[r], hint: roleHints[r] }));

const doneMessages = {
  added: (u: StaffUser) => `The account ${u.email} was added (${roleLabels[u.role].toLowerCase()}). Give the person the password in person or by phone.`,
  role: (u: StaffUser) => `${u.email} is now ${withArticle[u.role]}.`,
  disabled: (u: StaffUser) => `The account ${u.email} is disabled: it can no longer sign in, and its sessions have ended.`,
  enabled: (u: StaffUser) => `The account ${u.email} can sign in again with its new password. Give it to the person in person or by phone.`,
} as const;
type Done = keyof typeof doneMessages;

const listPath = (done: Done, user: StaffUser) => `${staffPaths.users}?done=${done}&user=${encodeURIComponent(user.id)}`;

const userPath = (user: Pick<StaffUser, 'id'>) => pathTo(staffPaths.user, { user: user.id });
const disablePath = (user: StaffUser) => pathTo(staffPaths.userDisable, { user: user.id });
const enablePath = (user: StaffUser) => pathTo(staffPaths.userEnable, { user: user.id });

/**
 * `/staff/users`: staff accounts (admins only). List, add (password typed twice, argon2id), change a
 * role, disable (after a confirmation page: a POST without `confirm` only shows that page), re-enable
 * with a new password; every change audited (server/accounts/account-changes.ts). An admin cannot change
 * or disable their own account, so there is always an administrator left.
 */
export const userPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const renderNew = (
    c: Context<StaffEnv>,
    status: ContentfulStatusCode,
    values: Readonly<Record<string, string>> = {},
    problems: readonly FieldProblem[] = [],
  ) =>
    sendPage(
      c,
      NewUserPage,
      {
        account: accountOf(c, key)!,
        action: staffPaths.users,
        csrf: csrfToken(key, c.get('staffToken')),
        roles: roleChoices,
        values,
        ...formErrors(problems),
        usersHref: staffPaths.users,
      },
      status,
    );

  const renderUser = (
    c: Context<StaffEnv>,
    user: StaffUser,
    status: ContentfulStatusCode,
    { role = user.role as string, problems = [] as readonly FieldProblem[] } = {},
  ) => {
    const yourOwn = user.id === c.get('staff').user.id;
    return sendPage(
      c,
      UserPage,
      {
        account: accountOf(c, key)!,
        user: { email: user.email, role: roleLabels[user.role], status: user.disabled ? 'disabled' : 'active', added: londonDate(user.createdAt) },
        roles: roleChoices,
        forms: yourOwn
          ? undefined
          : user.disabled
            ? { enableHref: enablePath(user) }
            : { roleAction: pathTo(staffPaths.userRole, { user: user.id }), disableHref: disablePath(user), csrf: csrfToken(key, c.get('staffToken')) },
        role,
        ...formErrors(problems),
        usersHref: staffPaths.users,
      },
      status,
    );
  };

  const noSuchUser = (c: Context<StaffEnv>) =>
    sendStaffNotice(c, 404, {
      title: 'Account not found',
      paragraphs: ['There is no staff account at this address. Choose an account from the list.'],
      link: { href: staffPaths.users, text: 'Go to the staff accounts' },
      account: accountOf(c, key),
    });

  /** A change to your own account, which the page never offers: only a hand-made request gets here. */
  const notYourOwn = (c: Context<StaffEnv>) =>
    sendStaffNotice(c, 422, {
      title: 'You cannot change your own account',
      paragraphs: ['Another administrator can change its role or disable it. Nothing was changed.'],
      link: { href: staffPaths.users, text: 'Go to the staff accounts' },
      account: accountOf(c, key),
    });

  const alreadyDisabled = (c: Context<StaffEnv>) =>
    sendStaffNotice(c, 422, {
      title: 'This account is disabled',
      paragraphs: ['A disabled account cannot sign in, so its role no longer matters. Nothing was changed.'],
      link: { href: staffPaths.users, text: 'Go to the staff accounts' },
      account: accountOf(c, key),
    });

  const confirmDisable = (c: Context<StaffEnv>, user: StaffUser) =>
    sendPage(c, ConfirmActionPage, {
      account: accountOf(c, key)!,
      label: 'Staff accounts',
      heading: `Disable the account ${user.email}?`,
      consequences: [
        `${user.email} can no longer sign in, and is signed out everywhere at once.`,
        'The account is kept, with everything it did in the audit log: accounts are never deleted.',
      ],
      warning: `The email address ${user.email} stays with this account: it can never be used for a new account. To let the person back in, an administrator re-enables this account and gives it a new password.`,
      form: { action: disablePath(user), csrf: csrfToken(key, c.get('staffToken')) },
      button: 'Disable account',
      cancel: { href: userPath(user), text: 'Cancel: keep the account as it is' },
    });

  const renderEnable = (c: Context<StaffEnv>, user: StaffUser, status: ContentfulStatusCode, problems: readonly FieldProblem[] = []) =>
    sendPage(
      c,
      EnableUserPage,
      {
        account: accountOf(c, key)!,
        user: { email: user.email, role: roleLabels[user.role] },
        form: { action: enablePath(user), csrf: csrfToken(key, c.get('staffToken')) },
        ...formErrors(problems),
        userHref: userPath(user),
      },
      status,
    );

  const notDisabled = (c: Context<StaffEnv>) =>
    sendStaffNotice(c, 422, {
      title: 'This account is not disabled',
      paragraphs: ['It can sign in already. Nothing was changed.'],
      link: { href: staffPaths.users, text: 'Go to the staff accounts' },
      account: accountOf(c, key),
    });

  const target = async (c: Context<StaffEnv>) => findStaffUserById(db, c.req.param('user') ?? '');

  return {
    list: async (c: Context<StaffEnv>) => {
      const users = await listStaffUsers(db);
      const done = c.req.query('done');
      const changed = users.find((u) => u.id === c.req.query('user'));
      return sendPage(c, UsersPage, {
        account: accountOf(c, key)!,
        users: users.map((u) => ({
          email: u.email,
          href: userPath(u),
          role: roleLabels[u.role],
          status: u.disabled ? 'disabled' : 'active',
          added: londonDate(u.createdAt),
        })),
        addHref: staffPaths.newUser,
        notice: changed && done && Object.hasOwn(doneMessages, done) ? doneMessages[done as Done](changed) : undefined,
      });
    },
    newForm: (c: Context<StaffEnv>) => renderNew(c, 200),
    add: async (c: Context<StaffEnv>) => {
      const body = await c.req.parseBody();
      const field = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
      const result = await addAccount(
        db,
        { email: field('email'), role: field('role'), password: field('password'), confirm: field('confirm') },
        { actor: c.get('staff').user.id, now: now() },
      );
      // The password is never put back into the page.
      if (!result.ok) return renderNew(c, result.reason === 'taken' ? 422 : 400, { email: field('email'), role: field('role') }, result.problems);
      return c.redirect(listPath('added', result.user), 303);
    },
    show: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      return user ? renderUser(c, user, 200) : noSuchUser(c);
    },
    changeRole: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      if (!user) return noSuchUser(c);
      if (user.id === c.get('staff').user.id) return notYourOwn(c);
      if (user.disabled) return alreadyDisabled(c);
      const role = (await c.req.parseBody()).role;
      if (typeof role !== 'string' || !(staffRoles as readonly string[]).includes(role)) {
        return renderUser(c, user, 400, { problems: [{ field: 'role', message: 'Choose the role the account should have' }] });
      }
      await changeAccountRole(db, user, role as StaffRole, { actor: c.get('staff').user.id, now: now() });
      return c.redirect(listPath('role', { ...user, role: role as StaffRole }), 303);
    },
    askDisable: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      if (!user) return noSuchUser(c);
      if (user.id === c.get('staff').user.id) return notYourOwn(c);
      if (user.disabled) return c.redirect(userPath(user), 303);
      return confirmDisable(c, user);
    },
    disable: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      if (!user) return noSuchUser(c);
      if (user.id === c.get('staff').user.id) return notYourOwn(c);
      // Without the confirmation page's `confirm`, the form only asks: nothing changes on one click.
      if ((await c.req.parseBody()).confirm !== 'yes') return user.disabled ? c.redirect(userPath(user), 303) : confirmDisable(c, user);
      await disableAccount(db, user, { actor: c.get('staff').user.id, now: now() });
      return c.redirect(listPath('disabled', user), 303);
    },
    enableForm: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      if (!user) return noSuchUser(c);
      if (!user.disabled) return c.redirect(userPath(user), 303);
      return renderEnable(c, user, 200);
    },
    enable: async (c: Context<StaffEnv>) => {
      const user = await target(c);
      if (!user) return noSuchUser(c);
      // Your own account is signed in, so never disabled: it ends here too.
      if (!user.disabled) return notDisabled(c);
      const body = await c.req.parseBody();
      const result = await enableAccount(db, user, { password: body.password, confirm: body.confirm }, { actor: c.get('staff').user.id, now: now() });
      if (!result.ok) return result.reason === 'active' ? notDisabled(c) : renderEnable(c, user, 400, result.problems);
      return c.redirect(listPath('enabled', user), 303);
    },
  };
};
