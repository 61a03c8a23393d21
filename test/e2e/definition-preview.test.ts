import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { button, goto, heading, linkNamed, navigate, pathOf, saveAndContinue } from './support/journey-steps.js';
import { cli, expectAccessible, useSurveyTest, type SurveyServer } from './support/survey-harness.js';

/**
 * An analyst pages through a survey definition as a respondent would, in a real browser, with JavaScript
 * on (axe-core on each kind of page) and off (the same forms, checked by the server): nothing is stored.
 */

const harness = useSurveyTest();
const ANALYST = 'ann.analyst@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';

const signIn = async (page: Page, survey: SurveyServer) => {
  const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', 'analyst', '--email', ANALYST], survey.dataDir, `${PASSWORD}\n`);
  expect(added.code, added.stderr).toBe(0);
  await goto(page, `${survey.url}/staff/sign-in`);
  await page.locator('#email').fill(ANALYST);
  await page.locator('#password').fill(PASSWORD);
  await navigate(page, () => button(page, 'Sign in').click());
};

describe('the preview of a survey definition (browser)', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`pages through a version from the list, refuses a wrong answer with the error summary and goes on (JavaScript ${javaScriptEnabled ? 'on, with axe-core' : 'off'})`, async () => {
      const survey = await harness.startSurvey();
      const { page, problems } = await harness.newContext({ javaScriptEnabled });
      await signIn(page, survey);
      const list = await goto(page, `${survey.url}/staff/definitions`);
      if (javaScriptEnabled) await expectAccessible(page, 'the survey definitions', list, 200);
      const first = await navigate(page, () => linkNamed(page, 'Preview cswo-annual@2').click());
      expect(pathOf(page)).toBe('/staff/definitions/cswo-annual%402/preview/identifiable/about_you');
      if (javaScriptEnabled) await expectAccessible(page, 'a section of the preview', first, 200);
      expect(await page.locator('.cswo-preview').innerText()).toContain('nothing you enter is stored');

      await goto(page, `${survey.url}/staff/definitions/cswo-annual%402/preview/anonymous/links`);
      await page
        .getByRole('textbox', { name: /groups, boards and committees/i })
        .first()
        .fill('lots');
      const refused = await saveAndContinue(page);
      if (javaScriptEnabled) await expectAccessible(page, 'a refused section of the preview', refused, 400);
      else expect(refused.status()).toBe(400);
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('.ds_error-summary').count()).toBe(1);
      await page
        .getByRole('textbox', { name: /groups, boards and committees/i })
        .first()
        .fill('3');
      expect((await saveAndContinue(page)).status()).toBe(200);
      expect(pathOf(page)).toBe('/staff/definitions/cswo-annual%402/preview/anonymous/leaders');
      expect(await heading(page)).not.toBe('');
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
