import type { Page, Response } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { readMailSettings } from '../../server/mail/mail-settings.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.js';
import { button, choose, goto, heading, linkNamed, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, cli, useBareServer } from './support/survey-harness.js';

/**
 * Issue 17 in a real browser, JavaScript off (plain HTML forms) and on (axe-core on each new page): an
 * admin sends invitations by email from the invitations page after reading the message, a real SMTP
 * server receives them, and the link in a message, opened in another browser, starts the survey; then a
 * part-one reminder from the reminders page.
 */
const ADMIN = 'ada.admin@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';
const WAVE = '2027-01';

let smtp: SmtpTestServer | undefined;
// Registered first, so that it runs after the server has stopped (after-hooks run in reverse).
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});
const bare = useBareServer();

const checked = async (page: Page, name: string, response: Response, javaScriptEnabled: boolean) => {
  expect(response.status(), name).toBe(200);
  if (!javaScriptEnabled) return;
  const { violations, report } = await axeViolations(page);
  expect(violations, `axe violations on ${name}:\n${report}`).toEqual([]);
};

describe.each([
  { mode: 'JavaScript off', javaScriptEnabled: false },
  { mode: 'JavaScript on, axe-core on each page', javaScriptEnabled: true },
])('invitations and reminders by email (browser, $mode)', ({ javaScriptEnabled }) => {
  it('sends invitations after a preview; the emailed link opens the survey; a part-one reminder follows', async () => {
    smtp = await startSmtpServer();
    const reading = readMailSettings({ SMTP_URL: smtp.url, MAIL_FROM: 'Social Work Scotland <surveys@sws.example>', MAIL_PER_MINUTE: '6000' });
    if (!reading.ok || !reading.settings) throw new Error('mail settings expected');
    const { server, root, dataDir } = await bare.start({ seedWhenEmpty: false, mail: reading.settings, mailEveryMs: 200, log: () => {} });
    expect((await cli(['user', 'add', '--data', dataDir, '--role', 'admin', '--email', ADMIN], root, `${PASSWORD}\n`)).code).toBe(0);
    const created = await cli(
      ['wave', 'create', '--data', dataDir, '--wave', WAVE, '--name', 'Survey 2027', '--fielded', 'January 2027', '--definition', 'cswo-annual@2'],
      root,
    );
    expect(created.code, created.stderr).toBe(0);
    await replaceRoster(server.stores.identifiable, WAVE, [
      { localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.example' },
      { localAuthority: 'moray', name: 'Mo Moray', email: 'mo@moray.example' },
    ]);

    const admin = await bare.newContext({ javaScriptEnabled });
    const page = admin.page;
    await goto(page, `${server.url}/staff/sign-in`);
    await page.locator('#email').fill(ADMIN);
    await page.locator('#password').fill(PASSWORD);
    await navigate(page, () => button(page, 'Sign in').click());

    await checked(page, 'invitations', await goto(page, `${server.url}/staff/waves/${WAVE}/invitations`), javaScriptEnabled);
    await choose(page.getByRole('radio', { name: /Email each council its link/ }));
    const preview = await navigate(page, () => button(page, 'Issue invitation links').click());
    await checked(page, 'invitation preview', preview, javaScriptEnabled);
    expect(await heading(page)).toBe('Send invitations by email: Survey 2027');
    expect(await page.locator('.staff-mail-preview').innerText()).toContain('Dear Fiona Fife,');
    expect(smtp.received).toEqual([]);
    const sent = await navigate(page, () => button(page, 'Send 2 invitations').click());
    await checked(page, 'invitations sent', sent, javaScriptEnabled);
    expect(await heading(page)).toBe('2 invitations are being sent');
    await smtp.waitFor(() => smtp!.received.length === 2, 'two invitations');

    // The council opens the link in its message, in a browser of its own.
    const message = smtp.received.find((m) => m.to[0] === 'fiona@fife.example')!;
    const link = /http:\/\/127\.0\.0\.1:\d+\/i\/[A-Za-z0-9_-]{43}/.exec(message.text)![0];
    const council = await bare.newContext({ javaScriptEnabled });
    const opened = await goto(council.page, link);
    expect(opened.status()).toBe(200);
    expect(pathOf(council.page)).toMatch(/^\/survey/);
    expect(await council.page.locator('body').innerText()).toContain('Fife');

    // The monitor says what became of each message; then a part-one reminder.
    await goto(page, `${server.url}/staff/waves/${WAVE}/responses`);
    expect(await page.locator('table').innerText()).toMatch(/invitation emailed/);
    await checked(page, 'reminders', await goto(page, `${server.url}/staff/waves/${WAVE}/reminders`), javaScriptEnabled);
    await checked(page, 'reminder preview', await navigate(page, () => linkNamed(page, 'Read the part one reminder and send it').click()), javaScriptEnabled);
    await navigate(page, () => button(page, 'Send 2 reminders').click());
    expect(await heading(page)).toBe('2 reminders are being sent');
    await smtp.waitFor(() => smtp!.received.length === 4, 'two reminders');
    expect(smtp.received.slice(2).map((m) => m.subject)).toEqual([
      'Reminder: Chief Social Work Officer survey, Survey 2027',
      'Reminder: Chief Social Work Officer survey, Survey 2027',
    ]);
    // The wording of the messages, with its preview, and an error state.
    await checked(page, 'messages', await goto(page, `${server.url}/staff/messages`), javaScriptEnabled);
    await checked(page, 'invitation wording', await goto(page, `${server.url}/staff/messages/invitation`), javaScriptEnabled);
    await page.locator('#body').fill('Dear {nmae}');
    const refused = await navigate(page, () => button(page, 'Save the message').click());
    expect(refused.status()).toBe(400);
    expect(await page.locator('.ds_error-summary').innerText()).toContain('{nmae}');
    if (javaScriptEnabled) expect((await axeViolations(page)).violations).toEqual([]);
    // A person's information (issue 18): found by the address, which stays out of the page's address.
    await checked(page, 'people', await goto(page, `${server.url}/staff/people`), javaScriptEnabled);
    await page.locator('#email').fill('fiona@fife.example');
    await checked(page, 'a person found', await navigate(page, () => button(page, 'Find what is held').click()), javaScriptEnabled);
    expect(page.url()).not.toContain('fife.example');
    expect(await page.locator('table').innerText()).toContain('Fiona Fife');
    await checked(page, 'retention', await goto(page, `${server.url}/staff/waves/${WAVE}/retention`), javaScriptEnabled);
    expect(admin.problems).toEqual([]);
  });
});
