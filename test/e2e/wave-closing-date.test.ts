import { describe, expect, it } from 'vitest';
import { goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { cli, expectAccessible, saveScreenshot, useSurveyTest } from './support/survey-harness.js';

/**
 * A wave's closing date on the new-wave page (the GOV.UK date input) in a real browser: a date the month
 * lacks is refused with the error summary linking to the day box, axe-clean and within 320 px; corrected,
 * the wave is created and its closing date shows in the list of waves and on its monitor.
 */

const harness = useSurveyTest();

const EMAIL = 'ada.admin@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';

describe('the closing date of a new wave (browser)', () => {
  it('refused with GOV.UK messages, then stored and shown on the list and the monitor', async () => {
    const survey = await harness.startSurvey();
    const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', 'admin', '--email', EMAIL], survey.dataDir, `${PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    const { page, problems } = await harness.newContext();
    await goto(page, `${survey.url}/staff/sign-in`);
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click());

    await goto(page, `${survey.url}/staff/waves/new`);
    await page.getByLabel('Wave id').fill('2031-06');
    await page.getByLabel('Name', { exact: true }).fill('Survey 3');
    await page.getByLabel('When it is fielded').fill('June 2031');
    await page.getByLabel('Survey definition').selectOption({ index: 2 });
    const closing = page.getByRole('group', { name: 'Closing date (optional)' });
    await closing.getByLabel('Day').fill('31');
    await closing.getByLabel('Month').fill('6');
    await closing.getByLabel('Year').fill('2031');
    const refused = await navigate(page, () => page.getByRole('button', { name: 'Create wave' }).click());
    await expectAccessible(page, 'new wave with a closing date June lacks', refused, 400);
    expect(await page.title()).toMatch(/^Error: /);
    const summaryLink = page.locator('.ds_error-summary a');
    expect(await summaryLink.innerText()).toBe('The closing date must be a real date: that month has 30 days');
    expect(await summaryLink.getAttribute('href')).toBe('#closes-day');
    expect(await closing.getByLabel('Day').inputValue()).toBe('31');
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await saveScreenshot(page, 'staff-new-wave-closing-date-error-320');
    await page.setViewportSize({ width: 1280, height: 900 });

    await closing.getByLabel('Day').fill('30');
    await navigate(page, () => page.getByRole('button', { name: 'Create wave' }).click());
    expect(pathOf(page)).toBe('/staff/waves');
    expect(await page.getByRole('row', { name: /Survey 3/ }).innerText()).toContain('Closing date: 30 June 2031');
    await navigate(page, () => page.getByRole('link', { name: 'Survey 3', exact: true }).click());
    expect(await heading(page)).toBe('Responses: Survey 3');
    expect(await page.locator('.staff-summary').innerText()).toMatch(/Closing date\s+30 June 2031/);
    expect(problems).toEqual([]);
  }, 60_000);
});
