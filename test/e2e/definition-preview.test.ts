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

const signIn = async (page: Page, survey: SurveyServer, role: 'analyst' | 'admin' = 'analyst') => {
  const email = role === 'analyst' ? ANALYST : 'ada.admin@socialworkscotland.org';
  const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', role, '--email', email], survey.dataDir, `${PASSWORD}\n`);
  expect(added.code, added.stderr).toBe(0);
  await goto(page, `${survey.url}/staff/sign-in`);
  await page.locator('#email').fill(email);
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

describe('publishing a new version from the browser', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`an admin uploads a file with a mistake, reads the problem with its line, uploads the corrected file, previews it and publishes it (JavaScript ${javaScriptEnabled ? 'on, with axe-core' : 'off'})`, async () => {
      const survey = await harness.startSurvey();
      const { page, problems } = await harness.newContext({ javaScriptEnabled });
      await signIn(page, survey, 'admin');
      const shown = await cli(['definitions', 'show', '--data', survey.dataDir, 'cswo-annual@2'], survey.dataDir);
      const definition = JSON.parse(shown.stdout);
      definition.version = 3;
      definition.parts[1].sections[0].items.push({
        id: 'home_working',
        label: 'How often do you work from home?',
        kind: 'singel',
        options: [
          { code: 'mostly', label: 'Mostly' },
          { code: 'never', label: 'Never' },
        ],
      });
      const upload = async (content: object) => {
        await page
          .locator('#definition')
          .setInputFiles({ name: 'next.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(content, null, 2)) });
        return navigate(page, () => button(page, 'Check the file').click());
      };

      await goto(page, `${survey.url}/staff/definitions`);
      await navigate(page, () => linkNamed(page, 'Publish a new version').click());
      const refused = await upload(definition);
      if (javaScriptEnabled) await expectAccessible(page, 'a refused upload', refused, 400);
      expect(refused.status()).toBe(400);
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('#definition-error').innerText()).toMatch(
        /next\.json:\d+: parts\[1\]\.sections\[0\]\.items\[\d+\]\.kind: expected a kind of single/,
      );

      definition.parts[1].sections[0].items.at(-1).kind = 'single';
      const checked = await upload(definition);
      if (javaScriptEnabled) await expectAccessible(page, 'an upload that passed', checked, 200);
      expect(checked.status()).toBe(200);
      expect(await heading(page)).toBe('Publish cswo-annual@3?');
      expect(await page.locator('li', { hasText: 'Added question home_working' }).count()).toBe(1);
      await navigate(page, () => linkNamed(page, 'Preview cswo-annual@3 as respondents will see it').click());
      expect(await page.locator('.cswo-preview').innerText()).toContain('cswo-annual@3 (uploaded, not published)');
      await navigate(page, () => linkNamed(page, 'Leave the preview').click());
      await navigate(page, () => button(page, 'Publish cswo-annual@3').click());
      expect(pathOf(page)).toBe('/staff/definitions');
      expect(await page.locator('#definitions-notice').innerText()).toBe('cswo-annual@3 is published: a new wave can now field it.');
      const listed = await cli(['definitions', 'list', '--data', survey.dataDir], survey.dataDir);
      expect(listed.stdout).toContain('cswo-annual@3');
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
