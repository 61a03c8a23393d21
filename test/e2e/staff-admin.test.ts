import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { stringify } from 'csv-stringify/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { button, choose, expectErrorSummary, goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, cli, saveScreenshot, secretOf, useSurveyTest, type SurveyServer } from './support/survey-harness.js';

/**
 * The admin pages in a real browser, with JavaScript off (plain HTML forms, as the pages must work) and
 * on: an admin adds an account (which then signs in), creates a wave, opens it, uploads its roster,
 * issues invitation links (one of which then opens the survey) and reads the audit log. With JavaScript
 * on, axe-core (WCAG 2.2 A and AA) checks every admin page and every error state on the way (axe is a
 * script: it cannot run in a page with JavaScript off), and nothing runs off a 320 px screen. The links
 * also come as a CSV download.
 */

const harness = useSurveyTest();

const ADMIN = 'ada.admin@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';
const NEW_USER = 'ann.analyst@socialworkscotland.org';
const NEW_PASSWORD = 'another long staff passphrase';

const files: string[] = [];
afterEach(() => {
  for (const dir of files.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const csvFile = (name: string, records: readonly (readonly string[])[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'cswo-e2e-roster-'));
  files.push(dir);
  const path = join(dir, name);
  writeFileSync(path, stringify(records as string[][]));
  return path;
};

/** Checks the page's status and, when the page runs scripts, axe-core's verdict. */
const auditor = (javaScriptEnabled: boolean) => async (page: Page, name: string, response: Response, status: number) => {
  expect(response.status(), name).toBe(status);
  if (!javaScriptEnabled) return;
  const { violations, passes, report } = await axeViolations(page);
  expect(passes, `axe ran on ${name}`).toBeGreaterThan(0);
  expect(violations, `axe violations on ${name}:\n${report}`).toEqual([]);
};

const reflows = async (page: Page, name: string, javaScriptEnabled: boolean) => {
  if (!javaScriptEnabled) return;
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 320 px`).toBeLessThanOrEqual(320);
  await saveScreenshot(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
};

const signIn = async (page: Page, survey: SurveyServer, email: string, password: string) => {
  await goto(page, `${survey.url}/staff/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await navigate(page, () => button(page, 'Sign in').click());
  expect(pathOf(page)).toBe('/staff');
};

const addAdmin = async (survey: SurveyServer) => {
  const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', 'admin', '--email', ADMIN], survey.dataDir, `${PASSWORD}\n`);
  expect(added.code, added.stderr).toBe(0);
};

const inset = (page: Page) => page.locator('.ds_inset-text').innerText();

describe.each([
  { mode: 'JavaScript off (plain HTML forms)', javaScriptEnabled: false },
  { mode: 'JavaScript on, with axe-core on every page', javaScriptEnabled: true },
])('admin pages (browser, $mode)', ({ javaScriptEnabled }) => {
  it('adds an account that can then sign in, creates and opens a wave, uploads its roster, issues links, reads the audit log', async () => {
    const audit = auditor(javaScriptEnabled);
    const survey = await harness.startSurvey();
    await addAdmin(survey);
    const { page, problems } = await harness.newContext({ javaScriptEnabled });
    // One set of screenshots, from the run that also checks accessibility.
    const shot = async (name: string) => (javaScriptEnabled ? saveScreenshot(page, name) : undefined);
    await signIn(page, survey, ADMIN, PASSWORD);

    // Staff accounts: the list, the form and its errors, a new account.
    await audit(page, 'staff accounts', await navigate(page, () => page.getByRole('link', { name: 'Staff accounts' }).click()), 200);
    await shot('staff-users');
    await audit(page, 'add an account', await navigate(page, () => page.getByRole('link', { name: 'Add an account' }).click()), 200);
    await page.getByLabel('Email address').fill(NEW_USER);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('The same password again').fill(`${NEW_PASSWORD}?`);
    const refused = await navigate(page, () => button(page, 'Add account').click());
    await audit(page, 'add an account, with errors', refused, 400);
    await expectErrorSummary(page, [
      { text: 'Choose what the account may do', href: '#role' },
      { text: 'The two passwords are not the same: type the password again in both boxes', href: '#confirm' },
    ]);
    expect(await page.getByLabel('Email address').inputValue()).toBe(NEW_USER);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await choose(page.getByRole('radio', { name: 'Analyst' }));
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('The same password again').fill(NEW_PASSWORD);
    const added = await navigate(page, () => button(page, 'Add account').click());
    await audit(page, 'staff accounts after adding one', added, 200);
    expect(pathOf(page)).toBe('/staff/users');
    expect(await inset(page)).toContain(`The account ${NEW_USER} was added (analyst).`);
    await audit(page, 'one account', await navigate(page, () => page.getByRole('link', { name: NEW_USER }).click()), 200);
    expect(await heading(page)).toBe(`Account: ${NEW_USER}`);
    await shot('staff-user');

    // The new account signs in, in a browser of its own.
    const other = await harness.newContext({ javaScriptEnabled });
    await signIn(other.page, survey, NEW_USER, NEW_PASSWORD);
    expect(await other.page.locator('.staff-account__email').innerText()).toBe(NEW_USER);

    // Waves: create one (after an error), open it.
    await goto(page, `${survey.url}/staff`);
    const waves = await navigate(page, () => page.getByRole('link', { name: 'Waves, rosters and invitations' }).click());
    await audit(page, 'waves', waves, 200);
    await audit(page, 'create a wave', await navigate(page, () => page.getByRole('link', { name: 'Create a wave' }).click()), 200);
    await page.getByLabel('Wave id').fill('June 2021');
    await page.getByLabel('Name', { exact: true }).fill('Survey 3');
    await page.getByLabel('When it is fielded').fill('June 2021');
    await page.getByLabel('Survey definition').selectOption('cswo-annual@2');
    const badWave = await navigate(page, () => button(page, 'Create wave').click());
    await audit(page, 'create a wave, with an error', badWave, 400);
    await expectErrorSummary(page, [{ text: /^The id must be lower-case letters/, href: '#id' }]);
    expect(await page.getByLabel('Survey definition').inputValue()).toBe('cswo-annual@2');
    await page.getByLabel('Wave id').fill('2021-06');
    const created = await navigate(page, () => button(page, 'Create wave').click());
    expect(created.status()).toBe(200);
    expect(await inset(page)).toContain('Survey 3 was created.');
    const opened = await navigate(page, () =>
      page
        .getByRole('row', { name: /^Survey 3/ })
        .getByRole('button', { name: /^Open to answers/ })
        .click(),
    );
    await audit(page, 'waves after opening one', opened, 200);
    expect(await inset(page)).toBe('Survey 3 is now open to answers.');
    expect(
      await page
        .getByRole('row', { name: /Survey 3/ })
        .getByRole('cell')
        .first()
        .innerText(),
    ).toBe('open to answers');
    await shot('staff-waves-admin');
    await reflows(page, 'staff-waves-admin', javaScriptEnabled);

    // The roster: a file with a problem, then a good one.
    const roster = await navigate(page, () => page.getByRole('link', { name: 'Roster and invitations of Survey 3' }).click());
    await audit(page, 'roster, empty', roster, 200);
    await page.getByLabel('Roster file (CSV)').setInputFiles(
      csvFile('bad.csv', [
        ['local_authority', 'name', 'email'],
        ['Fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
      ]),
    );
    const badRoster = await navigate(page, () => button(page, 'Upload roster').click());
    await audit(page, 'roster, with a refused file', badRoster, 400);
    await expectErrorSummary(page, [
      { text: 'row 2, column local_authority: expected a council code such as aberdeen_city, got "Fife"; did you mean "fife"?', href: '#roster' },
    ]);
    await page.getByLabel('Roster file (CSV)').setInputFiles(
      csvFile('roster.csv', [
        ['local_authority', 'name', 'email'],
        ['fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
        ['angus', 'Ann Angus', 'ann@angus.gov.uk'],
      ]),
    );
    const uploaded = await navigate(page, () => button(page, 'Upload roster').click());
    await audit(page, 'roster, uploaded', uploaded, 200);
    expect(await inset(page)).toContain('The roster of Survey 3 was replaced: 2 councils on it now.');
    expect(await page.getByRole('table', { name: 'Councils on the roster (2)' }).getByRole('row').count()).toBe(3);
    await shot('staff-roster');
    await reflows(page, 'staff-roster', javaScriptEnabled);

    // Invitations: nothing chosen, then both councils, shown once.
    const invitations = await navigate(page, () => page.getByRole('link', { name: 'Issue invitation links' }).click());
    await audit(page, 'invitations', invitations, 200);
    expect(await page.getByRole('checkbox', { name: /^Fife: Fiona Fife/ }).isChecked()).toBe(true);
    await page.locator('label[for="council"]').click();
    await page.locator('label[for="council--fife"]').click();
    const none = await navigate(page, () => button(page, 'Issue invitation links').click());
    await audit(page, 'invitations, with an error', none, 400);
    await expectErrorSummary(page, [{ text: 'Choose at least one council to send a link to', href: '#council' }]);
    await choose(page.getByRole('checkbox', { name: /^Angus: Ann Angus/ }));
    await choose(page.getByRole('checkbox', { name: /^Fife: Fiona Fife/ }));
    const issued = await navigate(page, () => button(page, 'Issue invitation links').click());
    await audit(page, 'invitation links', issued, 200);
    const links = await page.locator('tbody input[readonly]').evaluateAll((fields) => fields.map((f) => (f as HTMLInputElement).value));
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toMatch(new RegExp(`^${survey.url}/i/[A-Za-z0-9_-]{43}$`));
    await shot('staff-invitation-links');
    await reflows(page, 'staff-invitation-links', javaScriptEnabled);

    // A link opens the survey of the new wave.
    const respondent = await harness.newContext();
    await goto(respondent.page, links[0]!);
    expect(pathOf(respondent.page)).toBe('/survey');
    expect(await respondent.page.locator('body').innerText()).toContain('Survey 3, June 2021');

    // The audit log: everything above, who and when; filtered to the links issued, never a secret.
    await goto(page, `${survey.url}/staff`);
    const log = await navigate(page, () => page.getByRole('link', { name: 'Audit log' }).click());
    await audit(page, 'audit log', log, 200);
    const actions = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    for (const action of ['staff.user.add', 'wave.create', 'wave.open', 'roster.import', 'invitation.issue', 'staff.sign-in'])
      expect(actions).toContain(action);
    await page.getByLabel('Action').selectOption('invitation.issue');
    const filtered = await navigate(page, () => button(page, 'Show events').click());
    await audit(page, 'audit log, filtered', filtered, 200);
    expect(new URL(page.url()).search).toBe('?action=invitation.issue');
    // Newest first: the links issued here, then the harness's own `invite` on the command line.
    expect(await page.locator('tbody tr td:nth-child(2)').allInnerTexts()).toEqual([ADMIN, 'command line']);
    expect(await page.locator('tbody tr th').first().innerText()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d (GMT|BST)$/);
    const body = await page.content();
    for (const link of links) expect(body).not.toContain(secretOf(link));
    await shot('staff-audit-log');
    await reflows(page, 'staff-audit-log', javaScriptEnabled);

    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  }, 180_000);
});

describe('invitation links as a download (browser)', () => {
  it('issues links as a CSV download that opens in a spreadsheet; no script or CSP error', async () => {
    const survey = await harness.startSurvey();
    await addAdmin(survey);
    const { page, problems } = await harness.newContext({ acceptDownloads: true });
    await signIn(page, survey, ADMIN, PASSWORD);
    await goto(page, `${survey.url}/staff/waves/2020-06/invitations`);
    // The harness invited every council: tick one to replace its link.
    await choose(page.getByRole('checkbox', { name: /^Fife: Fiona Fife/ }));
    await choose(page.getByRole('radio', { name: /^Download them as a CSV file/ }));
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Issue invitation links').click()]);
    expect(download.suggestedFilename()).toBe('invitations-2020-06.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [headerLine, row] = text.slice(1).trimEnd().split('\r\n');
    expect(headerLine).toBe('local_authority,name,email,link');
    expect(row).toMatch(new RegExp(`^fife,Fiona Fife,fiona\\.fife@fife\\.gov\\.uk,${survey.url}/i/[A-Za-z0-9_-]{43}$`));
    // The old link of Fife stopped working; the new one opens the survey.
    const respondent = await harness.newContext();
    await goto(respondent.page, survey.links.get('fife')!);
    expect(pathOf(respondent.page)).toBe('/i/problem/not-valid');
    await goto(respondent.page, row!.split(',')[3]!);
    expect(pathOf(respondent.page)).toBe('/survey');
    expect(problems).toEqual([]);
  }, 120_000);
});
