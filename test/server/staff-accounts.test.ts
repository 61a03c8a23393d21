import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { verifyPassword } from '../../server/security/passwords.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { findStaffCredentials, findStaffUserByEmail } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { CookieJar, errorSummaryTargets, titleOf, pageText } from './respondent-helpers.js';
import { addStaff, auditOf, PASSWORD } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Admin pages of staff accounts: list, add (password typed twice, argon2id), change a role, disable (after a confirmation page), re-enable
 * with a new password; all audited.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const NEW_PASSWORD = 'a fresh and quite long passphrase';

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  const t = staffApp(stores);
  const admin = await t.signedIn('admin');
  const adminId = (await findStaffUserByEmail(stores.identifiable, admin.email))!.id;
  return { stores, ...t, admin, adminId, csrf: csrfToken(t.key, admin.token) };
};

const text = pageText;
const summaryMessages = (html: string) => {
  const summary = /<div class="ds_error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]!);
};

/** Every row of every table of the identifiable store, as text (Kysely's introspection: any dialect). */
const everythingStored = async (stores: Stores) => {
  const tables = await stores.identifiable.introspection.getTables({ withInternalKyselyTables: true });
  const rows: unknown[] = [];
  for (const { name } of tables) rows.push(name, ...(await sql`select * from ${sql.table(name)}`.execute(stores.identifiable)).rows);
  return JSON.stringify(rows);
};

const good = { email: ' New.Analyst@Example.org ', role: 'analyst', password: NEW_PASSWORD, confirm: NEW_PASSWORD };

describe('GET /staff/users and /staff/users/new', () => {
  it('lists every account with its role, status and date added, each linking to its page', async () => {
    const t = await setup();
    const other = await addStaff(t.stores, 'rita@example.org', 'researcher');
    const page = await t.send(t.admin.jar, 'GET', '/staff/users');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Staff accounts – CSWO survey – Social Work Scotland');
    expect(text(page.html)).toContain('admin@example.org Administrator active');
    expect(text(page.html)).toContain('rita@example.org Researcher active');
    expect(page.html).toContain(`href="/staff/users/${other.id}"`);
    expect(page.html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/);
    expect(page.html).not.toContain('$argon2id$');
  });

  it('shows the form: email, role as radios, the password twice (never filled in), one button', async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', '/staff/users/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label class="ds_label" for="email">Email address</label>');
    expect([...page.html.matchAll(/<input class="ds_radio__input" type="radio" id="[^"]+" name="role" value="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'admin',
      'analyst',
      'researcher',
    ]);
    expect(page.html).toMatch(/type="password" id="password" name="password" value="" autocomplete="new-password"/);
    expect(page.html).toMatch(/type="password" id="confirm" name="confirm" value="" autocomplete="new-password"/);
    expect(page.html.match(/<button class="ds_button" type="submit">/g)).toHaveLength(1);
  });
});

describe('POST /staff/users', () => {
  it('adds the account with an argon2id hash, audits who added it, and the person can then sign in', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/users', { form: { _csrf: t.csrf, ...good } });
    const added = (await findStaffCredentials(t.stores.identifiable, 'new.analyst@example.org'))!;
    expect(sent).toMatchObject({ status: 303, location: `/staff/users?done=added&user=${added.user.id}` });
    expect(added.user).toMatchObject({ email: 'new.analyst@example.org', role: 'analyst', disabled: false });
    expect(added.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(added.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await auditOf(t.stores, ['staff.user.add'])).toEqual([
      { actor: t.adminId, action: 'staff.user.add', detail: { email: 'new.analyst@example.org', role: 'analyst' } },
    ]);
    expect(await everythingStored(t.stores)).not.toContain(NEW_PASSWORD);
    expect(text((await t.send(t.admin.jar, 'GET', sent.location!)).html)).toContain('The account new.analyst@example.org was added (analyst).');

    const jar = new CookieJar();
    expect(await t.signIn(jar, 'new.analyst@example.org', NEW_PASSWORD)).toMatchObject({ status: 303, location: '/staff' });
  });

  it('re-renders an empty form with a 400, the summary linking to each field, and nothing stored', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/users', { form: { _csrf: t.csrf } });
    expect(sent.status).toBe(400);
    expect(titleOf(sent.html)).toBe('Error: Add an account – CSWO survey – Social Work Scotland');
    expect(errorSummaryTargets(sent.html)).toEqual(['email', 'role', 'password']);
    expect(summaryMessages(sent.html)).toEqual([
      'Enter the email address the person will sign in with',
      'Choose what the account may do',
      'The password is empty: it must have at least 12 characters',
    ]);
    expect((await t.stores.identifiable.selectFrom('staff_user').select('email').execute()).map((r) => r.email)).toEqual(['admin@example.org']);
    expect(await auditOf(t.stores, ['staff.user.add'])).toEqual([]);
  });

  it.each([
    ['a malformed email', { email: 'not an email' }, ['email'], 'Enter an email address in the correct format, like name@example.org'],
    [
      'a short password',
      { password: 'short one', confirm: 'short one' },
      ['password'],
      'The password is too short: it must have at least 12 characters, and it has 9',
    ],
    [
      'the email as password',
      { password: 'new.analyst@example.org', confirm: 'new.analyst@example.org' },
      ['password'],
      'The password is the email address: choose something else',
    ],
    ['two different passwords', { confirm: `${NEW_PASSWORD}!` }, ['confirm'], 'The two passwords are not the same: type the password again in both boxes'],
    ['no second password', { confirm: '' }, ['confirm'], 'Enter the password again'],
    ['a role that does not exist', { role: 'superuser' }, ['role'], 'Choose what the account may do'],
  ])('refuses %s with a 400, keeps the email and role, never echoes a password', async (_, change, fields, message) => {
    const t = await setup();
    const form = { ...good, ...change };
    const sent = await t.send(t.admin.jar, 'POST', '/staff/users', { form: { _csrf: t.csrf, ...form } });
    expect(sent.status).toBe(400);
    expect(errorSummaryTargets(sent.html)).toEqual(fields);
    expect(summaryMessages(sent.html)).toEqual([message]);
    expect(sent.html).toContain(`value="${form.email}"`);
    if (form.role === 'analyst') expect(sent.html).toMatch(/name="role" value="analyst" checked/);
    for (const secret of [form.password, form.confirm].filter((p) => p.length > 0 && p !== form.email)) expect(sent.html).not.toContain(secret);
    expect(sent.html).toMatch(/id="password" name="password" value=""/);
    expect(await findStaffUserByEmail(t.stores.identifiable, 'new.analyst@example.org')).toBeUndefined();
  });

  it('refuses an email that has an account with a 422 (trimmed and lower-cased before comparing)', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/users', { form: { _csrf: t.csrf, ...good, email: ' ADMIN@example.org' } });
    expect(sent.status).toBe(422);
    expect(summaryMessages(sent.html)).toEqual(['An account with the email admin@example.org already exists']);
    expect(await auditOf(t.stores, ['staff.user.add'])).toEqual([]);
  });
});

describe('one account: change its role, disable it, re-enable it', () => {
  it('changes a role, audited with both roles; the account has its new access at its next request', async () => {
    const t = await setup();
    const analyst = await t.signedIn('analyst', 'ann@example.org');
    const id = (await findStaffUserByEmail(t.stores.identifiable, analyst.email))!.id;
    expect((await t.send(analyst.jar, 'GET', '/staff/waves')).status).toBe(403);

    const page = await t.send(t.admin.jar, 'GET', `/staff/users/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/name="role" value="analyst" checked/);
    expect(page.html).toContain(`action="/staff/users/${id}/role"`);
    // Disabling is a link to its confirmation page, never a one-click form.
    expect(page.html).toContain(`href="/staff/users/${id}/disable"`);
    expect(page.html).not.toContain(`action="/staff/users/${id}/disable"`);

    const sent = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/role`, { form: { _csrf: t.csrf, role: 'admin' } });
    expect(sent).toMatchObject({ status: 303, location: `/staff/users?done=role&user=${id}` });
    expect(text((await t.send(t.admin.jar, 'GET', sent.location!)).html)).toContain('ann@example.org is now an administrator.');
    expect(await auditOf(t.stores, ['staff.user.role'])).toEqual([
      { actor: t.adminId, action: 'staff.user.role', detail: { email: 'ann@example.org', from: 'analyst', to: 'admin' } },
    ]);
    expect((await t.send(analyst.jar, 'GET', '/staff/waves')).status).toBe(200);
    // The same role again changes nothing and is not audited.
    await t.send(t.admin.jar, 'POST', `/staff/users/${id}/role`, { form: { _csrf: t.csrf, role: 'admin' } });
    expect(await auditOf(t.stores, ['staff.user.role'])).toHaveLength(1);
  });

  it('refuses a role that does not exist (400), changing nothing', async () => {
    const t = await setup();
    const other = await addStaff(t.stores, 'rita@example.org', 'researcher');
    const sent = await t.send(t.admin.jar, 'POST', `/staff/users/${other.id}/role`, { form: { _csrf: t.csrf, role: 'owner' } });
    expect(sent.status).toBe(400);
    expect(errorSummaryTargets(sent.html)).toEqual(['role']);
    expect((await findStaffUserByEmail(t.stores.identifiable, 'rita@example.org'))!.role).toBe('researcher');
  });

  it('disables an account after a confirmation page: its sessions end at once, it cannot sign in, and the change is audited', async () => {
    const t = await setup();
    const researcher = await t.signedIn('researcher', 'rita@example.org');
    const id = (await findStaffUserByEmail(t.stores.identifiable, researcher.email))!.id;
    // The confirmation page says what happens, that the email can never be used again, and sends `confirm`.
    const confirm = await t.send(t.admin.jar, 'GET', `/staff/users/${id}/disable`);
    expect(confirm.status).toBe(200);
    expect(titleOf(confirm.html)).toBe('Disable the account rita@example.org? – CSWO survey – Social Work Scotland');
    expect(text(confirm.html)).toContain('rita@example.org can no longer sign in, and is signed out everywhere at once.');
    expect(text(confirm.html)).toContain('The email address rita@example.org stays with this account: it can never be used for a new account.');
    expect(confirm.html).toContain('<input type="hidden" name="confirm" value="yes"/>');
    expect(confirm.html).toContain('<button class="ds_button staff-button--warning" type="submit">Disable account</button>');
    // A POST without it (the old one-click form, a hand-made request) only shows that page.
    const oneClick = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/disable`, { form: { _csrf: t.csrf } });
    expect(oneClick.status).toBe(200);
    expect(titleOf(oneClick.html)).toBe(titleOf(confirm.html));
    expect((await t.send(researcher.jar, 'GET', '/staff')).status).toBe(200);
    expect(await auditOf(t.stores, ['staff.user.disable'])).toEqual([]);
    const sent = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/disable`, { form: { _csrf: t.csrf, confirm: 'yes' } });
    expect(sent).toMatchObject({ status: 303, location: `/staff/users?done=disabled&user=${id}` });
    expect((await t.send(researcher.jar, 'GET', '/staff')).status).toBe(401);
    expect((await t.signIn(new CookieJar(), researcher.email)).status).toBe(400);
    expect(await auditOf(t.stores, ['staff.user.disable'])).toEqual([
      { actor: t.adminId, action: 'staff.user.disable', detail: { email: 'rita@example.org' } },
    ]);
    const page = await t.send(t.admin.jar, 'GET', `/staff/users/${id}`);
    expect(text(page.html)).toContain('This account is disabled: it cannot sign in.');
    expect(page.html).not.toContain('/disable"');
    expect(page.html).toContain(`href="/staff/users/${id}/enable"`);
    expect((await t.send(t.admin.jar, 'POST', `/staff/users/${id}/role`, { form: { _csrf: t.csrf, role: 'admin' } })).status).toBe(422);
    // Disabled already: the confirmation page goes back to the account.
    expect(await t.send(t.admin.jar, 'GET', `/staff/users/${id}/disable`)).toMatchObject({ status: 303, location: `/staff/users/${id}` });
  });

  it('re-enables a disabled account with a new password: the old one no longer works, its sessions stay ended, audited', async () => {
    const t = await setup();
    const researcher = await t.signedIn('researcher', 'rita@example.org');
    const id = (await findStaffUserByEmail(t.stores.identifiable, researcher.email))!.id;
    // Active: nothing to re-enable.
    expect(await t.send(t.admin.jar, 'GET', `/staff/users/${id}/enable`)).toMatchObject({ status: 303, location: `/staff/users/${id}` });
    const early = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/enable`, { form: { _csrf: t.csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD } });
    expect(early.status).toBe(422);
    expect(titleOf(early.html)).toBe('This account is not disabled – CSWO survey – Social Work Scotland');
    await t.send(t.admin.jar, 'POST', `/staff/users/${id}/disable`, { form: { _csrf: t.csrf, confirm: 'yes' } });

    const form = await t.send(t.admin.jar, 'GET', `/staff/users/${id}/enable`);
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toBe('Re-enable the account rita@example.org – CSWO survey – Social Work Scotland');
    expect(form.html).toContain(`action="/staff/users/${id}/enable"`);
    // The new password is checked as when adding an account, and never sent back.
    const refused = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/enable`, {
      form: { _csrf: t.csrf, password: 'rita@example.org', confirm: 'rita@example.org' },
    });
    expect(refused.status).toBe(400);
    expect(titleOf(refused.html)).toMatch(/^Error: Re-enable the account/);
    expect(errorSummaryTargets(refused.html)).toEqual(['password']);
    expect(refused.html).not.toContain('value="rita@example.org"');
    const mismatch = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/enable`, {
      form: { _csrf: t.csrf, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` },
    });
    expect(errorSummaryTargets(mismatch.html)).toEqual(['confirm']);
    expect(mismatch.html).not.toContain(NEW_PASSWORD);
    expect((await findStaffUserByEmail(t.stores.identifiable, 'rita@example.org'))!.disabled).toBe(true);
    expect(await auditOf(t.stores, ['staff.user.enable'])).toEqual([]);

    const sent = await t.send(t.admin.jar, 'POST', `/staff/users/${id}/enable`, { form: { _csrf: t.csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD } });
    expect(sent).toMatchObject({ status: 303, location: `/staff/users?done=enabled&user=${id}` });
    expect(text((await t.send(t.admin.jar, 'GET', sent.location!)).html)).toContain('The account rita@example.org can sign in again with its new password.');
    expect(await auditOf(t.stores, ['staff.user.enable'])).toEqual([{ actor: t.adminId, action: 'staff.user.enable', detail: { email: 'rita@example.org' } }]);
    // The session that disabling ended stays ended; the old password is refused, the new one signs in.
    expect((await t.send(researcher.jar, 'GET', '/staff')).status).toBe(401);
    expect((await t.signIn(new CookieJar(), 'rita@example.org', PASSWORD)).status).toBe(400);
    expect((await t.signIn(new CookieJar(), 'rita@example.org', NEW_PASSWORD)).status).toBe(303);
    // Re-enabling twice changes nothing.
    expect(
      (await t.send(t.admin.jar, 'POST', `/staff/users/${id}/enable`, { form: { _csrf: t.csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD } })).status,
    ).toBe(422);
    expect(await auditOf(t.stores, ['staff.user.enable'])).toHaveLength(1);
  });

  it('offers no change to your own account and refuses one sent anyway (422)', async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', `/staff/users/${t.adminId}`);
    expect(text(page.html)).toContain('This is your own account. Another administrator can change its role or disable it.');
    expect(page.html).not.toContain('<form method="post" action="/staff/users/');
    for (const action of ['disable', 'role']) {
      const sent = await t.send(t.admin.jar, 'POST', `/staff/users/${t.adminId}/${action}`, { form: { _csrf: t.csrf, role: 'analyst' } });
      expect(sent.status).toBe(422);
      expect(titleOf(sent.html)).toBe('You cannot change your own account – CSWO survey – Social Work Scotland');
    }
    expect(await findStaffUserByEmail(t.stores.identifiable, t.admin.email)).toMatchObject({ role: 'admin', disabled: false });
    expect(await auditOf(t.stores, ['staff.user.disable', 'staff.user.role'])).toEqual([]);
  });

  it('an unknown account is a 404; analysts and researchers get 403 everywhere and change nothing', async () => {
    const t = await setup();
    expect((await t.send(t.admin.jar, 'GET', '/staff/users/0123456789abcdef')).status).toBe(404);
    for (const action of ['disable', 'enable']) {
      expect((await t.send(t.admin.jar, 'GET', `/staff/users/0123456789abcdef/${action}`)).status).toBe(404);
      expect((await t.send(t.admin.jar, 'POST', `/staff/users/0123456789abcdef/${action}`, { form: { _csrf: t.csrf, confirm: 'yes' } })).status).toBe(404);
    }
    for (const role of ['analyst', 'researcher'] as const) {
      const other = await t.signedIn(role);
      const csrf = csrfToken(t.key, other.token);
      for (const path of ['/staff/users', '/staff/users/new', `/staff/users/${t.adminId}`])
        expect((await t.send(other.jar, 'GET', path)).status, `${path} as ${role}`).toBe(403);
      expect((await t.send(other.jar, 'POST', '/staff/users', { form: { _csrf: csrf, ...good } })).status).toBe(403);
      expect((await t.send(other.jar, 'POST', `/staff/users/${t.adminId}/disable`, { form: { _csrf: csrf, confirm: 'yes' } })).status).toBe(403);
    }
    expect((await findStaffUserByEmail(t.stores.identifiable, t.admin.email))!.disabled).toBe(false);
    expect(await findStaffUserByEmail(t.stores.identifiable, 'new.analyst@example.org')).toBeUndefined();
  });
});
