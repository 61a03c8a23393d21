import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { cli, saveScreenshot, WAVE, useSurveyTest, expectAccessible } from './support/survey-harness.js';

/**
 * The admin response-rate monitor in a real browser: from the staff home page to the list of waves and
 * a wave's monitor; axe-core (WCAG 2.2 AA) on both, and nothing runs off a 320 px screen.
 */

const harness = useSurveyTest();

const EMAIL = 'ada.admin@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';

const audit = expectAccessible;

const reflows = async (page: Page, name: string) => {
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 320 px`).toBeLessThanOrEqual(320);
  await audit(page, `${name} at 320 px`, (await page.reload())!, 200);
  await saveScreenshot(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
};

describe('staff response-rate monitor (browser)', () => {
  it('an admin goes from the home page to the waves and a wave monitor; no axe violation, no horizontal scroll at 320 px', async () => {
    const survey = await harness.startSurvey();
    const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', 'admin', '--email', EMAIL], survey.dataDir, `${PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    const context = await harness.newContext();
    const { page } = context;

    await goto(page, `${survey.url}/staff/sign-in`);
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(pathOf(page)).toBe('/staff');

    const waves = await navigate(page, () => page.getByRole('link', { name: 'Response rates' }).click());
    expect(pathOf(page)).toBe('/staff/waves');
    await audit(page, 'list of waves', waves, 200);
    expect(await heading(page)).toBe('Waves');
    await saveScreenshot(page, 'staff-waves');
    await reflows(page, 'staff-waves');

    const monitor = await navigate(page, () => page.getByRole('link', { name: 'Survey 2 (re-issued during COVID-19)', exact: true }).click());
    expect(pathOf(page)).toBe(`/staff/waves/${WAVE}/responses`);
    await audit(page, 'wave monitor', monitor, 200);
    expect(await page.getByRole('table', { name: 'Part one by council on the roster' }).getByRole('row').count()).toBe(9);
    await saveScreenshot(page, 'staff-wave-responses');
    await reflows(page, 'staff-wave-responses');

    await audit(page, 'unknown wave', await goto(page, `${survey.url}/staff/waves/1999-01/responses`), 404);
    expect(context.problems).toEqual([]);
  }, 60_000);
});
