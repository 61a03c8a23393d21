import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { button, choose, goto, heading, linkNamed, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, cli, expectAccessible, repoRoot, saveScreenshot, useSurveyTest, WAVE, type SurveyServer } from './support/survey-harness.js';

/**
 * The staff pages that hold tables, measured in a real browser at 1280 and 320 px: they take the page's
 * full width, no word in a table cell is broken across lines (unless the word alone is wider than its
 * cell, as a long email address on a phone), and nothing scrolls sideways at 320 px. Invitation links sit
 * whole in read-only fields, with a "Copy link" button only when JavaScript runs. Destructive actions ask
 * first on a page of their own; a disabled account comes back with a new password.
 */

const harness = useSurveyTest();

const ADMIN = 'ada.admin@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';
const OTHER = 'rita.researcher@socialworkscotland.org';
const NEW_PASSWORD = 'a brand new staff passphrase';

const signIn = async (page: Page, survey: SurveyServer, email: string, password: string) => {
  await goto(page, `${survey.url}/staff/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  return navigate(page, () => button(page, 'Sign in').click());
};

const addAccount = async (survey: SurveyServer, role: string, email: string, password: string) => {
  const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', role, '--email', email], survey.dataDir, `${password}\n`);
  expect(added.code, added.stderr).toBe(0);
};

/**
 * The words of the page's table cells that are broken across lines, unless the word alone is wider
 * than the whole column of the page (an email address on a phone: it has to break somewhere). A word
 * is a run of characters between spaces, or after a hyphen (a line may break there). Visually hidden
 * text (one pixel wide) is left out.
 */
const brokenWords = (page: Page) =>
  page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of document.querySelectorAll<HTMLElement>('table th, table td')) {
      const style = getComputedStyle(cell);
      const room = cell.closest('table')!.parentElement!.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('.visually-hidden')) continue;
        for (const match of (node.textContent ?? '').matchAll(/[^\s-]+-?/g)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          const lines = new Set(rects.map((r) => Math.round(r.top)));
          const width = rects.reduce((sum, r) => sum + r.width, 0);
          if (lines.size > 1 && width <= room) broken.push(`${match[0]} (in "${cell.innerText.trim().slice(0, 60)}")`);
        }
      }
    }
    return broken;
  });

/** At 1280 px the content holds the wrapper's full width; at 1280 and 320 px no word breaks; at 320 px no sideways scroll. */
const measure = async (page: Page, name: string) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const widths = await page.evaluate(() => ({
    content: document.querySelector('.staff-page--wide')?.getBoundingClientRect().width ?? 0,
    wrapper: document.querySelector('main')!.getBoundingClientRect().width,
  }));
  expect(widths.content, `${name}: the page uses the full width at 1280 px`).toBeGreaterThan(widths.wrapper * 0.95);
  expect(await page.locator('table').count(), `${name} has a table`).toBeGreaterThan(0);
  expect(await brokenWords(page), `${name} at 1280 px`).toEqual([]);
  await saveScreenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await brokenWords(page), `${name} at 320 px`).toEqual([]);
  const tooWide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 320.5)
      .map((e) => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}`),
  );
  await saveScreenshot(page, `${name}-320`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 320 px: ${tooWide.slice(0, 8).join('; ')}`).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
};

describe('staff pages with tables (browser)', () => {
  it('hold the full width, break no word at 1280 or 320 px and never scroll sideways; links are copied whole', async () => {
    const survey = await harness.startSurvey();
    await addAccount(survey, 'admin', ADMIN, PASSWORD);
    await addAccount(survey, 'researcher', OTHER, PASSWORD);
    // The bundled answers of the first 2020 wave: a wave imported without a roster or invitations.
    for (const part of ['identifiable', 'anonymous']) {
      const imported = await survey.run(['import', '--wave', '2020-01', '--part', part, join(repoRoot, 'bundled-data', '2020-01', `${part}.csv`)]);
      expect(imported.code, imported.stderr).toBe(0);
    }
    const { context, page, problems } = await harness.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: survey.url });
    await signIn(page, survey, ADMIN, PASSWORD);

    await goto(page, `${survey.url}/staff/waves`);
    const imported = page.getByRole('row', { name: /^Survey 1/ });
    expect(await imported.getByRole('cell').allInnerTexts()).toEqual(
      expect.arrayContaining(['none: answers imported', expect.stringMatching(/^\d+ imported$/)]),
    );
    await measure(page, 'staff-layout-waves');
    await goto(page, `${survey.url}/staff/waves/${WAVE}/responses`);
    await measure(page, 'staff-layout-responses');
    await goto(page, `${survey.url}/staff/waves/${WAVE}/roster`);
    await measure(page, 'staff-layout-roster');
    await goto(page, `${survey.url}/staff/users`);
    await measure(page, 'staff-layout-users');
    await goto(page, `${survey.url}/staff/audit`);
    await measure(page, 'staff-layout-audit');

    // New links for two councils, shown once: each whole in a read-only field, with a copy button.
    await goto(page, `${survey.url}/staff/waves/${WAVE}/invitations`);
    await choose(page.getByRole('checkbox', { name: /^Fife: Fiona Fife/ }));
    await choose(page.getByRole('checkbox', { name: /^Angus: Ann Angus/ }));
    await expectAccessible(page, 'invitation links', await navigate(page, () => button(page, 'Issue invitation links').click()), 200);
    await measure(page, 'staff-layout-invitation-links');
    const field = page.getByRole('textbox', { name: 'Invitation link of fife' });
    const link = await field.inputValue();
    expect(link).toMatch(new RegExp(`^${survey.url}/i/[A-Za-z0-9_-]{43}$`));
    expect(await field.getAttribute('readonly')).not.toBeNull();
    // The field is one line: the link never wraps, so it is never copied in part.
    expect(await field.evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(60);
    await page.getByRole('button', { name: /^Copy link\s*of fife$/ }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // The next copy moves the "Copied" to its own row.
    await page.getByRole('button', { name: /^Copy link\s*of angus$/ }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(await page.getByRole('textbox', { name: 'Invitation link of angus' }).inputValue());
    expect(await page.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);
    // axe-core on the page as the enhancement left it (a reload would send the form again, refused with 409),
    // once the focused button's colour transition has finished.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForFunction(() => document.getAnimations().length === 0);
    const { violations, report } = await axeViolations(page);
    expect(violations, `axe violations on the links after copying:\n${report}`).toEqual([]);
    await saveScreenshot(page, 'staff-layout-invitation-links-copied');
    expect(problems).toEqual([]);
  }, 180_000);

  it('without JavaScript, a link is still whole in a field to select, and no copy button is offered', async () => {
    const survey = await harness.startSurvey();
    await addAccount(survey, 'admin', ADMIN, PASSWORD);
    const { page, problems } = await harness.newContext({ javaScriptEnabled: false });
    await signIn(page, survey, ADMIN, PASSWORD);
    await goto(page, `${survey.url}/staff/waves/${WAVE}/invitations`);
    await choose(page.getByRole('checkbox', { name: /^Fife: Fiona Fife/ }));
    await navigate(page, () => button(page, 'Issue invitation links').click());
    expect(await page.getByRole('textbox', { name: 'Invitation link of fife' }).inputValue()).toMatch(new RegExp(`^${survey.url}/i/[A-Za-z0-9_-]{43}$`));
    expect(await page.getByRole('button', { name: /^Copy link/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('destructive actions ask first (browser)', () => {
  for (const javaScriptEnabled of [false, true]) {
    it(`closing a wave and disabling an account each take a confirmation page; the account comes back with a new password (JavaScript ${javaScriptEnabled ? 'on, with axe-core' : 'off'})`, async () => {
      const survey = await harness.startSurvey();
      await addAccount(survey, 'admin', ADMIN, PASSWORD);
      await addAccount(survey, 'researcher', OTHER, PASSWORD);
      const { page, problems } = await harness.newContext({ javaScriptEnabled });
      const check = async (name: string, response: Awaited<ReturnType<typeof navigate>>, status = 200) => {
        if (javaScriptEnabled) {
          await expectAccessible(page, name, response, status);
          await page.setViewportSize({ width: 320, height: 800 });
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 320 px`).toBeLessThanOrEqual(320);
          await saveScreenshot(page, `${name}-320`);
          await page.setViewportSize({ width: 1280, height: 900 });
        } else expect(response.status(), name).toBe(status);
      };
      await signIn(page, survey, ADMIN, PASSWORD);

      // Close the open wave: a page that says what happens, then the warning button.
      await goto(page, `${survey.url}/staff/waves`);
      await check('staff-close-wave', await navigate(page, () => linkNamed(page, /^Close to answers/).click()));
      expect(await heading(page)).toBe('Close Survey 2 (re-issued during COVID-19) to answers?');
      expect(await page.locator('main').innerText()).toContain('On the roster, 0 councils have part one in progress and 8 councils have not started it.');
      // Cancel changes nothing.
      await navigate(page, () => linkNamed(page, 'Cancel: keep it open to answers').click());
      expect(
        await page
          .getByRole('row', { name: /^Survey 2/ })
          .getByRole('cell')
          .first()
          .innerText(),
      ).toBe('open to answers');
      await navigate(page, () => linkNamed(page, /^Close to answers/).click());
      await check('staff-waves-after-closing', await navigate(page, () => button(page, 'Close to answers').click()));
      expect(pathOf(page)).toBe('/staff/waves');
      expect(await page.locator('.ds_inset-text').innerText()).toContain('is now closed to answers');
      expect(
        await page
          .getByRole('row', { name: /^Survey 2/ })
          .getByRole('cell')
          .first()
          .innerText(),
      ).toBe('closed to answers');
      await navigate(page, () =>
        page
          .getByRole('row', { name: /^Survey 2/ })
          .getByRole('button', { name: /^Open to answers/ })
          .click(),
      );
      expect(await page.locator('.ds_inset-text').innerText()).toContain('is now open to answers');

      // Disable an account, after its confirmation page; then re-enable it with a new password.
      await goto(page, `${survey.url}/staff/users`);
      await navigate(page, () => linkNamed(page, OTHER).click());
      await check('staff-disable-account', await navigate(page, () => linkNamed(page, 'Disable account').click()));
      expect(await heading(page)).toBe(`Disable the account ${OTHER}?`);
      expect(await page.locator('.ds_warning-text').innerText()).toContain('it can never be used for a new account');
      await navigate(page, () => button(page, 'Disable account').click());
      expect(await page.locator('.ds_inset-text').innerText()).toContain(`The account ${OTHER} is disabled`);
      await check('staff-user-disabled', await navigate(page, () => linkNamed(page, OTHER).click()));
      expect(await page.locator('main').innerText()).toContain('This account is disabled: it cannot sign in.');
      await check('staff-enable-account', await navigate(page, () => linkNamed(page, 'Re-enable account').click()));
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByLabel('The same password again').fill(`${NEW_PASSWORD}.`);
      await check('staff-enable-account-error', await navigate(page, () => button(page, 'Re-enable account').click()), 400);
      expect(await page.title()).toMatch(/^Error: /);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByLabel('The same password again').fill(NEW_PASSWORD);
      await navigate(page, () => button(page, 'Re-enable account').click());
      expect(await page.locator('.ds_inset-text').innerText()).toContain(`The account ${OTHER} can sign in again with its new password.`);

      // The person signs in afresh with the new password; the old one is refused.
      const other = await harness.newContext({ javaScriptEnabled });
      expect((await signIn(other.page, survey, OTHER, PASSWORD)).status()).toBe(400);
      await signIn(other.page, survey, OTHER, NEW_PASSWORD);
      expect(pathOf(other.page)).toBe('/staff');
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
